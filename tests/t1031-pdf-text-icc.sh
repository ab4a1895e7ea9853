#!/bin/sh
test_description='PDF: text in ICC-based colour spaces, read without their colour transforms'
. "$(dirname "$0")/test-lib.sh"

# docpipe-pdftext.so puts the ICCBased colour spaces a page names into
# Poppler's cache without building their colour transforms (a text device
# uses no colour; extract/pdf-text.cc, seed_icc_spaces()).  Its text must
# be docpipe-pdf.so's, which builds them, as t1030 checks for other PDFs.
test_expect_success 'set up a docpipe with each PDF module alone, and the sample' '
	mkdir full text &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdf.so" "$DOCPIPE_BUILD/docpipe-ocr.so" full/ &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdftext.so" text/ &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-icc" icc &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-icc" again &&
	cmp icc/icc.pdf again/icc.pdf
'

test_expect_success 'the text module reads it, byte for byte as docpipe-pdf.so' '
	text/docpipe convert --xml icc/icc.pdf >t.xml &&
	! grep -q "not available" t.xml &&
	full/docpipe convert --xml icc/icc.pdf >f.xml &&
	test_cmp f.xml t.xml
'

test_expect_success 'every line is there, whatever colour space it was set in' '
	text/docpipe convert --no-redact icc/icc.pdf >t.txt &&
	cat >expect <<-\EOF &&
	Gray words in an ICC space: Juniper Ridge report
	RGB words in an ICC space: call 030 1234567
	CMYK words whose profile is unreadable
	The RGB profile under a second name
	EOF
	test_cmp expect t.txt
'

test_done
