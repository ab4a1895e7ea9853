#!/bin/sh
# t3051: OCR-tolerant redaction end to end ([redact] ocr-tolerant,
# redact/ocrtol.c).  The same OCR-damaged addresses ("AbedinH @state.gov",
# "Mills;CD@state.gov", "HDR22@clintonemail. com", "AbedinH@state, gov")
# are redacted whole on a scanned page that OCR read, and in a text layer
# whose creator names OCR software; in auto mode they are left as the
# normal detectors see them in born-digital text (a text file, a PDF text
# layer, the born-digital page of a PDF whose other page is a scan); in
# the address fields of a printed message they are redacted whole.
. "$(dirname "$0")/test-lib.sh"

. "$TEST_DIR/ocr-lib.sh"

D=$TRASH/damaged
# The damaged lines drawn as a scan (page 2 of damaged-scan.pdf; page 2 of
# damaged-mixed.pdf, after a text-layer page with the same lines) and set
# as text (damaged.txt, damaged-digital.pdf, and damaged-abbyy.pdf with the
# creator "ABBYY FineReader 11"), drawn as scripts/make-samples-ocr draws.
/usr/bin/python3 - "$TOP" "$D" <<-\PY || test_skip_all "cannot draw the damaged samples"
	import importlib.machinery, importlib.util, os, sys
	import cairo
	top, out = sys.argv[1], sys.argv[2]
	loader = importlib.machinery.SourceFileLoader("mso", os.path.join(top, "scripts/make-samples-ocr"))
	mso = importlib.util.module_from_spec(importlib.util.spec_from_loader("mso", loader))
	loader.exec_module(mso)
	LINES = ["Please write to AbedinH @state.gov about the draft,",
	         "and copy Mills;CD@state.gov and HDR22@clintonemail. com",
	         "or the old address AbedinH@state, gov if it still works."]
	os.makedirs(out, exist_ok=True)
	with open(os.path.join(out, "damaged.txt"), "w") as f:
	    f.write("\n".join(LINES) + "\n")
	p1 = mso.draw_page(mso.PAGES[0], 300, 1, stamp=False, skew=0, noise=False)
	p2 = mso.draw_page(LINES, 300, 2, stamp=False, skew=0, noise=False)
	p1.save(os.path.join(out, "damaged-scan.pdf"), save_all=True, append_images=[p2], resolution=300)
	png = os.path.join(out, "p2.png")
	p2.save(png)
	def text_page(cr):
	    cr.select_font_face("DejaVu Serif")
	    cr.set_font_size(12)
	    for i, line in enumerate(LINES):
	        cr.move_to(72, 80 + 16 * i)
	        cr.show_text(line)
	    cr.show_page()
	for name, creator in (("damaged-digital.pdf", None), ("damaged-abbyy.pdf", "ABBYY FineReader 11")):
	    pdf = cairo.PDFSurface(os.path.join(out, name), 612, 360)
	    if creator:
	        pdf.set_metadata(cairo.PDFMetadata.CREATOR, creator)
	    text_page(cairo.Context(pdf))
	    pdf.finish()
	pdf = cairo.PDFSurface(os.path.join(out, "damaged-mixed.pdf"), 612, 360)
	cr = cairo.Context(pdf)
	text_page(cr)
	cr.scale(72 / 300, 72 / 300)
	cr.set_source_surface(cairo.ImageSurface.create_from_png(png), 0, 0)
	cr.paint()
	cr.show_page()
	pdf.finish()
	# A printed message on a scanned page: its part's body came from OCR too.
	msg = ["UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398", "",
	       "From: Mills, Cheryl D <MillsCD@state,gov>", "Sent: Monday, March 2, 2009 9:12 AM",
	       "To: H", "Cc: Sullivan:JJ@state.gov", "Subject: Re: schedule", "",
	       "Fine with me. Write to AbedinH @state.gov about it."]
	img = mso.draw_page(msg, 300, 3, stamp=False, skew=0, noise=False)
	img.save(os.path.join(out, "printed-scan.pdf"), resolution=300)
PY

# What the normal detectors make of the lines, and the lines redacted whole.
cat >"$TRASH/digital.want" <<-\EOF
	Please write to AbedinH @state.gov about the draft,
	and copy Mills;[EMAIL] and HDR22@clintonemail. com
	or the old address AbedinH@state, gov if it still works.
EOF
cat >"$TRASH/ocr.want" <<-\EOF
	Please write to [EMAIL] about the draft,
	and copy [EMAIL] and [EMAIL]
	or the old address [EMAIL] if it still works.
