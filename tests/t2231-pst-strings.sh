#!/bin/sh
# t2231: the strings of a PST (extract/pst-message.c): UTF-16 properties
# are converted by docpipe in one pass, not by libpff (whose libuna
# 20180714 decodes surrogate pairs wrong); text outside ASCII and the BMP
# comes out as the file holds it (and as readpst reads it), strings that
# are not well-formed UTF-16 still go through libpff, and the records are
# the same as with every string through libpff (the test hook
# DOCPIPE_PST_LIBPFF_STRINGS) wherever libpff decodes right.  The PST
# files come from scripts/make-samples-pst.
. "$(dirname "$0")/test-lib.sh"

command -v readpst >/dev/null 2>&1 && test_set_prereq READPST

test_expect_success 'make the samples (scripts/make-samples-pst)' '
	"$TOP/scripts/make-samples-pst" pst 40 --realistic &&
	test -s pst/unicode.pst && test -s pst/bench.pst
'

test_expect_success 'names, subject, body and attachment name outside ASCII and the BMP' '
	docpipe convert --xml --no-redact pst/unicode.pst >x.xml &&
	sed -n "/Inbox\/message 1\"/,/Inbox\/message 2\"/p" x.xml >m1 &&
	test_grep "<meta name=\"subject\">Ünïcode 😀 report</meta>" m1 &&
	test_grep "<meta name=\"from\">Zoë Müller &lt;zoe@example.org&gt;</meta>" m1 &&
	test_grep "<meta name=\"to\">Jürgen 東京 &lt;juergen@example.org&gt;</meta>" m1 &&
	test_grep "<text>Grüße aus Köln 😀$" m1 &&
	test_grep "^日本語のテキスト$" m1 &&
	test_grep "<meta name=\"filename\">Übersicht 📎.txt</meta>" m1 &&
	test_grep "<text>Zusammenfassung für 📊.$" m1
'

test_expect_success READPST 'the same subject as readpst reads' '
	mkdir rp && readpst -q -o rp pst/unicode.pst &&
	cat rp/*.mbox | sed -n "s/^Subject: //p" | head -n 1 |
		python3 -c "import sys, email.header as h
for l in sys.stdin: print(str(h.make_header(h.decode_header(l.strip()))))" >theirs &&
	echo "Ünïcode 😀 report" >want &&
	test_cmp want theirs
'

test_expect_success 'lone surrogates: the message is read, through libpff' '
	{ docpipe convert --xml --no-redact pst/unicode.pst >x.xml 2>err; rc=$?; } &&
	test $rc = 0 && ! test -s err &&
	sed -n "/Inbox\/message 2\"/,\$p" x.xml >m2 &&
	test_grep "path=\"Top of Personal Folders/Inbox/message 2\" type=\"message/rfc822\" status=\"ok\"" m2 &&
	test_grep "<meta name=\"subject\">Lone .*surrogate</meta>" m2 &&
	test_grep "<text>Before .* after.$" m2 &&
	DOCPIPE_PST_LIBPFF_STRINGS=1 docpipe convert --xml --no-redact pst/unicode.pst >libpff.xml &&
	sed -n "/Inbox\/message 2\"/,\$p" libpff.xml >l2 &&
	test_cmp l2 m2
'

test_expect_success 'the same records as with every string through libpff' '
	printf "[limits]\nmax-children=0\n" >c.conf &&
	for f in sample cyclic edge rtf bench; do
		{ docpipe convert -c c.conf --xml --no-redact pst/$f.pst >ours.xml 2>ours.err; rc1=$?; } &&
		{ DOCPIPE_PST_LIBPFF_STRINGS=1 docpipe convert -c c.conf --xml --no-redact pst/$f.pst \
			>libpff.xml 2>libpff.err; rc2=$?; } &&
		test $rc1 = $rc2 && test_cmp libpff.xml ours.xml && test_cmp libpff.err ours.err || return 1
	done &&
	test "$(grep -c "type=\"message/rfc822\" status=\"ok\"" ours.xml)" = 40
'

test_done
