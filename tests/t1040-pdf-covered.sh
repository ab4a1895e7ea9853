#!/bin/sh
# t1040: text under black boxes in PDFs (extract/pdf-covered.c).  A word
# whose glyphs an opaque dark box hides is replaced by [COVERED] in the
# extractor, counted in meta.pdf.covered-words and -pages, and its label
# listed in a "redacted: covered body ..." line (<redaction rule="covered">);
# the hidden text is in no output.  Boxes over nothing, white text on dark
# table headers and banners, colour on colour and ordinary pages are no
# finding, and their output is byte-identical with [pdf] covered-text=keep.
# The samples come from scripts/make-samples-covered; the corpus part uses
# the court filings of x-ray (Free Law Project) in xray/.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-covered" "$S" || test_skip_all "cannot make the samples (python3-cairo)"
BASE=$TRASH/base.conf
: >"$BASE"
KEEP=$TRASH/keep.conf
printf "[pdf]\ncovered-text=keep\n" >"$KEEP"
REPORT=$TRASH/report.conf
printf "[pdf]\ncovered-text=report\n" >"$REPORT"

# The hidden words of covered.pdf, which must never come out.
hidden() {
	grep -E "Jane|Quincy|Doe|123-45-6789|6789|Zanzibar|4417|Quillfeather|Lane" "$@"
}

test_expect_success 'the samples are made the same on every run' '
	/usr/bin/python3 "$TOP/scripts/make-samples-covered" again &&
	for f in covered header colour normal; do cmp "$S/$f.pdf" "again/$f.pdf" || return 1; done
'

test_expect_success 'the text pdftotext finds under the boxes is in the file' '
	pdftotext "$S/covered.pdf" - >layer &&
	hidden layer >found &&
	test "$(wc -l <found)" = 4
'

test_expect_success 'covered words are replaced by [COVERED] in the text, none leaks' '
	docpipe convert -c "$BASE" --no-redact "$S/covered.pdf" >out &&
	! hidden out &&
	cat >want <<-\EOF &&
	Declaration in support of the motion to seal.
	The witness, [COVERED] [COVERED] [COVERED] lives at the address below.
	Her social security number is [COVERED] on the form.
	Asked about treatment, she answered [COVERED] Id.
	Address: [COVERED] [COVERED] [COVERED] Springfield.
	The rest of this page is visible and stays as it is.
	EOF
	sed -n "1,6p" out >got &&
	test_cmp want got
'

test_expect_success 'the XML counts them, says where the labels are, and leaks nothing' '
	docpipe convert -c "$BASE" --xml "$S/covered.pdf" >x.xml &&
	! hidden x.xml &&
	test_grep "<meta name=\"pdf.covered-words\">8</meta>" x.xml &&
	test_grep "<meta name=\"pdf.covered-pages\">1</meta>" x.xml &&
	test_grep "<redaction rule=\"covered\" field=\"body\" count=\"8\" positions=\"" x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml
'

test_expect_success 'each position of the covered line is a label in the extracted body' '
	docpipe-extract "$S/covered.pdf" >rec &&
	/usr/bin/python3 - rec <<-\EOF
	import sys
	data = open(sys.argv[1], "rb").read()
	head, _, rest = data.partition(b"\nbody: ")
	size, _, rest = rest.partition(b"\n")
	body = rest[:int(size)]
	fields = [l.split(b": ", 1) for l in head.split(b"\n")[1:]]
	lines = [v for k, v in fields if k == b"redacted" and v.startswith(b"covered ")]
	assert len(lines) == 1, lines
	pos = lines[0].split()[3:]
	assert len(pos) == int(lines[0].split()[2]) == 8, lines
	for p in pos:
	    off, n = map(int, p.split(b"+"))
	    assert body[off:off + n] == b"[COVERED]", (p, body[off:off + n])
	EOF
'

test_expect_success 'covered-text=report counts them and keeps the text' '
	docpipe convert -c "$REPORT" --xml --no-redact "$S/covered.pdf" >x.xml &&
	test_grep "<meta name=\"pdf.covered-words\">8</meta>" x.xml &&
	! test_grep "COVERED" x.xml &&
	! test_grep "rule=\"covered\"" x.xml &&
	hidden x.xml >/dev/null
'

test_expect_success 'covered-text=keep: no test, the text layer as it is' '
	docpipe convert -c "$KEEP" --xml --no-redact "$S/covered.pdf" >x.xml &&
	! test_grep "pdf.covered" x.xml &&
	! test_grep "COVERED" x.xml &&
	test "$(hidden x.xml | wc -l)" = 4
