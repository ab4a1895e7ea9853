#!/bin/sh
# t1051: the black boxes that pdf-streams.c places on the page, so that
# pdf-covered.c renders only the pages whose text meets one, and those it
# cannot place, for which every page with text is rendered as before.  In
# each sample the words "Secret Marguerite Oyelaran" lie under a black box
# drawn under a moved CTM, in a second content stream after a first that
# left the CTM moved, in a form XObject, on a rotated page: each time the
# three words are found and replaced, and the visible page keeps its text.
# The samples come from scripts/make-samples-covered-placed.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-covered-placed" "$S" || test_skip_all "cannot write the samples (python3)"
BASE=$TRASH/base.conf
: >"$BASE"

test_expect_success 'the samples are made the same on every run' '
	/usr/bin/python3 "$TOP/scripts/make-samples-covered-placed" again &&
	for f in moved split form rotated; do cmp "$S/$f.pdf" "again/$f.pdf" || return 1; done
'

for f in moved split form rotated; do
	test_expect_success "$f.pdf: the covered words are found, none leaks" "
		docpipe convert -c \"\$BASE\" --no-redact --xml \"\$S/$f.pdf\" >x.xml &&
		test_grep '<meta name=\"pdf.covered-words\">3</meta>' x.xml &&
		! grep -E 'Secret|Marguerite|Oyelaran' x.xml
	"
done

test_expect_success 'the page without a box keeps its text, the other page is the one listed' '
	docpipe convert -c "$BASE" --no-redact --xml "$S/moved.pdf" >x.xml &&
	test_grep "<meta name=\"pdf.covered-pages\">2</meta>" x.xml &&
	test_grep "This page has nothing hidden on it." x.xml
'

test_done
