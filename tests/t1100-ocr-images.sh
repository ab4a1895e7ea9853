#!/bin/sh
# t1100: images through OCR (extract/image.c, extract/ocr.c): every format
# Leptonica reads, a multi-page TIFF page by page, a PNG attached to a
# message and inside a zip, read with word accuracy >= 0.95 against the
# text they were drawn from (scripts/make-samples-ocr); a corrupt and an
# enormous image give a clean status.  No timing assertions.
. "$(dirname "$0")/test-lib.sh"

. "$TEST_DIR/ocr-lib.sh"

for f in page-1-300.png page-1-200.png page-1.jpg page-1.gif page-1.bmp; do
	test_expect_success "$f: read by OCR, word accuracy >= 0.95" '
		docpipe convert -c "$BASE" --no-redact "$S/'"$f"'" >out &&
		accuracy "$S/page-1.txt" out
	'
done

test_expect_success 'WebP (when PIL could write it): word accuracy >= 0.95' '
	if test -f "$S/page-1.webp"; then
		docpipe convert -c "$BASE" --no-redact "$S/page-1.webp" >out &&
		accuracy "$S/page-1.txt" out
	fi
'

test_expect_success 'an image is a paged document: <page ocr="tesseract">, meta ocr-pages, valid XML' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/page-1-300.png" >x.xml &&
	test_grep "type=\"image/png\" status=\"ok\"" x.xml &&
	test_grep "<page n=\"1\" ocr=\"tesseract\" ocr-confidence=\"[0-9]*\">" x.xml &&
	test_grep "<meta name=\"ocr-pages\">1</meta>" x.xml &&
	test_grep "<meta name=\"ocr-languages\">eng</meta>" x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml
'

test_expect_success 'a multi-page TIFF: every page, in order, each a page' '
	docpipe convert -c "$BASE" --xml --no-redact "$S/pages.tif" >x.xml &&
	test "$(grep -c "<page n=\"[123]\" ocr=\"tesseract\"" x.xml)" = 3 &&
	test_grep "<meta name=\"ocr-pages\">3</meta>" x.xml &&
	docpipe convert -c "$BASE" --no-redact "$S/pages.tif" >out &&
	cat "$S/page-1.txt" "$S/page-2.txt" "$S/page-3.txt" >want &&
	accuracy want out &&
	test "$(tr -cd "\f" <out | wc -c)" = 2
'

test_expect_success 'OCR text is redacted like any other text' '
	/usr/bin/python3 - "$S" <<-\PY &&
	import sys
	from PIL import Image, ImageDraw, ImageFont
	f = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 50)
	im = Image.new("L", (2550, 600), 255)
	ImageDraw.Draw(im).text((150, 200), "Write to jane.doe@example.com about it.", font=f, fill=0)
	im.save("mail.png", dpi=(300, 300))
	PY
	docpipe convert -c "$BASE" mail.png >out &&
	test_grep "\[EMAIL\]" out && ! grep -q "jane.doe" out
'

test_expect_success 'a PNG attached to a message goes through the same OCR' '
	{
		printf "From: a@example.com\nTo: b@example.com\nSubject: scan\nMIME-Version: 1.0\n"
		printf "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee the scan\n"
		printf -- "--b\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"scan.png\"\n"
		printf "Content-Transfer-Encoding: base64\n\n"
		base64 "$S/page-1-300.png"
		printf -- "--b--\n"
	} >scan.eml &&
	docpipe convert -c "$BASE" --xml --no-redact scan.eml >x.xml &&
	test_grep "type=\"image/png\" status=\"ok\"" x.xml &&
	test_grep "ocr=\"tesseract\"" x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	docpipe convert -c "$BASE" --no-redact scan.eml >out &&
	accuracy "$S/page-1.txt" out
'

test_expect_success 'an image in a zip is read too' '
	cp "$S/page-1.jpg" scan.jpg &&
	/usr/bin/python3 -c "import zipfile; zipfile.ZipFile(\"z.zip\", \"w\").write(\"scan.jpg\")" &&
	docpipe convert -c "$BASE" --no-redact z.zip >out &&
	accuracy "$S/page-1.txt" out
'

test_expect_code 65 'a corrupt image: status error with a message, exit 65, no crash' '
	head -c 3000 "$S/page-1-300.png" >cut.png &&
	docpipe convert -c "$BASE" --xml cut.png >x.xml 2>err; rc=$?
	test_grep "status=\"error\"" x.xml && test_grep "<error>" x.xml && return $rc
'

