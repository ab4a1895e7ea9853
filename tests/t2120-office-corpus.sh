#!/bin/sh
# t2120: the OpenDocument file of the public corpus (testOpenOffice2.odt
# inside tika/zip/test-documents.zip): detected by content, its text and
# meta.xml read, its expectations.tsv row met.
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

test_expect_success 'testOpenOffice2.odt in the Tika zip is detected and read' '
	docpipe convert --xml --no-redact "$CORPUS/tika/zip/test-documents.zip" >x.xml 2>/dev/null
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	sed -n "/path=\"entry testOpenOffice2.odt\"/,/<\/document>/p" x.xml >odt &&
	test_grep "type=\"application/vnd.oasis.opendocument.text\" status=\"ok\"" odt &&
	test_grep "<meta name=\"created\">2007-09-14T11:06:08</meta>" odt &&
	test_grep "<meta name=\"language\">en-US</meta>" odt &&
	test_grep "<text>This is a sample Open Office document, written in NeoOffice 2.2.1 for the Mac.$" odt
'

test_expect_success 'every expectations.tsv row of an OpenDocument file holds' '
	n=0 &&
	while IFS="	" read -r f want; do
		case $want in testOpenOffice2.odt | "This is a sample Open Office"*) ;; *) continue ;; esac
		n=$((n + 1))
		(cd "$CORPUS" && docpipe convert --no-redact "$f") >out 2>/dev/null
		grep -qF -- "$want" out || { echo "missing in $f: $want"; exit 1; }
	done <"$CORPUS/expectations.tsv" &&
	test $n = 2
'

test_done
