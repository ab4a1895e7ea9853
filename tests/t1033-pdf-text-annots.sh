#!/bin/sh
test_description='PDF: annotations without text are no reason for docpipe-pdf.so'
. "$(dirname "$0")/test-lib.sh"

# pdf.c makes a part of an annotation's text and of a file annotation's
# file (collect_annotations()); any other annotation adds nothing to its
# record, so docpipe-pdftext.so reads such a page (extract/pdf-text.cc,
# annots_plain()), and its output must be docpipe-pdf.so's.
test_expect_success 'set up a docpipe with each PDF module alone, and the samples' '
	mkdir full text &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdf.so" "$DOCPIPE_BUILD/docpipe-ocr.so" full/ &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdftext.so" text/ &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-annots" a &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-annots" again &&
	for f in a/*.pdf; do cmp "$f" "again/${f#a/}" || return 1; done
'

test_expect_success 'squares, stamps, widgets, ink and popups without text: read by the text module, byte for byte' '
	for f in annots-plain annots-empty; do
		text/docpipe convert --xml "a/$f.pdf" >t.xml &&
		! grep -q "not available" t.xml &&
		test_grep "Inspection report for the north annex." t.xml &&
		full/docpipe convert --xml "a/$f.pdf" >f.xml &&
		test_cmp f.xml t.xml || return 1
	done
'

test_expect_success 'an annotation with text or a file annotation: a part for docpipe-pdf.so' '
	full/docpipe convert --xml a/annots-text.pdf >f.xml &&
	test_grep "path=\"page 1/annotation 1\"" f.xml &&
	test_grep "Check the fire door." f.xml &&
	full/docpipe convert --xml a/annots-file.pdf >f.xml &&
	test_grep "path=\"page 1/attachment 1/notes.txt\"" f.xml &&
	DOCPIPE_PDF_DEBUG=1 text/docpipe convert --xml a/annots-text.pdf >t.xml 2>err &&
	test_grep "PDF support is not available" t.xml &&
	echo "pdftext: declined a/annots-text.pdf: an annotation with text" >expect &&
	test_cmp expect err &&
	DOCPIPE_PDF_DEBUG=1 text/docpipe convert --xml a/annots-file.pdf >t.xml 2>err &&
	test_grep "PDF support is not available" t.xml &&
	echo "pdftext: declined a/annots-file.pdf: a file annotation" >expect &&
	test_cmp expect err
'

test_done
