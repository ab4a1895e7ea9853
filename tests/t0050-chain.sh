#!/bin/sh
test_description='the chain: stages piped, convert, golden files, schema, determinism'
. "$(dirname "$0")/test-lib.sh"

RNG=$TOP/config/docpipe.rng

test_expect_success 'convert -o matches the golden files' '
	(cd "$SAMPLES" && find web text -type f | LC_ALL=C sort | docpipe convert -o "$TRASH/out" --files-from -) &&
	diff -r "$GOLDEN/samples" out
'

test_expect_success 'piped stages give the same text and XML as convert' '
	for f in web/press-release-cp1252.html web/foia-letter-utf16.html text/memo-latin1.txt; do
		(cd "$SAMPLES" && docpipe-detect "$f" | docpipe-extract | docpipe-redact | docpipe-emit) >t &&
		test_cmp "$GOLDEN/samples/$f.txt" t &&
		(cd "$SAMPLES" && docpipe detect "$f" | docpipe extract | docpipe redact | docpipe emit --xml) >x &&
		test_cmp "$GOLDEN/samples/$f.xml" x || return 1
	done
'

test_expect_success 'every golden XML validates against the schema' '
	find "$GOLDEN/samples" -name "*.xml" >list && test -s list &&
	while read -r x; do
		xmllint --noout --relaxng "$RNG" "$x" 2>err || { cat err; return 1; }
	done <list
'

test_expect_success 'redaction positions point at the labels in the text' '
	x=$GOLDEN/samples/web/press-release-cp1252.html.xml &&
	/usr/bin/python3 - "$x" <<-\PY
	import sys, xml.etree.ElementTree as ET
	doc = ET.parse(sys.argv[1]).getroot().find("document")
	text = doc.find("text").text.encode("utf-8")
	n = 0
	for r in doc.findall("redaction"):
	    assert r.get("field") == "body"
	    label = {"email": b"[EMAIL]", "phone": b"[PHONE]"}[r.get("rule")]
	    spans = r.get("positions").split()
	    assert len(spans) == int(r.get("count"))
	    for s in spans:
	        off, ln = map(int, s.split("+"))
	        assert text[off:off + ln] == label, (s, text[off:off + ln])
	        n += 1
	assert n == 4, n
	PY
'

test_expect_success 'stdin in, text out' '
	docpipe convert - <"$SAMPLES/web/sitzung-utf8.html" >t &&
	test_cmp "$GOLDEN/samples/web/sitzung-utf8.html.txt" t
'

test_expect_success 'several inputs on stdout are headed by their names' '
	(cd "$SAMPLES" && docpipe convert text/memo-latin1.txt web/sitzung-utf8.html) >t &&
	test_grep "^==> text/memo-latin1.txt <==$" t &&
	test_grep "^==> web/sitzung-utf8.html <==$" t
'

test_expect_success 'two runs are byte-identical' '
	(cd "$SAMPLES" && docpipe convert -o "$TRASH/a" web/*.html text/*.txt) &&
	(cd "$SAMPLES" && docpipe convert -o "$TRASH/b" web/*.html text/*.txt) &&
	diff -r a b &&
	(cd "$SAMPLES" && docpipe convert --xml web/press-release-cp1252.html) >x1 &&
	(cd "$SAMPLES" && docpipe convert --xml web/press-release-cp1252.html) >x2 &&
	cmp x1 x2
'

test_expect_success 'no redaction with --no-redact' '
	docpipe convert --no-redact "$SAMPLES/web/press-release-cp1252.html" >t &&
	test_grep "press@transport.example.gov" t &&
	test_grep "(202) 555-0143" t &&
	docpipe-detect "$SAMPLES/web/press-release-cp1252.html" | docpipe-extract | docpipe-redact --no-redact |
		docpipe-emit >t2 &&
	test_cmp t t2
'

test_expect_success 'output paths never leave the output directory' '
	mkdir -p in/sub && cp "$SAMPLES/text/memo-latin1.txt" in/sub/m.txt &&
	(cd in/sub && docpipe convert -o "$TRASH/o" ../sub/m.txt ../../in/sub/m.txt) &&
	find o -type f | sort >files &&
	printf "o/__/__/in/sub/m.txt.txt\no/__/__/in/sub/m.txt.xml\no/__/sub/m.txt.txt\no/__/sub/m.txt.xml\n" >expect &&
	test_cmp expect files &&
	docpipe convert -o "$TRASH/abs" "$TRASH/in/sub/m.txt" &&
	test -f "abs$TRASH/in/sub/m.txt.txt"
'

test_expect_success 'no temporary files are left behind' '
	(cd "$SAMPLES" && docpipe convert -o "$TRASH/o" web/*.html) &&
	test -z "$(find o -name "*.tmp-*")"
'

test_expect_success 'the docpipe front command dispatches to stages' '
	docpipe detect --tsv "$SAMPLES/text/memo-latin1.txt" >t &&
	test_grep "text/plain" t &&
	docpipe --version | grep -q "^docpipe [0-9]"
'

test_expect_success 'without the PDF module, a PDF is unsupported, not a crash' '
	mkdir alone && cp "$DOCPIPE_BUILD/docpipe" alone/ &&
	printf "%%PDF-1.4\n%%%%EOF\n" >x.pdf &&
	alone/docpipe convert --xml x.pdf >x.xml &&
	test_grep "status=\"unsupported\"" x.xml &&
	test_grep "PDF support is not available" x.xml &&
	DOCPIPE_MODULE_DIR=$DOCPIPE_BUILD alone/docpipe convert --xml x.pdf >y.xml;
	! grep -q "not available" y.xml
'

test_expect_success 'XML text escapes & < > and quotes, and keeps the text: at every offset, around non-ASCII' '
	/usr/bin/python3 - <<-\PY
	import random
	random.seed(7)
	pieces = ["a&b", "<tag>", "\"q\"", "it'"'"'s", "caf\u00e9", "\u4e2d\u6587", "x" * 13, "\t", "\U0001F600", "A & B < C > D"]
	lines = []
	for i in range(200):
	    lines.append(" ".join(random.choice(pieces) for _ in range(random.randint(1, 9))))
	open("esc.txt", "w", encoding="utf-8").write("\n".join(lines) + "\n")
	PY
	docpipe convert --no-redact esc.txt >esc.out &&
	docpipe convert --no-redact --xml esc.txt >esc.xml &&
	test_grep "&amp;" esc.xml && test_grep "&lt;tag&gt;" esc.xml && test_grep "&quot;q&quot;" esc.xml &&
	/usr/bin/python3 - <<-\PY
	import xml.etree.ElementTree as ET
	text = ET.parse("esc.xml").getroot().find("document").find("text").text
	want = open("esc.out", encoding="utf-8").read()
	assert text == want, "XML text differs from the text output"
	PY
'

test_expect_code 64 'an unknown command is a usage error' '
	docpipe frobnicate 2>err; rc=$?; test_grep "not a docpipe command" err; return $rc
'

test_done