EOF
printf '[redact]\nocr-tolerant=always\n' >"$TRASH/always.conf"
printf '[redact]\nocr-tolerant=never\n' >"$TRASH/never.conf"

test_expect_success 'an OCR scan: its damaged addresses are redacted whole' '
	docpipe convert -c "$BASE" --xml "$D/damaged-scan.pdf" >x.xml &&
	test_grep "<page n=\"2\" ocr=\"tesseract\"" x.xml &&
	docpipe convert -c "$BASE" "$D/damaged-scan.pdf" >out &&
	tr -d "\f" <out | tail -n 3 >got &&
	test_cmp "$TRASH/ocr.want" got &&
	! grep -E "AbedinH|Mills;|clintonemail|state" out
'

test_expect_success 'auto: the same lines born-digital get the normal detectors only' '
	docpipe convert -c "$BASE" "$D/damaged.txt" >out &&
	test_cmp "$TRASH/digital.want" out &&
	docpipe convert -c "$BASE" "$D/damaged-digital.pdf" >out &&
	test_cmp "$TRASH/digital.want" out
'

test_expect_success 'auto: a text layer whose creator names OCR software is OCR text' '
	docpipe convert -c "$BASE" "$D/damaged-abbyy.pdf" >out &&
	test_cmp "$TRASH/ocr.want" out
'

test_expect_success 'auto: only the pages OCR read, in a PDF with both kinds' '
	docpipe convert -c "$BASE" --xml "$D/damaged-mixed.pdf" >x.xml &&
	test_grep "<page n=\"2\" ocr=\"tesseract\"" x.xml &&
	! grep -q "<page n=\"1\" ocr=" x.xml &&
	docpipe convert -c "$BASE" "$D/damaged-mixed.pdf" >out &&
	tr -d "\f" <out >lines &&
	cat "$TRASH/digital.want" "$TRASH/ocr.want" >want &&
	test_cmp want lines
'

test_expect_success 'always and never' '
	docpipe convert -c "$TRASH/always.conf" "$D/damaged.txt" >out &&
	test_cmp "$TRASH/ocr.want" out &&
	docpipe convert -c "$TRASH/never.conf" "$D/damaged-abbyy.pdf" >out &&
	test_cmp "$TRASH/digital.want" out &&
	docpipe convert -c "$TRASH/never.conf" "$D/damaged-scan.pdf" >out &&
	tr -d "\f" <out | tail -n 3 >got &&
	test_cmp "$TRASH/digital.want" got
'

test_expect_success 'the stages: docpipe-redact decides from the record as convert does' '
	docpipe detect "$D/damaged-abbyy.pdf" | docpipe extract -c "$BASE" | docpipe redact -c "$BASE" |
		docpipe emit >out &&
	test_cmp "$TRASH/ocr.want" out &&
	docpipe-redact -c "$BASE" --text <"$D/damaged.txt" >out &&
	test_cmp "$TRASH/digital.want" out &&
	docpipe-redact -c "$TRASH/always.conf" --text <"$D/damaged.txt" >out &&
	test_cmp "$TRASH/ocr.want" out
'

test_expect_success 'a printed message in born-digital text: its address fields are redacted whole' '
	{
		echo "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 05/13/2015" &&
		echo &&
		echo "From: Mills, Cheryl D <MillsCD@state,gov>" &&
		echo "Sent: Monday, March 2, 2009 9:12 AM" &&
		echo "To: H" &&
		echo "Cc: Mills;CD@state.gov; Huma@@clintonemail.com" &&
		echo "Subject: Re: schedule" &&
		echo &&
		echo "Fine with me. Write to Mills;CD@state.gov."
	} >printed.txt &&
	docpipe convert -c "$BASE" --xml printed.txt >x.xml &&
	test_grep "type=\"message/x-printed\"" x.xml &&
	test_grep "<meta name=\"from\">\[PERSON\] &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	test_grep "<meta name=\"cc\">\[EMAIL\]; \[EMAIL\]</meta>" x.xml &&
	test_grep "Write to Mills;\[EMAIL\]\." x.xml
'

test_expect_success 'a printed message on a scanned page: its body is OCR text too' '
	docpipe convert -c "$BASE" --xml "$D/printed-scan.pdf" >x.xml &&
	test_grep "<page n=\"1\" ocr=\"tesseract\"" x.xml &&
	test_grep "type=\"message/x-printed\"" x.xml &&
	test_grep "<meta name=\"from\">\[PERSON\] &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	test "$(grep -c "Write to \[EMAIL\] about it\." x.xml)" = 2 &&
	! grep -E "AbedinH|state|Sullivan" x.xml
'

test_done
