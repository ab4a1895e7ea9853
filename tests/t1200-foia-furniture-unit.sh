#!/bin/sh
# t1200: the page furniture of FOIA releases (pipeline/foia/furniture.c,
# config/furniture.conf): the unit cases of tests/unit/furniture-test.c,
# then the 300 release texts of the public corpus through
# tests/unit/furniture-corpus.c: the document number read from the banner
# is the file's name, the case number and the release status are found,
# and no banner is left in the text.
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/furniture-test"

RELEASES=$CORPUS/state-release-text

test_expect_success CORPUS 'the furniture of the 300 corpus releases is read' '
	"$DOCPIPE_BUILD/tests/furniture-corpus" "$RELEASES"/*/*.txt >res &&
	set -- $(tail -n 1 res) &&
	test "$1 $2" = "total 300" &&
	{ grep -v -e "doc=OK case=OK release=OK banner-left=0\$" -e "^total " res >misses || :; } &&
	cat misses &&
	awk "END { exit !(\$4 >= 0.98) }" res
'

test_expect_success CORPUS 'the case number is found in as many' '
	awk "END { exit !(\$6 >= 0.98) }" res
'

test_expect_success CORPUS 'the release status (full, part) is found in as many' '
	awk "END { exit !(\$8 >= 0.98) }" res
'

test_expect_success CORPUS 'no banner line is left in the stripped texts' '
	! grep " left: " res &&
	awk "END { exit !(\$10 == 0) }" res
'

# The measured accuracies, for the log.
[ -f "$TRASH/res" ] && sed -n '$s/^/# /p' "$TRASH/res"

test_done