'

for f in header colour normal; do
	test_expect_success "$f.pdf: no finding, output byte-identical with covered-text=keep" '
		docpipe convert -c "$BASE" --xml "$S/'$f'.pdf" >x.xml &&
		docpipe convert -c "$KEEP" --xml "$S/'$f'.pdf" >k.xml &&
		cmp x.xml k.xml &&
		! test_grep "pdf.covered" x.xml &&
		! test_grep "rule=\"covered\"" x.xml &&
		! test_grep "COVERED" x.xml
	'
done

test_expect_success 'white text in the header cells and the banner is kept' '
	docpipe convert -c "$BASE" --no-redact "$S/header.pdf" >out &&
	test_grep "^Region Revenue Staff$" out &&
	test_grep "^TO LOCK DOWN CULTURE AND CONTROL CREATIVITY$" out
'

test_expect_success 'docpipe run: the ledger counts the covered words with the redactions' '
	mkdir runin &&
	cp "$S/covered.pdf" "$S/normal.pdf" runin/ &&
	docpipe run -q -c "$BASE" runin runout &&
	sqlite3 runout/.docpipe/ledger.sqlite "SELECT path, status, redactions FROM inputs ORDER BY path" >rows &&
	cat >want <<-\EOF &&
	covered.pdf|ok|covered=8 covered.covered=8
	normal.pdf|ok|
	EOF
	test_cmp want rows &&
	! hidden runout/covered.pdf.txt runout/covered.pdf.xml &&
	docpipe status runout >status &&
	test_grep "^  covered *8 (covered 8)" status
'

# The x-ray corpus.  True positives, checked by rendering each page and by
# pdftotext: rectangles_yes.pdf (three answers under black rectangles:
# "No", "Yes", but did not disclose all relevant medical history.", "No")
# and bad_cross_hatched_redactions.pdf (cross-hatched boxes over dates,
# names and accounts: "November 2019", "Yuriy Lutsenko", "Roman Nasirov",
# "Alexander Levin").  No finding: rectangles_no.pdf and
# multi_line_redaction_ok.pdf (boxes with nothing under them),
# whitespace_redactions.pdf (blank gaps), hidden_text_on_visible_text.pdf
# (text over text, no dark box).
X=$CORPUS/xray

test_expect_success CORPUS 'xray: the covered words of rectangles_yes.pdf are found, none leaks' '
	pdftotext "$X/rectangles_yes.pdf" - | grep -c "disclose all relevant medical history" >n &&
	test "$(cat n)" = 1 &&
	docpipe convert -c "$BASE" --xml "$X/rectangles_yes.pdf" >x.xml &&
	test_grep "<meta name=\"pdf.covered-words\">11</meta>" x.xml &&
	! test_grep "disclose" x.xml &&
	! test_grep "medical history" x.xml &&
	! test_grep "answered .No" x.xml &&
	! test_grep "answered .Yes" x.xml &&
	test "$(grep -o "She answered \[COVERED\]" x.xml | wc -l)" = 3
'

test_expect_success CORPUS 'xray: the words under cross-hatched boxes are found, none leaks' '
	pdftotext "$X/bad_cross_hatched_redactions.pdf" - >layer &&
	test_grep "Yuriy Lutsenko" layer &&
	docpipe convert -c "$BASE" --xml "$X/bad_cross_hatched_redactions.pdf" >x.xml &&
	test_grep "<meta name=\"pdf.covered-words\">90</meta>" x.xml &&
	for w in "November 2019" Lutsenko Nasirov "Alexander Levin" "Fiscal Service" "02/28/2020"; do
		! test_grep "$w" x.xml || return 1
	done &&
	test_grep "the iCloud account of Victoria Toensing" x.xml
'

for f in rectangles_no multi_line_redaction_ok whitespace_redactions hidden_text_on_visible_text; do
	test_expect_success CORPUS "xray: $f.pdf has no finding and the same output as with keep" '
		docpipe convert -c "$BASE" --xml "$X/'$f'.pdf" >x.xml &&
		docpipe convert -c "$KEEP" --xml "$X/'$f'.pdf" >k.xml &&
		cmp x.xml k.xml &&
		! test_grep "pdf.covered" x.xml &&
		! test_grep "COVERED" x.xml
	'
done

test_done
