#!/bin/sh
# t1051: the dark areas that pdf-streams.c places on their page, so that
# pdf-covered.c renders only the pages whose text meets one.  In each
# sample the words "Secret Marguerite Oyelaran" lie under a black box
# drawn under a moved CTM, in a second content stream after a first that
# left the CTM moved, in a form XObject, in a form run by a form (each
# with a /Matrix), on pages with /Rotate 90, 270 and 180, under a CTM
# turned by 15 degrees, as a black image XObject or inline image pasted
# over them, by a form that runs itself (a cycle, not followed), before
# the words, which are black on it (black on black), and in a content
# stream the scan cannot read (ASCIIHex):
# each time the three words are found and replaced, the visible page
# keeps its text, and only the page with the words is rendered (the
# other page has a black banner under white words and a black box away
# from its text: no dark area over text).  DOCPIPE_COVERED_DEBUG reports
# the pages rendered.  The samples come from
# scripts/make-samples-covered-placed.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-covered-placed" "$S" || test_skip_all "cannot write the samples (python3)"
BASE=$TRASH/base.conf
: >"$BASE"
SAMPLES="moved split form nested rotated turned upside ctm image inline hex cycle highlight"

test_expect_success 'the samples are made the same on every run' '
	/usr/bin/python3 "$TOP/scripts/make-samples-covered-placed" again &&
	for f in $SAMPLES; do cmp "$S/$f.pdf" "again/$f.pdf" || return 1; done
'

for f in $SAMPLES; do
	# Only the stream the scan cannot read leaves its page unplaced: rendered as a fallback.
	fallback=0
	test "$f" = hex && fallback=1
	test_expect_success "$f.pdf: the covered words are found, none leaks, one page rendered" "
		DOCPIPE_COVERED_DEBUG=1 docpipe convert -c \"\$BASE\" --no-redact --xml \"\$S/$f.pdf\" >x.xml 2>err &&
		test_grep '<meta name=\"pdf.covered-words\">3</meta>' x.xml &&
		test_grep '<meta name=\"pdf.covered-pages\">2</meta>' x.xml &&
		! grep -E 'Secret|Marguerite|Oyelaran' x.xml &&
		test_grep 'covered-text: 1 pages rendered ($fallback for unplaced areas)' err
	"
done

test_expect_success 'the page without a box keeps its text' '
	docpipe convert -c "$BASE" --no-redact --xml "$S/moved.pdf" >x.xml &&
	test_grep "This page has nothing hidden on it." x.xml &&
	docpipe convert -c "$BASE" --no-redact --xml "$S/form.pdf" >x.xml &&
	test_grep "A banner with white words" x.xml &&
	test_grep "This page has nothing hidden on it." x.xml
'

test_expect_success 'without DOCPIPE_COVERED_DEBUG nothing is said on stderr' '
	docpipe convert -c "$BASE" --no-redact "$S/image.pdf" >x.txt 2>err &&
	test ! -s err
'

test_done
