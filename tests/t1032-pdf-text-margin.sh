#!/bin/sh
test_description='PDF: a page whose only text is in the margin, read by the text module when it draws no image'
. "$(dirname "$0")/test-lib.sh"

# pdf-ocr.c reads such a page by OCR in [ocr] mode=auto when its images
# cover half of it; docpipe-pdftext.so cannot measure the cover
# (poppler-glib's image mapping) but can see that a page draws no image
# at all, and then reads it (extract/pdf-text.cc, ImageFinder).  Any
# image, inline image or tiling pattern sends the PDF to docpipe-pdf.so.
test_expect_success 'set up a docpipe with each PDF module alone, and the samples' '
	mkdir full text &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdf.so" "$DOCPIPE_BUILD/docpipe-ocr.so" full/ &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdftext.so" text/ &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-margin" m &&
	/usr/bin/python3 "$TOP/scripts/make-samples-pdf-margin" again &&
	for f in m/*.pdf; do cmp "$f" "again/${f#m/}" || return 1; done
'

test_expect_success 'a page with a page number alone is read by the text module, byte for byte' '
	text/docpipe convert --xml m/margin.pdf >t.xml &&
	! grep -q "not available" t.xml &&
	test_grep "Page 7 of 12" t.xml &&
	full/docpipe convert --xml m/margin.pdf >f.xml &&
	test_cmp f.xml t.xml &&
	! grep -q "ocr" f.xml
'

test_expect_success 'the same line over a page-sized image is OCR for docpipe-pdf.so' '
	full/docpipe convert --xml m/margin-scan.pdf >f.xml &&
	test_grep "<meta name=\"ocr-pages\">1</meta>" f.xml &&
	full/docpipe convert --xml m/margin-inline.pdf >f.xml &&
	test_grep "<meta name=\"ocr-pages\">1</meta>" f.xml
'

test_expect_success 'a page that draws an image, inline image or pattern goes to docpipe-pdf.so' '
	for f in margin-scan margin-inline margin-logo margin-pattern; do
		DOCPIPE_PDF_DEBUG=1 text/docpipe convert --xml "m/$f.pdf" >t.xml 2>err &&
		test_grep "PDF support is not available" t.xml &&
		echo "pdftext: declined m/$f.pdf: a page for OCR (text in the margins only, images)" >expect &&
		test_cmp expect err || return 1
	done
'

test_expect_success 'in [ocr] mode=never the margin is not looked at: the text module reads them all' '
	printf "[ocr]\nmode=never\n" >never.conf &&
	for f in m/*.pdf; do
		text/docpipe convert -c never.conf --xml "$f" >t.xml &&
		! grep -q "not available" t.xml &&
		full/docpipe convert -c never.conf --xml "$f" >f.xml &&
		test_cmp f.xml t.xml || return 1
	done
'

test_expect_success 'DOCPIPE_PDF_DEBUG is silent on a PDF the text module reads' '
	DOCPIPE_PDF_DEBUG=1 text/docpipe convert m/margin.pdf >out 2>err &&
	test_grep "Page 7 of 12" out &&
	! test -s err
'

test_done
