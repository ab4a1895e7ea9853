# report-lib.sh: checks shared by the tests of `docpipe report`
# (t4150-t4169), sourced after test-lib.sh.
#
#   report_fixture VARIANT DIR   a corpus database DIR/corpus.sqlite (report-fixture.py)
#   report_wellformed FILE       FILE is well-formed XML (the page is XHTML5)
#   report_self_contained FILE   FILE loads nothing and runs nothing
#   report_value FILE XPATH      the string value of XPATH in FILE, on stdout
#   report_bar_pixels PNG        how many pixels of PNG have the bars' fill

report_fixture() {
	mkdir -p "$2" && /usr/bin/python3 "$TEST_DIR/report-fixture.py" "$1" "$2/corpus.sqlite"
}

report_wellformed() {
	xmllint --noout --nonet "$1"
}

# No element that loads or runs anything, no attribute that points
# outside the page (only "#id" links), no inline style attribute, and no
# url( or @import in the style sheet.  Values from documents are text, so
# "src=" or "http" inside them is harmless and not looked at here.
report_self_contained() {
	n=$(xmllint --nonet --xpath 'count(//script | //link | //img | //image | //iframe | //object | //embed |
		//audio | //video | //source | //use | //foreignObject | //base | //form | //@src | //@srcset |
		//@*[local-name() = "href" and not(starts-with(., "#"))] | //@style | //@*[starts-with(name(), "on")])' "$1") &&
	if test "$n" != 0; then
		echo "$1: $n elements or attributes load or run something"
		return 1
	fi &&
	xmllint --nonet --xpath '//style' "$1" >style.css &&
	! grep -n -i -e "url(" -e "@import" -e "http" style.css
}

report_value() {
	xmllint --nonet --xpath "string($2)" "$1"
}

# Pixels within a small distance of the bars' fill (#24527a, svg .bar in
# report/xhtml.c), counted with PIL.
report_bar_pixels() {
	/usr/bin/python3 - "$1" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
n = sum(1 for r, g, b in im.getdata() if abs(r - 0x24) <= 6 and abs(g - 0x52) <= 6 and abs(b - 0x7a) <= 6)
print(n)
PY
}
