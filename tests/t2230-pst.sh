#!/bin/sh
# t2230: PST/OST mailboxes through docpipe-pst.so (extract/pst.c,
# extract/pst-message.c): folders as path components, each message a
# message/rfc822 part read by the mail extractor (headers, body,
# attachments), the same messages readpst finds, and damaged files (a
# cycle in the folder tables, a loop in the node tree's parents, a file
# cut short, also at page boundaries and read in place with no sandbox):
# a clean status, no hang.  The PST files come from
# scripts/make-samples-pst (no PST writer is packaged; the corpus has none).
. "$(dirname "$0")/test-lib.sh"

command -v readpst >/dev/null 2>&1 && test_set_prereq READPST

test_expect_success 'make the samples (scripts/make-samples-pst)' '
	"$TOP/scripts/make-samples-pst" pst &&
	test -s pst/sample.pst
'

test_expect_success 'a PST is detected and its messages are parts under their folders' '
	docpipe convert --xml --no-redact pst/sample.pst >x.xml &&
	test_grep "type=\"application/vnd.ms-outlook-pst\" status=\"ok\"" x.xml &&
	test_grep "<meta name=\"pst-format\">unicode</meta>" x.xml &&
	grep -o "path=\"[^\"]*\" type=\"message/rfc822\" status=\"ok\"" x.xml >paths &&
	cat >want <<-\EOT &&
	path="Top of Personal Folders/Inbox/message 1" type="message/rfc822" status="ok"
	path="Top of Personal Folders/Inbox/message 2" type="message/rfc822" status="ok"
	path="Top of Personal Folders/Inbox/Projects/message 1" type="message/rfc822" status="ok"
	EOT
	test_cmp want paths &&
	test_grep "<meta name=\"folder\">Top of Personal Folders/Inbox/Projects</meta>" x.xml
'

test_expect_success 'a message record has the meta keys of an .eml' '
	docpipe convert --xml --no-redact pst/sample.pst >x.xml &&
	sed -n "/Inbox\/message 1\"/,/<text>/p" x.xml >m1 &&
	test_grep "<meta name=\"from\">Ann Sender &lt;ann@example.org&gt;</meta>" m1 &&
	test_grep "<meta name=\"to\">Bob Receiver &lt;bob@example.org&gt;</meta>" m1 &&
	test_grep "<meta name=\"subject\">Quarterly numbers</meta>" m1 &&
	test_grep "<meta name=\"date-iso\">2024-03-01T09:30:00Z</meta>" m1 &&
	test_grep "<meta name=\"message-id\">&lt;pst-sample-1@example.org&gt;</meta>" m1 &&
	! grep -q "defect" m1
'

test_expect_success 'bodies and attachments; transport headers are used when present' '
	docpipe convert --no-redact pst/sample.pst >out &&
	test_grep "^the numbers for the quarter are attached.$" out &&
	test_grep "^==> attachment 1 \[text/plain\] <==$" out &&
	test_grep "^Attached report: revenue grew in the third quarter.$" out &&
	test_grep "^Attached page text.$" out &&
	test_grep "^Subject: Café on Friday$" out &&
	test_grep "^Date: Fri, 1 Mar 2024 10:30:00 +0000$" out &&
	test_grep "^Shall we meet at the café on Friday?$" out
'

test_expect_success READPST 'the same messages and subjects as readpst' '
	mkdir rp && readpst -q -o rp pst/sample.pst &&
	cat rp/*.mbox | sed -n "s/^Subject: //p" |
		python3 -c "import sys, email.header as h
for l in sys.stdin: print(str(h.make_header(h.decode_header(l.strip()))))" | sort >theirs &&
	test_line_count_=$(wc -l <theirs) && test $test_line_count_ = 3 &&
	docpipe convert --xml --no-redact pst/sample.pst >x.xml &&
	sed -n "/type=\"message\/rfc822\"/,/<text>/s/.*<meta name=\"subject\">\(.*\)<\/meta>/\1/p" x.xml |
		sort >ours &&
	test_cmp theirs ours
'

test_expect_success 'a cycle in the folder tables: partial, each message once, no hang' '
	{ docpipe convert --xml --no-redact pst/cyclic.pst >x.xml 2>err; rc=$?; } &&
	test $rc = 65 &&
	test_grep "path=\"pst problems\"" x.xml &&
	test "$(grep -c "type=\"message/rfc822\" status=\"ok\"" x.xml)" -le 3 &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'a loop in the node tree and a cut file: a clean status and message' '
	{ docpipe convert --no-redact pst/parent-loop.pst >out 2>err; rc=$?; } &&
	test $rc = 65 && test_grep "parent-loop.pst.*not a readable PST/OST file" err &&
	{ docpipe convert --no-redact pst/truncated.pst >out 2>err; rc=$?; } &&
	test $rc = 65 && test_grep "damaged or truncated" err
'

test_expect_success 'max-children stops the walk' '
	printf "[limits]\nmax-children=2\n" >c.conf &&
	{ docpipe convert -c c.conf --xml --no-redact pst/sample.pst >x.xml 2>err; rc=$?; } &&
	test "$(grep -c "<document " x.xml)" -le 4 &&
	test_grep "more parts than the limit of 2" x.xml
'

test_expect_success 'attachments come out byte for byte, boundary-like lines and binary alike' '
	docpipe convert --xml --no-redact pst/edge.pst >x.xml &&
	printf "line one\r\n--=_docpipe-pst-0\r\nafter a fake boundary\r\n--=_docpipe-pst-0--\r\n" >want1 &&
	printf "\000\001binary\r\n\r\n\377\r" >want2 &&
	for i in 1 2; do
		sum=$(sha256sum <want$i | cut -d" " -f1) &&
		size=$(wc -c <want$i) &&
		test_grep "path=\"attachment $i\" .* size=\"$size\" sha256=\"$sum\"" x.xml || return 1
	done &&
	test_grep "^      <text>Two attachments.$" x.xml &&
	test "$(grep -c "<document " x.xml)" = 4
'

test_expect_success 'a body only in compressed RTF is read as text' '
	docpipe convert --no-redact pst/rtf.pst >out &&
	test_grep "^Subject: Minutes in RTF$" out &&
	test_grep "^The minutes are approved.$" out &&
	test_grep "^Next meeting on Tuesday.$" out
'

test_expect_success 'the file closed and opened again mid-walk: the same records' '
	for f in sample cyclic edge; do
		{ docpipe convert --xml --no-redact pst/$f.pst >once.xml 2>once.err; rc1=$?; } &&
		{ DOCPIPE_PST_REOPEN_EVERY=1 docpipe convert --xml --no-redact pst/$f.pst >again.xml 2>again.err
		  rc2=$?; } &&
		test $rc1 = $rc2 && test_cmp once.xml again.xml && test_cmp once.err again.err || return 1
	done
'

test_expect_success 'cut at page boundaries and read in place, no sandbox: a clean status each time' '
	printf "[sandbox]\nenabled=false\n" >inproc.conf &&
	size=$(wc -c <pst/sample.pst) &&
	for cut in 512 4096 8192 12288 16384 20480 24576 28672 $((size - 1)); do
		head -c $cut pst/sample.pst >cut.pst &&
		{ docpipe convert -c inproc.conf --xml --no-redact cut.pst >x.xml 2>err; rc=$?; } &&
		echo "cut $cut: exit $rc" &&
		test $rc -lt 128 && test_grep "type=\"application/vnd.ms-outlook-pst\" status=" x.xml || return 1
	done
'

test_done
