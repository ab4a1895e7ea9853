#!/bin/sh
# t1210: the printed e-mail parser (pipeline/foia/printed.c): its unit
# cases (tests/unit/printed-test.c), then the 300 real released texts of
# the public corpus through tests/unit/printed-corpus.c, which prints the
# statistics and fails unless at least 0.9 of the files give a message,
# every message has a sent or a subject, and all but at most 1 in 100
# have a from (or a from withheld by a redaction mark).
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/printed-test"

test_expect_success CORPUS 'the State Department release texts: messages found, fields filled' '
	find "$CORPUS/state-release-text" -name "*.txt" | LC_ALL=C sort >list &&
	test "$(wc -l <list)" -ge 300 &&
	tr "\n" "\0" <list | xargs -0 "$DOCPIPE_BUILD/tests/printed-corpus" >stats; rc=$?
	cat stats
	test $rc = 0
'
# The figures, in the TAP output whether the test passed or not.
if [ -f "$TRASH/stats" ]; then
	sed -n "s/^# \(files\|from\) /\1 /p" "$TRASH/stats" | while IFS= read -r line; do say "$line"; done
fi

test_done
