#!/bin/sh
# t1120: [ocr] words=true: each OCR'd word with its box and confidence
# (<words> after each <page>, core/ocrwords.c).  The words read are the
# page's text; boxes are in image pixels for images and in PDF points for
# PDFs, where they fall on the words of the text layer as pdftotext
# measures them; redaction withholds every word a match touches (an
# e-mail address in one word, a phone number in three), in convert and
# through the stages alike; the XML validates against the schema.
. "$(dirname "$0")/test-lib.sh"

. "$TEST_DIR/ocr-lib.sh"

WORDS=$TRASH/words.conf
printf '[ocr]\nwords=true\n' >"$WORDS"

# words XML: the words' texts, one line of them per <words> element.
words() {
	/usr/bin/python3 - "$1" <<-\PY
	import sys, xml.etree.ElementTree as ET
	for ws in ET.parse(sys.argv[1]).getroot().iter("words"):
	    print(" ".join(w.text if w.text else "#" + w.get("redacted") for w in ws.iter("w")))
	PY
}

test_expect_success 'off by default: no <words>, no ocr-words lines' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/page-1-300.png" >x.xml &&
	! grep -q "<words" x.xml &&
	docpipe detect "$S/page-1-300.png" | docpipe extract -c "$BASE" >rec &&
	! grep -q "^ocr-words: " rec
'

test_expect_success 'an image: its words, in order, are its text; boxes in its pixels; valid XML' '
	docpipe convert -c "$WORDS" --xml --no-redact "$S/page-1-300.png" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_grep "<words page=\"1\" unit=\"px\">" x.xml &&
	words x.xml >w &&
	accuracy "$S/page-1.txt" w &&
	/usr/bin/python3 - x.xml <<-\PY
	import sys, xml.etree.ElementTree as ET
	doc = ET.parse(sys.argv[1]).getroot().find("document")
	size = [m.text for m in doc.iter("meta") if m.get("name") == "image-size"][0]
	W, H = (int(v) for v in size.split()[0].split("x"))
	ws = list(doc.iter("w"))
	assert len(ws) > 40, len(ws)
	for w in ws:
	    x, y, bw, bh, conf = (float(w.get(k)) for k in ("x", "y", "w", "h", "conf"))
	    assert 0 <= x and x + bw <= W and 0 <= y and y + bh <= H, (w.text, x, y, bw, bh)
	    assert 0 <= conf <= 100 and bh > 10, (w.text, conf, bh)
	PY
'

test_expect_success 'the same page at 200 and 300 dpi: boxes scale with the image' '
	docpipe convert -c "$WORDS" --xml --no-redact "$S/page-1-200.png" >x200.xml &&
	docpipe convert -c "$WORDS" --xml --no-redact "$S/page-1-300.png" >x300.xml &&
	/usr/bin/python3 - x200.xml x300.xml <<-\PY
	import sys, xml.etree.ElementTree as ET
	def boxes(path):
	    out = {}
	    for w in ET.parse(path).getroot().iter("w"):
	        out.setdefault(w.text, (float(w.get("x")), float(w.get("y"))))
	    return out
	a, b = boxes(sys.argv[1]), boxes(sys.argv[2])
	common = [t for t in a if t in b and t and len(t) > 4]
	assert len(common) > 10, common
	for t in common:
	    # The drawing rounds its font sizes to whole pixels: within 2%.
	    for i in 0, 1:
	        assert abs(a[t][i] * 1.5 - b[t][i]) < 0.02 * b[t][i] + 6, (t, a[t], b[t])
	PY
'

test_expect_success 'a PDF page: boxes in points, on the words of its text layer' '
	docpipe convert -c "$WORDS" --ocr --xml --no-redact "$S/textlayer.pdf" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_grep "<words page=\"1\" unit=\"pt\">" x.xml &&
	pdftotext -bbox "$S/textlayer.pdf" bbox.html &&
	/usr/bin/python3 - x.xml bbox.html <<-\PY
	import re, sys, xml.etree.ElementTree as ET
	ocr = {}
	for w in ET.parse(sys.argv[1]).getroot().iter("w"):
	    ocr.setdefault(w.text, tuple(float(w.get(k)) for k in ("x", "y", "w", "h")))
	layer = {}
	for m in re.finditer(r"xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">([^<]*)<", open(sys.argv[2]).read()):
	    x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
	    layer.setdefault(m.group(5), (x0, y0, x1, y1))
	common = [t for t in ocr if t in layer]
	assert len(common) >= 5, (sorted(ocr), sorted(layer))
	for t in common:
	    x, y, w, h = ocr[t]
	    x0, y0, x1, y1 = layer[t]
	    # The glyphs inked lie within the font box, a little inside it.
	    assert abs(x - x0) < 3 and abs(x + w - x1) < 3, (t, ocr[t], layer[t])
	    assert y0 - 2 < y + h / 2 < y1 + 2, (t, ocr[t], layer[t])
	print("%d words checked" % len(common))
	PY
'

test_expect_success 'redaction withholds the words: an e-mail address and a phone number in a scan' '
	/usr/bin/python3 - <<-\PY &&
	from PIL import Image, ImageDraw, ImageFont
	f = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 50)
	im = Image.new("L", (2550, 800), 255)
	d = ImageDraw.Draw(im)
	d.text((150, 200), "Write to jane.doe@example.com about it.", font=f, fill=0)
	d.text((150, 400), "Call John at 555 867 5309 today.", font=f, fill=0)
	im.save("mail.png", dpi=(300, 300))
	PY
	docpipe convert -c "$WORDS" --no-redact --xml mail.png >clear.xml &&
	test_grep ">jane.doe@example.com</w>" clear.xml &&
	docpipe convert -c "$WORDS" --xml mail.png >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	! grep -q -e jane -e example.com -e 867 -e 5309 x.xml &&
	words x.xml >got &&
	echo "Write to #email about it. Call John at #phone #phone #phone today." >want &&
	test_cmp want got &&
	test "$(grep -c "<w x=\"[0-9.]*\" y=\"[0-9.]*\" w=\"[0-9.]*\" h=\"[0-9.]*\" conf=\"[0-9]*\" redacted=\"email\"/>" x.xml)" = 1
'

test_expect_success 'through the stages: the same words, withheld by docpipe redact' '
	docpipe detect mail.png | docpipe extract -c "$WORDS" >rec &&
	grep "^ocr-words: 1 px " rec >lines &&
	test_grep "jane.doe@example.com" lines &&
	docpipe redact -c "$WORDS" <rec >red &&
	! grep -q -e jane -e 867 red &&
	test_grep "^ocr-words: 1 px .*#email" red &&
	docpipe emit --xml <red >s.xml &&
	test_cmp x.xml s.xml
'

test_expect_success 'a multi-page TIFF: one <words> per page, each after its page' '
	docpipe convert -c "$WORDS" --xml --no-redact "$S/pages.tif" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	grep -o -e "<page n=\"[0-9]*\"" -e "<words page=\"[0-9]*\"" x.xml >order &&
	printf "%s\n" "<page n=\"1\"" "<words page=\"1\"" "<page n=\"2\"" "<words page=\"2\"" \
		"<page n=\"3\"" "<words page=\"3\"" >want &&
	test_cmp want order &&
	words x.xml | sed -n 2p >w2 &&
	accuracy "$S/page-2.txt" w2
'

test_done
