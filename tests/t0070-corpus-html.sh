#!/bin/sh
test_description='the public corpus: every HTML and text file converts; expectations hold'
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

RNG=$TOP/config/docpipe.rng

test_expect_success 'every corpus HTML file converts to valid XML and text' '
	find "$CORPUS" -type f \( -name "*.html" -o -name "*.htm" \) | LC_ALL=C sort >list &&
	test $(wc -l <list) -ge 20 &&
	while read -r f; do
		docpipe convert --no-redact --xml "$f" >x.xml 2>err || { echo "failed: $f"; cat err; return 1; }
		xmllint --noout --relaxng "$RNG" x.xml 2>err || { echo "invalid XML: $f"; cat err; return 1; }
		grep -q "status=\"ok\"" x.xml || { echo "not ok: $f"; return 1; }
	done <list
'

# One row of expectations.tsv cannot hold with issue 2 as written:
# testHTMLGoodScript.html expects "cool", which appears only inside a
# <script> element, and scripts are dropped from the text by design
# (extract/html-drop).  The test says so rather than hiding it.
test_expect_success 'every expectations.tsv row for HTML and plain text is in the output' '
	n=0 &&
	while IFS="	" read -r f s; do
		case "$f" in *.html|*.htm|*.txt) ;; *) continue ;; esac
		t=$(docpipe-detect --tsv "$CORPUS/$f" | tail -n 1 | cut -f2)
		case "$t" in text/html|text/plain) ;; *) say "not HTML or text (extracted as $t elsewhere): $f"; continue ;; esac
		if [ "$f" = tika/html/testHTMLGoodScript.html ] && [ "$s" = cool ]; then
			say "known exception: \"cool\" is script content in $f"
			continue
		fi
		docpipe convert --no-redact "$CORPUS/$f" >out.txt 2>/dev/null
		grep -qF -- "$s" out.txt || { echo "missing in $f: $s"; return 1; }
		n=$((n + 1))
	done <"$CORPUS/expectations.tsv" &&
	say "$n expectation rows checked" &&
	test $n -ge 10
'

test_expect_success 'the same page in five encodings gives the same text' '
	for e in utf-8 utf-16 utf-16BE utf-32 utf-32BE; do
		docpipe convert --no-redact "$CORPUS/mimekit/html/Gimhae_Kim_clan.$e.html" >"$e.txt" || return 1
	done &&
	test_cmp utf-8.txt utf-16.txt && test_cmp utf-8.txt utf-16BE.txt &&
	test_cmp utf-8.txt utf-32.txt && test_cmp utf-8.txt utf-32BE.txt &&
	test_grep "Gimhae Kim clan" utf-8.txt
'

test_expect_success 'noisy and lying meta charsets' '
	docpipe convert --xml "$CORPUS/tika/html/testHTMLNoisyMetaEncoding_3.html" >x &&
	test_grep "charset=\"iso-8859-6\"" x &&
	docpipe convert --xml "$CORPUS/tika/html/testHTML_charset_utf8.html" >y &&
	test_grep "charset=\"utf-8\"" y &&
	docpipe convert --xml "$CORPUS/tika/html/big-preamble.html" >z &&
	test_grep "charset=\"windows-1251\"" z
'

test_expect_success 'scripts and styles never reach the text' '
	docpipe convert "$CORPUS/tika/html/testHTML_embedded_img_in_js.html" >t &&
	! grep -q "function\|var \|base64" t &&
	docpipe convert "$CORPUS/tika/html/testHTML_script_in_body.html" >t &&
	test_grep "This is a test" t && ! grep -q "document.write\|alert" t
'

test_expect_success 'title, author and keywords become metadata' '
	docpipe convert --xml --no-redact "$CORPUS/tika/html/testHTML.html" >x &&
	test_grep "<meta name=\"title\">Title : Test Indexation Html</meta>" x &&
	test_grep "<meta name=\"author\">Tika Developers</meta>" x
'

test_done
