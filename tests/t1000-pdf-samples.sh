#!/bin/sh
test_description='PDF: the samples of samples/pdf against golden text and XML'
. "$(dirname "$0")/test-lib.sh"

# The goldens are made the same way (see README, section PDF):
#   (cd samples/pdf && docpipe convert -p sesame -o ../../tests/golden/pdf *.pdf)
test_expect_success 'convert -o matches the golden files' '
	(cd "$SAMPLES/pdf" && docpipe convert -p sesame -o "$TRASH/out" *.pdf) &&
	diff -r "$GOLDEN/pdf" out
'

test_expect_success 'two runs give byte-identical output' '
	(cd "$SAMPLES/pdf" && docpipe convert -p sesame --xml *.pdf) >a &&
	(cd "$SAMPLES/pdf" && docpipe convert -p sesame --xml *.pdf) >b &&
	cmp a b
'

test_expect_success 'every golden XML validates against the schema (when present)' '
	rng=$TOP/config/docpipe.rng
	if [ ! -f "$rng" ]; then echo "no $rng yet"; exit 0; fi
	for x in "$GOLDEN"/pdf/*.xml; do
		xmllint --noout --relaxng "$rng" "$x" || return 1
	done
'

test_expect_success 'digits are never joined across a line end' '
	docpipe convert --no-redact "$SAMPLES/pdf/known-text.pdf" >t &&
	printf "%s\n" "The applicant'"'"'s social security number is 123-45-" \
		"6789 and must never appear in the released text." \
		"Invoice numbers 4471-2209- and" >want &&
	grep -F -f want t >got && test_cmp want got &&
	! grep -q "123-456789" t
'

test_expect_success 'pages are separated by form feeds; an empty page is still a page' '
	docpipe-extract "$SAMPLES/pdf/no-text-page.pdf" >r &&
	test_grep "^meta.pages: 3" r &&
	test_grep "^meta.pages-without-text: 2" r &&
	test_grep "^meta.pages-without-text-list: 2 3" r &&
	docpipe convert --xml "$SAMPLES/pdf/no-text-page.pdf" >x &&
	test "$(grep -c "<page n=" x)" = 3
'

test_expect_success 'metadata: title, author, subject, keywords, dates in UTC, version, size' '
	docpipe-extract "$SAMPLES/pdf/known-text.pdf" >r &&
	test_grep "^meta.title: Quarterly records review" r &&
	test_grep "^meta.author: Dana Whitfield" r &&
	test_grep "^meta.subject: Sample PDF for docpipe" r &&
	test_grep "^meta.keywords: records; review; sample" r &&
	test_grep "^meta.created: 2024-03-01T09:30:00Z" r &&
	test_grep "^meta.modified: 2024-03-02T10:00:00Z" r &&
	test_grep "^meta.pdf-version: 1.5" r &&
	test_grep "^meta.pages: 2" r &&
	test_grep "^meta.page-size: 595x842 pt" r &&
	test_grep "^meta.encrypted: no" r
'

test_expect_success 'metadata goes through redaction like the body' '
	cat >c.conf <<-\EOF &&
	[rule person]
	pattern=Dana Whitfield
	label=[NAME]
	EOF
	docpipe convert -c c.conf --xml "$SAMPLES/pdf/known-text.pdf" >x &&
	test_grep "<meta name=\"author\">\[NAME\]</meta>" x &&
	! grep -q "Dana Whitfield" x
'

test_expect_code 77 'no password: status encrypted, exit 77' '
	docpipe-extract "$SAMPLES/pdf/password.pdf" >r 2>err; rc=$?
	test_grep "^status: encrypted" r && test_grep "^meta.encrypted: yes" r && return $rc
'

test_expect_code 77 'convert without the password exits 77 and names the file' '
	docpipe convert "$SAMPLES/pdf/password.pdf" >t 2>err; rc=$?
	test_grep "password.pdf" err && return $rc
'

test_expect_success 'passwords from the command line are tried in order' '
	docpipe-extract -p wrong -p "" -p sesame "$SAMPLES/pdf/password.pdf" >r &&
	test_grep "^status: ok" r && test_grep "^meta.encrypted: yes" r &&
	test_grep "^Quarterly records review" r
'

test_expect_success 'passwords from [pdf] passwords are tried after the command line' '
	printf "[pdf]\npasswords=nope;sesame\n" >c.conf &&
	docpipe convert -c c.conf -p wrong --no-redact "$SAMPLES/pdf/password.pdf" >t &&
	test_grep "^Last line of the document." t
'

test_expect_success 'page range: -f and -l, and [pdf] first-page/last-page' '
	docpipe convert --no-redact -f 2 -l 2 --xml "$SAMPLES/pdf/known-text.pdf" >x &&
	test_grep "<page n=\"2\">Page two" x && ! grep -q "<page n=\"1\"" x &&
	test_grep "name=\"page-range\">2-2<" x &&
	docpipe-extract -l 1 "$SAMPLES/pdf/known-text.pdf" >r &&
	! grep -q "Page two" r && test_grep "^meta.pages-extracted: 1" r &&
	printf "[pdf]\nfirst-page=2\n" >c.conf &&
	docpipe-extract -c c.conf "$SAMPLES/pdf/known-text.pdf" >r2 &&
	! grep -q "^Quarterly" r2 && test_grep "^Page two" r2
'

test_expect_code 78 'a bad page number is a configuration error' '
	docpipe convert -f two "$SAMPLES/pdf/known-text.pdf"
'

test_expect_success 'embedded files are child documents through the same dispatch' '
	docpipe-extract "$SAMPLES/pdf/attachment.pdf" >r &&
	test_grep "^path: attachment 1/notes.txt" r &&
	test_grep "^path: attachment 2/two-columns.pdf" r &&
	test "$(grep -c "^type: application/pdf" r)" = 2 &&
	docpipe convert "$SAMPLES/pdf/attachment.pdf" >t &&
	test_grep "Attached notes: call Lee Ortega at \[EMAIL\]" t &&
	test_grep "^Right column line 5" t
'

test_expect_success 'embedded files obey the depth limit' '
	printf "[limits]\nmax-depth=0\n" >c.conf &&
	docpipe-extract -c c.conf "$SAMPLES/pdf/attachment.pdf" >r; rc=$?
	test_grep "^status: limit" r && ! grep -q "Attached notes" r
'

test_expect_success 'non-Latin text comes out in NFC UTF-8' '
	docpipe convert --no-redact "$SAMPLES/pdf/non-latin.pdf" >t &&
	test_grep "Καλημέρα κόσμε" t && test_grep "Привет, мир" t &&
	test_grep "Xin chào thế giới" t && test_grep "Straße, Größe" t &&
	/usr/bin/python3 -c "import sys,unicodedata; t=open(sys.argv[1],encoding=\"utf-8\").read(); sys.exit(t != unicodedata.normalize(\"NFC\", t))" t
'

test_expect_success 'two columns: one column after the other' '
	docpipe convert --no-redact "$SAMPLES/pdf/two-columns.pdf" >t &&
	test "$(sed -n 5p t)" = "Left column line 5" &&
	test "$(sed -n 6p t)" = "Right column line 1"
'

test_done