# The same garbage every time: random bytes from /dev/urandom sometimes
# make a header of absurd dimensions, which is status limit, not error.
test_expect_code 65 'garbage after an image magic: status error, exit 65' '
	python3 -c "import random, sys; random.seed(1); sys.stdout.buffer.write(b\"\\x89PNG\\r\\n\\x1a\\n\" + bytes(random.getrandbits(8) for _ in range(5000)))" >junk.png &&
	docpipe convert -c "$BASE" --xml junk.png >x.xml 2>err; rc=$?
	test_grep "status=\"error\"" x.xml && return $rc
'

test_expect_code 65 'an enormous image is not decoded: status limit, exit 65' '
	/usr/bin/python3 - <<-\PY &&
	import struct, zlib
	def chunk(t, d):
	    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
	# 60000 x 60000 grey pixels claimed, one row of data.
	ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
	data = zlib.compress(b"\0" + b"\xff" * 60000)
	open("huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
	PY
	docpipe convert -c "$BASE" --xml huge.png >x.xml 2>err; rc=$?
	test_grep "status=\"limit\"" x.xml && test_grep "over the limit" x.xml && return $rc
'

test_expect_success 'a large image is scaled down before recognition, and still read' '
	/usr/bin/python3 - "$S" <<-\PY &&
	import sys
	from PIL import Image
	im = Image.open(sys.argv[1] + "/page-1-300.png")
	# 2400 dpi: 20400 x 12000 pixels, 245 million, scaled to 300 dpi.
	im.resize((im.width * 8, im.height * 8), Image.NEAREST).save("big.jpg", dpi=(2400, 2400), quality=70)
	PY
	docpipe convert -c "$BASE" --no-redact big.jpg >out &&
	accuracy "$S/page-1.txt" out
'

test_expect_success '[ocr] mode=never: an image is unsupported, as before OCR' '
	printf "[ocr]\nmode=never\n" >n.conf &&
	docpipe convert -c n.conf --xml "$S/page-1-300.png" >x.xml &&
	test_grep "status=\"unsupported\"" x.xml
'

test_expect_code 78 'a language without its data is a config error naming the package' '
	printf "[ocr]\nlanguages=eng+zzz_qq\n" >l.conf &&
	docpipe convert -c l.conf "$S/page-1-300.png" >out 2>err; rc=$?
	test_grep "tesseract-ocr-zzz-qq" err && return $rc
'

test_expect_success '--no-ocr and --ocr on convert override [ocr] mode' '
	docpipe convert -c "$BASE" --no-ocr --xml "$S/page-1-200.png" >x.xml &&
	test_grep "status=\"unsupported\"" x.xml &&
	printf "[ocr]\nmode=never\n" >n.conf &&
	docpipe convert -c n.conf --ocr --xml "$S/page-1-200.png" >x.xml &&
	test_grep "ocr=\"tesseract\"" x.xml
'

test_expect_success 'docpipe config names the engine and the language data' '
	docpipe config -c "$BASE" >out &&
	test_grep "^# ocr engine: tesseract [0-9]" out &&
	test_grep "^# ocr language data: eng: .*eng.traineddata sha256:[0-9a-f]" out
'

test_expect_success 'run: the ledger keeps the engine; a change is reported, --reocr converts again' '
	mkdir runin && cp "$S/page-1-200.png" runin/ &&
	docpipe run -q -c "$BASE" runin runout &&
	sqlite3 runout/.docpipe/ledger.sqlite "SELECT value FROM meta WHERE key = \"ocr-engine\"" >engine &&
	test_grep "^tesseract " engine &&
	sqlite3 runout/.docpipe/ledger.sqlite "UPDATE meta SET value = \"tesseract 0; old\" WHERE key = \"ocr-engine\"" &&
	docpipe run -c "$BASE" runin runout 2>err >/dev/null &&
	test_grep "OCR engine or its language data changed" err &&
	test_grep "0 converted" err &&
	docpipe run -c "$BASE" --reocr runin runout 2>err >/dev/null &&
	test_grep "1 converted" err &&
	docpipe run -c "$BASE" runin runout 2>err >/dev/null &&
	! grep -q "OCR engine" err && test_grep "0 converted" err
'

test_expect_success 'the same image gives byte-identical output twice' '
	docpipe convert -c "$BASE" --xml "$S/page-1-200.png" >a.xml &&
	docpipe convert -c "$BASE" --xml "$S/page-1-200.png" >b.xml &&
	test_cmp a.xml b.xml
'

test_done
