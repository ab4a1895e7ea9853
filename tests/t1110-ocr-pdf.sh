#!/bin/sh
# t1110: OCR of PDF pages (extract/pdf-ocr.c).  Image-only pages and pages
# whose only text is a stamp in the margin are read in [ocr] mode=auto;
# a page with a real text layer never is, and its output does not change;
# mode=always and mode=never; scans whose image is JPEG 2000 or JBIG2
# (scripts/make-samples-ocr), which Poppler decodes as it renders; the
# corpus scans against their answer keys and the OCR rows of
# ground_truth/expectations_unverified.tsv.
. "$(dirname "$0")/test-lib.sh"

. "$TEST_DIR/ocr-lib.sh"

test_expect_success 'an image-only PDF: every page read by OCR, word accuracy >= 0.95' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/scan.pdf" >x.xml &&
	test "$(grep -c "<page n=\"[12]\" ocr=\"tesseract\" ocr-confidence=\"[0-9]*\">" x.xml)" = 2 &&
	test_grep "<meta name=\"ocr-pages\">2</meta>" x.xml &&
	test_grep "<meta name=\"ocr-languages\">eng</meta>" x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	docpipe convert -c "$BASE" --no-redact "$S/scan.pdf" >out &&
	cat "$S/page-1.txt" "$S/page-2.txt" >want &&
	accuracy want out &&
	test "$(tr -cd "\f" <out | wc -c)" = 1
'

