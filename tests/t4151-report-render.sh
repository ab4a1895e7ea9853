#!/bin/sh
test_description='docpipe report renders in headless Chromium: the charts draw, on a laptop screen, in grey and on paper'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIR/report-lib.sh"

command -v chromium >/dev/null 2>&1 ||
	test_skip_all "chromium is absent (Debian package chromium, in the test group of scripts/install-deps)"
/usr/bin/python3 -c "import PIL" 2>/dev/null ||
	test_skip_all "python3-pil is absent (scripts/install-deps installs it)"

# chromium_run ARGS... URL: headless, with a profile of its own in the
# scratch directory (never the user's, never shared with another test).
chromium_run() {
	HOME="$TRASH" chromium --headless --disable-gpu --no-sandbox --no-first-run --hide-scrollbars \
		--disable-extensions --disable-background-networking --user-data-dir="$TRASH/chromium-profile" \
		"$@" >chromium.log 2>&1
}

# shot HTML PNG WIDTH HEIGHT: a screenshot of the page at that window size.
shot() {
	chromium_run --window-size="$3,$4" --screenshot="$TRASH/$2" "file://$TRASH/$1" && test -s "$2"
}

test_expect_success 'reports of a full and an empty database' '
	report_fixture full full && docpipe report full &&
	report_fixture empty empty && docpipe report empty
'

test_expect_success 'the charts draw: bars on the page of the full database, none on the empty one' '
	shot full/report.html full.png 1366 3000 &&
	shot empty/report.html empty.png 1366 3000 &&
	full=$(report_bar_pixels full.png) && empty=$(report_bar_pixels empty.png) &&
	echo "bar pixels: full $full, empty $empty" &&
	test "$empty" = 0 && test "$full" -gt 20000
'

test_expect_success 'the first screen of a 1366x768 laptop already shows charts' '
	shot full/report.html laptop.png 1366 768 &&
	n=$(report_bar_pixels laptop.png) && echo "bar pixels: $n" && test "$n" -gt 2000
'

# The page must not be wider than the screen: on a 1366-pixel window the
# last column of pixels is the page background, not a cut-off chart.
test_expect_success 'the page fits the width of the screen' '
	/usr/bin/python3 - laptop.png <<-\PY
	import sys
	from PIL import Image
	im = Image.open(sys.argv[1]).convert("RGB")
	w, h = im.size
	assert w == 1366, im.size
	edge = [im.getpixel((w - 1, y)) for y in range(h)]
	assert all(p == (255, 255, 255) for p in edge), "content reaches the right edge"
	PY
'

# Without colour, bars must still stand out: in grey, the bars are dark
# (their lightness far from the white page) and they outnumber the dark
# pixels of the empty page (text, lines) by far.
test_expect_success 'in grey the bars are still dark against the page' '
	/usr/bin/python3 - full.png empty.png <<-\PY
	import sys
	from PIL import Image
	def dark(path):
	    im = Image.open(path).convert("L")
	    return sum(1 for v in im.getdata() if v < 110)
	full, empty = dark(sys.argv[1]), dark(sys.argv[2])
	print("dark pixels: full %d, empty %d" % (full, empty))
	assert full > empty + 20000, (full, empty)
	PY
'

test_expect_success 'it prints: a PDF with every section and the numbers beside the bars' '
	chromium_run --no-pdf-header-footer --print-to-pdf="$TRASH/full.pdf" "file://$TRASH/full/report.html" &&
	test -s full.pdf &&
	pdftotext -layout full.pdf full.txt &&
	for s in "Inputs by type and status" "Failures and their reasons" "Pages read by OCR" \
		"Redactions by rule and channel" "FOIA exemptions by code" "Messages per month" \
		"The largest duplicate groups" "The largest threads" "13 (10 + 3)"; do
		grep -q -F "$s" full.txt || { echo "not printed: $s"; return 1; }
	done
'

test_done
