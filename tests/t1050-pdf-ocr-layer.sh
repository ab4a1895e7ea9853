#!/bin/sh
# t1050: text layers that look made by OCR (extract/pdf-ocr.c,
# pdf-streams.c).  A page whose text is drawn invisibly (render mode 3 or
# 7) over images that cover most of it is listed in meta.ocr-layer-pages,
# and in [redact] ocr-tolerant=auto the OCR-tolerant detectors redact its
# damaged addresses whole, whatever the producer says; a born-digital page
# (visible text, over a picture or not), invisible text without a scan
# under it, and ocr-tolerant=never keep the normal detectors only.  Then
# the same with ocrmypdf's own output, its creator kept and taken out.
# The samples come from scripts/make-samples-ocr-layer.
. "$(dirname "$0")/test-lib.sh"

BASE=$TRASH/base.conf
: >"$BASE"
NEVER=$TRASH/never.conf
printf '[redact]\nocr-tolerant=never\n' >"$NEVER"
S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ocr-layer" "$S" || test_skip_all "cannot write the samples (python3)"

# The lines as the normal detectors redact them, and redacted whole.
printf '%s\n' "Please write to AbedinH @state.gov about the draft," \
	"and copy Mills;[EMAIL] and HDR22@clintonemail. com" \
	"or the old address AbedinH@state, gov if it still works." >"$TRASH/digital.want"
printf '%s\n' "Please write to [EMAIL] about the draft," "and copy [EMAIL] and [EMAIL]" \
	"or the old address [EMAIL] if it still works." >"$TRASH/ocr.want"

test_expect_success 'the samples are made the same on every run' '
	/usr/bin/python3 "$TOP/scripts/make-samples-ocr-layer" again &&
	for f in layer layer7 layer-abbyy visible hidden-logo hidden-plain; do
		cmp "$S/$f.pdf" "again/$f.pdf" || return 1
	done
'

test_expect_success 'invisible text over a scan: listed as an OCR text layer' '
	for f in layer layer7 layer-abbyy; do
		docpipe convert -c "$BASE" --xml "$S/$f.pdf" >x.xml &&
		test_grep "<meta name=\"ocr-layer-pages\">1</meta>" x.xml || return 1
	done
'

test_expect_success 'auto: its damaged addresses are redacted whole, no producer needed' '
	for f in layer layer7 layer-abbyy; do
		docpipe convert -c "$BASE" "$S/$f.pdf" >out &&
		test_cmp "$TRASH/ocr.want" out || return 1
	done
'

test_expect_success 'never: the same layer gets the normal detectors only' '
	docpipe convert -c "$NEVER" "$S/layer.pdf" >out &&
	test_cmp "$TRASH/digital.want" out
'

test_expect_success 'born-digital look-alikes: no OCR layer, the normal detectors only' '
	for f in visible hidden-logo hidden-plain; do
		docpipe convert -c "$BASE" --xml "$S/$f.pdf" >x.xml &&
		! grep ocr-layer-pages x.xml &&
		docpipe convert -c "$BASE" "$S/$f.pdf" >out &&
		test_cmp "$TRASH/digital.want" out || return 1
	done
'

test_expect_success 'the stages: docpipe-redact reads the mark from the record' '
	docpipe detect "$S/layer.pdf" | docpipe extract -c "$BASE" | docpipe redact -c "$BASE" |
		docpipe emit >out &&
	test_cmp "$TRASH/ocr.want" out
'

if command -v ocrmypdf >/dev/null 2>&1 &&
	/usr/bin/python3 "$TOP/scripts/make-samples-ocr-layer" "$TRASH/ocrmypdf" ocrmypdf >/dev/null 2>&1; then
	test_set_prereq OCRMYPDF
fi

# ocrmypdf's output: its creator names it; without the document
# information and the XMP metadata only the invisible layer over the scan
# tells.  What Tesseract read is not compared, only that nothing leaks.
test_expect_success OCRMYPDF 'ocrmypdf output, with and without its creator: OCR text' '
	O=$TRASH/ocrmypdf &&
	docpipe convert -c "$BASE" --xml "$O/ocr.pdf" >ocr.xml &&
	test_grep "<meta name=\"creator\">ocrmypdf" ocr.xml &&
	docpipe convert -c "$BASE" --xml "$O/bare.pdf" >bare.xml &&
	! grep "name=\"creator\"\|name=\"producer\"" bare.xml &&
	for f in ocr bare; do
		test_grep "<meta name=\"ocr-layer-pages\">1</meta>" $f.xml &&
		! grep -E "AbedinH|Mills;|clintonemail|state" $f.xml || return 1
	done &&
	docpipe convert -c "$NEVER" "$O/bare.pdf" >never &&
	grep "AbedinH" never
'

test_done
