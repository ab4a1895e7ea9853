#!/bin/sh
test_description='docpipe run over the public corpus: every input recorded, no worker death, -j1 = -j2, a rerun converts nothing'
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

test_expect_success 'a -j2 run records every corpus file' '
	{ docpipe run -j2 --json "$CORPUS" out >j 2>err; code=$?; } &&
	{ test "$code" = 0 || test "$code" = 65; } &&
	n=$(find "$CORPUS" -type f | wc -l) &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs")" = "$n"
'

test_expect_success 'no input crashed, hung or has an unknown status' '
	sqlite3 out/.docpipe/ledger.sqlite "SELECT DISTINCT status FROM inputs" >st &&
	! grep -v -E "^(ok|partial|error|unsupported|encrypted|limit|skipped)$" st
'

test_expect_success 'the recorded output hashes are those of the files' '
	sqlite3 -separator " " out/.docpipe/ledger.sqlite "SELECT txt_sha256, path FROM inputs WHERE txt_sha256 IS NOT NULL" |
	while read -r sum p; do echo "$sum  out/$p.txt"; done >sums &&
	test -s sums && sha256sum --quiet -c sums
'

test_expect_success '-j1 gives the same bytes as -j2' '
	docpipe run -j1 "$CORPUS" out1 2>/dev/null; diff -r -x .docpipe -x corpus.sqlite out out1
'

# How fast a rerun is belongs to the bench (scripts/bench), not here.
test_expect_success 'a rerun converts nothing and rewrites no output' '
	: >before-rerun &&
	docpipe run -j2 --json "$CORPUS" out >j 2>/dev/null
	test_grep "\"converted\": 0," j &&
	test_grep "\"inputs\": $(find "$CORPUS" -type f | wc -l)," j &&
	! find out -path out/.docpipe -prune -o -type f -newer before-rerun -print | grep .
'

test_expect_success 'the corpus is not modified' '
	! find "$CORPUS" -name "*.tmp-*" -o -name ".docpipe" | grep .
'

test_done