# Images only Poppler decodes: what OCR reads is Poppler's rendering of them.
for enc in jpx:2 jbig2:3; do
	test_expect_success "a scan whose image is ${enc%:*}: read by OCR, word accuracy >= 0.95" '
		pdfimages -list "$S/scan-'"${enc%:*}"'.pdf" >list &&
		test "$(sed -n "3p" list | awk "{print \$9}")" = '"${enc%:*}"' &&
		docpipe convert -c "$BASE" --xml --no-redact "$S/scan-'"${enc%:*}"'.pdf" >x.xml &&
		test_grep "<page n=\"1\" ocr=\"tesseract\" ocr-confidence=\"[0-9]*\">" x.xml &&
		test_grep "<meta name=\"ocr-pages\">1</meta>" x.xml &&
		docpipe convert -c "$BASE" --no-redact "$S/scan-'"${enc%:*}"'.pdf" >out &&
		accuracy "$S/page-'"${enc#*:}"'.txt" out
	'
done

test_expect_success 'a scan with a text stamp in its margin is read by OCR, stamp and all' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/stamped.pdf" >x.xml &&
	test_grep "<page n=\"1\" ocr=\"tesseract\"" x.xml &&
	docpipe convert -c "$BASE" --no-redact "$S/stamped.pdf" >out &&
	accuracy "$S/page-1.txt" out &&
	test_grep "FOIA" out
'

test_expect_success 'a page with a text layer and a large picture is not read in auto' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/textlayer.pdf" >x.xml &&
	! grep -q "ocr=" x.xml && ! grep -q "ocr-pages" x.xml &&
	docpipe convert -c "$BASE" --no-redact "$S/textlayer.pdf" >out &&
	printf "[ocr]\nmode=never\n" >never.conf &&
	docpipe convert -c never.conf --no-redact "$S/textlayer.pdf" >never.out &&
	test_cmp never.out out
'

test_expect_success 'mode=always reads every page, text layer or not' '
	printf "[ocr]\nmode=always\n" >always.conf &&
	docpipe convert -c always.conf --xml --no-redact "$S/textlayer.pdf" >x.xml &&
	test_grep "<page n=\"1\" ocr=\"tesseract\"" x.xml &&
	test_grep "real text layer" x.xml
'

test_expect_success 'mode=never: an image-only page stays empty, flagged as before' '
	printf "[ocr]\nmode=never\n" >never.conf &&
	docpipe convert -c never.conf --xml --no-redact "$S/scan.pdf" >x.xml &&
	! grep -q "ocr=" x.xml &&
	test_grep "<meta name=\"pages-without-text\">2</meta>" x.xml
'

test_expect_success 'the sample PDFs with a text layer give the same output with OCR on and off' '
	printf "[ocr]\nmode=never\n" >never.conf &&
	for f in "$SAMPLES"/pdf/*.pdf; do
		docpipe convert -c "$BASE" --xml "$f" >auto.xml 2>/dev/null
		docpipe convert -c never.conf --xml "$f" >never.xml 2>/dev/null
		if ! grep -q "ocr-pages" auto.xml; then
			test_cmp never.xml auto.xml || { echo "differs: $f"; return 1; }
		fi
	done
'

test_expect_code 65 'a page over its OCR time limit: status limit, the next page still read' '
	# A dense letter page (about 9,000 characters) takes Tesseract several
	# CPU seconds; page-time-limit=1 stops it, and page 2 is read anyway.
	/usr/bin/python3 - "$S" <<-\PY &&
	import sys
	from PIL import Image, ImageDraw, ImageFont
	f = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 30)
	dense = Image.new("L", (2550, 3300), 255)
	d = ImageDraw.Draw(dense)
	for i in range(75):
	    d.text((100, 80 + 42 * i), "line %d of a page far too dense to read within one second of CPU time" % i, font=f, fill=0)
	light = Image.open(sys.argv[1] + "/page-2-300.png")
	dense.save("slow.pdf", save_all=True, append_images=[light], resolution=300)
	PY
	printf "[ocr]\npage-time-limit=1\n" >t1.conf &&
	docpipe convert -c t1.conf --xml --no-redact slow.pdf >x.xml 2>err; rc=$?
	test_grep "status=\"limit\"" x.xml &&
	test_grep "<meta name=\"ocr-pages-over-time-limit\">1</meta>" x.xml &&
	test_grep "page-time-limit" x.xml &&
	test_grep "<page n=\"2\" ocr=\"tesseract\"" x.xml &&
	test_grep "Inspection report" x.xml &&
	return $rc
'

test_expect_success 'OCR output is byte-identical from one run to the next' '
	docpipe convert -c "$BASE" --xml "$S/stamped.pdf" >a.xml &&
	docpipe convert -c "$BASE" --xml "$S/stamped.pdf" >b.xml &&
	test_cmp a.xml b.xml
'

test_expect_success CORPUS 'ocrmypdf/linn.pdf against its answer key (word accuracy >= 0.95)' '
	docpipe convert -c "$BASE" --no-redact "$CORPUS/ocrmypdf/linn.pdf" >out &&
	accuracy "$CORPUS/ground_truth/ocrmypdf/linn.pdf.ocr-expected.txt" out &&
	docpipe convert -c "$BASE" --xml --no-redact "$CORPUS/ocrmypdf/linn.pdf" >x.xml &&
	test_grep "<page n=\"1\" ocr=\"tesseract\"" x.xml
'

# The rows of ground_truth/expectations_unverified.tsv that need OCR: each
# string is in the OCR text (white space squashed).  Its fourth row for
# testOCR.pdf, "Apache", is left out: the word is nowhere in the file, not
# in its one image (the tesseract command line reads "Happy New Year
# 2003!" only) and not in its metadata.
test_expect_success CORPUS 'the OCR rows of expectations_unverified.tsv now hold' '
	cat >rows <<-\EOF &&
	tika/pdf/testOCR.pdf	Happy
	tika/pdf/testOCR.pdf	Happy New Year
	tika/pdf/testOCR.pdf	Happy New Year 2003!
	EOF
	fails=0 &&
	while IFS="	" read -r f s; do
		docpipe convert -c "$BASE" --no-redact "$CORPUS/$f" 2>/dev/null |
			/usr/bin/python3 -c "import sys; print(\" \".join(sys.stdin.read().split()))" >got
		grep -qF -- "$s" got || { echo "missing in $f: \"$s\""; cat got; fails=$((fails + 1)); }
	done <rows &&
	test $fails = 0
'

test_done
