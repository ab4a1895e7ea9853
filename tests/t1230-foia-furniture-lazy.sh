#!/bin/sh
# t1230: the furniture patterns are compiled on first use
# (pipeline/foia/furniture.c): tests/unit/furniture-lazy-test.c checks that
# every built-in pattern compiles, that texts read the same through lazily
# compiled patterns as through patterns all compiled at once (our own
# snippets, a body long enough for the JIT, and with the corpus the 300
# release texts), and that a user's pattern file is still checked when
# read.  Then the same end to end: one `docpipe convert` per text (a
# single input compiles what it needs) against one over all of them (the
# patterns compiled before the sandboxed children fork).
. "$(dirname "$0")/test-lib.sh"

if [ -d "$CORPUS" ]; then
	DP_RELEASE_TEXTS=$CORPUS/state-release-text
	export DP_RELEASE_TEXTS
fi
test_unit "$DOCPIPE_BUILD/tests/furniture-lazy-test"

test_expect_success CORPUS 'one convert per text writes what one convert over all writes' '
	ls "$CORPUS"/state-release-text/*/*.txt | head -n 12 >list &&
	test "$(wc -l <list)" -eq 12 &&
	mkdir one all &&
	while read -r f; do
		docpipe convert -q -o one "$f" || return 1
	done <list &&
	docpipe convert -q -o all $(cat list) &&
	find one -type f >files &&
	test "$(wc -l <files)" -eq 24 &&
	find one -name "*.xml" -exec cat {} + >one.xml &&
	grep -c "foia" one.xml >count &&
	test "$(cat count)" -gt 12 &&
	diff -r one all
'

test_done
