#!/bin/sh
test_description='docpipe run: incremental ledger (modified, touched, deleted, config change, retry)'
. "$(dirname "$0")/test-lib.sh"

converted() { sed -n 's/.*"converted": \([0-9]*\).*/\1/p' "$1"; }

test_expect_success 'set-up: a first run' '
	mkdir -p in/d && cp -R "$SAMPLES/web" "$SAMPLES/text" in/ &&
	printf "alpha one\n" >in/d/a.txt && printf "beta two\n" >in/d/b.txt &&
	docpipe run --json in out >j && test "$(converted j)" = 8
'

test_expect_success 'a modified input is converted again, and only it' '
	printf "alpha changed, mail x@example.org\n" >in/d/a.txt &&
	docpipe run --json in out >j && test "$(converted j)" = 1 &&
	test_grep "alpha changed" out/d/a.txt.txt && test_grep "\[EMAIL\]" out/d/a.txt.txt
'

test_expect_success 'a touched input with the same content is not converted (ledger refreshed)' '
	sleep 0.01 && touch in/d/b.txt &&
	docpipe run --json in out >j && test "$(converted j)" = 0 &&
	m=$(stat -c %Y in/d/b.txt) &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT mtime_ns / 1000000000 FROM inputs WHERE path = \"d/b.txt\"")" = "$m"
'

test_expect_success 'a rewritten file with the same bytes is recognised by its hash' '
	cp in/d/b.txt b.tmp && rm in/d/b.txt && cp b.tmp in/d/b.txt &&
	docpipe run --json in out >j && test "$(converted j)" = 0
'

test_expect_success 'a deleted output is made again' '
	rm out/d/b.txt.xml && docpipe run --json in out >j && test "$(converted j)" = 1 && test -f out/d/b.txt.xml
'

test_expect_success 'a deleted input keeps its outputs without --prune' '
	rm in/d/b.txt && docpipe run --json in out >j && test "$(converted j)" = 0 &&
	test -f out/d/b.txt.txt && test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs")" = 8
'

test_expect_success '--prune removes outputs and ledger rows of deleted inputs' '
	docpipe run --prune --json in out >j && test_grep "\"pruned\": 1" j &&
	! test -e out/d/b.txt.txt && ! test -e out/d/b.txt.xml &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs")" = 7 &&
	rm in/d/a.txt && docpipe run --prune in out 2>/dev/null && ! test -d out/d
'

test_expect_success 'a configuration change converts everything again' '
	printf "[redact]\ndetectors=email\n" >c.conf &&
	docpipe run -c "$TRASH/c.conf" --json in out >j && test "$(converted j)" = 6 &&
	docpipe run -c "$TRASH/c.conf" --json in out >j && test "$(converted j)" = 0 &&
	docpipe run --json in out >j && test "$(converted j)" = 6
'

test_expect_success '[run] keys do not change the fingerprint' '
	printf "[run]\njobs=1\n" >r.conf &&
	docpipe run -c "$TRASH/r.conf" --json in out >j && test "$(converted j)" = 0
'

test_expect_success 'a new docpipe version converts everything again' '
	sqlite3 out/.docpipe/ledger.sqlite "UPDATE inputs SET version = \"0.0.1\"" &&
	docpipe run --json in out >j && test "$(converted j)" = 6
'

test_expect_success 'a failed input is not retried unless --retry-failed or changed' '
	printf "gamma\n" >in/g.txt &&
	test_expect_code_rc=0; DOCPIPE_FAULT=crash:g.txt docpipe run --json in out >j 2>err || test_expect_code_rc=$? &&
	test "$test_expect_code_rc" = 65 && test "$(converted j)" = 1 &&
	test_grep "g.txt.: crash: worker killed by signal" err &&
	docpipe run --json in out >j 2>err && test "$(converted j)" = 0 &&
	test_grep "1 failed before" err &&
	docpipe run --retry-failed --json in out >j && test "$(converted j)" = 1 &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT status FROM inputs WHERE path = \"g.txt\"")" = ok
'

test_expect_success 'a failed input is retried when it changes' '
	printf "gamma 1\n" >in/g.txt && { DOCPIPE_FAULT=crash:g.txt docpipe run in out 2>/dev/null; test $? = 65; } &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT status FROM inputs WHERE path = \"g.txt\"")" = crash &&
	printf "gamma 2\n" >in/g.txt && docpipe run --json in out >j && test "$(converted j)" = 1 &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT status FROM inputs WHERE path = \"g.txt\"")" = ok
'

test_expect_success 'the result equals a fresh run' '
	docpipe run in fresh 2>/dev/null && diff -r -x .docpipe -x corpus.sqlite fresh out
'

test_done
