#!/bin/sh
# t0056: text on standard output is computed without ids or hashes
# (dp_chain_set_hashes(): no SHA-256 of the input, its messages or its
# parts, a tenth of a mailbox's CPU) and is still exactly the text that
# `convert -o`, which hashes everything, writes: samples and corpus, with
# the sandbox and without, several inputs at once, the zip quine (found by
# comparing hashes), libmagic's answers for repeated attachments (looked up
# by hash).
. "$(dirname "$0")/test-lib.sh"

printf "[sandbox]\nenabled=false\n" >"$TRASH/inproc.conf"
printf "[limits]\nmax-children=0\n" >"$TRASH/default.conf"

# same_text CONF DIR FILE...: for each FILE (relative to DIR), stdout text
# is the -o text, and the exit status is the same.
same_text() {
	conf=$1 dir=$2
	shift 2
	for f in "$@"; do
		rm -rf "$TRASH/o" &&
		(cd "$dir" && docpipe convert -q -c "$TRASH/$conf" "$f") >"$TRASH/stdout.txt" 2>/dev/null
		rc1=$?
		(cd "$dir" && docpipe convert -q -c "$TRASH/$conf" -o "$TRASH/o" "$f") 2>/dev/null
		rc2=$?
		test "$rc1" = "$rc2" || { echo "$f: exit $rc1 on stdout, $rc2 with -o"; return 1; }
		cmp -s "$TRASH/stdout.txt" "$TRASH/o/$f.txt" || { echo "$f: text differs"; diff "$TRASH/stdout.txt" "$TRASH/o/$f.txt" | head; return 1; }
	done
}

test_expect_success 'setup: a mailbox with the same unknown attachment three times and a PNG twice' '
	/usr/bin/python3 - "$TRASH/repeat.mbox" <<-\PY
	import base64, sys
	png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da63f80f040009fb03fd68fa1ccc0000000049454e44ae426082")
	blob = bytes((k * 37 + 11) & 0xFF for k in range(3000))
	with open(sys.argv[1], "w") as f:
	    for i, data in enumerate([blob, png, blob, png, blob]):
	        b = base64.b64encode(data).decode()
	        f.write(f"From a@example.com Mon Jan  1 00:00:0{i} 2024\nFrom: a@example.com\nSubject: part {i}\n"
	                f"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
	                f"--b\nContent-Type: application/octet-stream; name=x{i}.bin\nContent-Transfer-Encoding: base64\n\n{b}\n--b--\n\n")
	PY
'

test_expect_success 'repeated attachments: the same labels without hashes' '
	same_text default.conf "$TRASH" repeat.mbox &&
	docpipe convert "$TRASH/repeat.mbox" >t &&
	test "$(grep -c "^==> attachment 1 \[image/png\] <==" t)" = 2 &&
	test "$(grep -c "^==> attachment 1 \[application/octet-stream\] <==" t)" = 3
'

test_expect_success 'the samples: stdout text is the -o text, with the sandbox and without' '
	list=$(cd "$SAMPLES" && find web text mail pdf -type f ! -name "*.md" ! -path "*/maildir/*" | LC_ALL=C sort) &&
	test -n "$list" &&
	same_text default.conf "$SAMPLES" $list &&
	same_text inproc.conf "$SAMPLES" $list
'

test_expect_success 'a maildir: stdout text is the -o text' '
	same_text default.conf "$SAMPLES" mail/maildir
'

test_expect_success 'several inputs on stdout: the texts of each, in order' '
	(cd "$SAMPLES" && docpipe convert -q mail/report.eml mail/nested.zip mail/mboxrd.mbox) >t &&
	rm -rf o && (cd "$SAMPLES" && docpipe convert -q -o "$TRASH/o" mail/report.eml mail/nested.zip mail/mboxrd.mbox) &&
	{ for f in report.eml nested.zip mboxrd.mbox; do printf "\n==> mail/%s <==\n" "$f"; cat "o/mail/$f.txt"; done; } >want &&
	sed "1{/^$/d}" want >want1 && sed "1{/^$/d}" t >t1 &&
	test_cmp want1 t1
'


test_expect_success CORPUS 'the zip quine stops the same way without hashes, at the top and inside a zip' '
	docpipe convert "$CORPUS/tika/zip/droste.zip" >t 2>err; rc=$?;
	test $rc = 65 && test_grep "zip quine" t &&
	/usr/bin/python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1], \"w\").write(sys.argv[2], \"inner/droste.zip\")" \
		outer.zip "$CORPUS/tika/zip/droste.zip" &&
	docpipe convert outer.zip >t 2>err; rc=$?;
	test $rc = 65 && test_grep "zip quine" t && ! test_grep "deeper than the limit" t &&
	same_text default.conf "$TRASH" outer.zip
'

test_expect_success CORPUS 'corpus mail, zip, HTML and PDF: stdout text is the -o text' '
	list=$(cd "$CORPUS" && find . -type f \( -name "*.eml" -o -name "*.mbox" -o -name "*.zip" -o -name "*.html" -o -name "*.pdf" \) |
		sed "s|^\./||" | LC_ALL=C sort | awk "NR % 3 == 1") &&
	test -n "$list" &&
	same_text default.conf "$CORPUS" $list
'

test_done
