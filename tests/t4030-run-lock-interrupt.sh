#!/bin/sh
test_description='docpipe run: the lock, SIGTERM and kill -9 in the middle of a run'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set-up: 40 inputs and an uninterrupted reference run' '
	mkdir -p in/a in/b &&
	for i in $(seq 1 20); do printf "memo %s to x%s@example.org\n" $i $i >in/a/m$i.txt; done &&
	for i in $(seq 1 20); do printf "<p>page %s, 555-000-%04d</p>\n" $i $i >in/b/p$i.html; done &&
	docpipe run -j2 in ref 2>/dev/null
'

test_expect_success 'a second concurrent run exits at once with 75 and one line' '
	mkdir -p out/.docpipe &&
	flock out/.docpipe/lock sleep 3 & holder=$! &&
	sleep 0.5 &&
	{ docpipe run in out 2>err; code=$?; } &&
	kill $holder; wait $holder;
	test "$code" = 75 && test "$(wc -l <err)" = 1 &&
	test_grep "another docpipe run holds the lock" err
'

test_expect_success 'two real runs: one gets the lock code' '
	rm -rf out &&
	DOCPIPE_FAULT=slow:a/m1.txt docpipe run -j1 in out 2>/dev/null & first=$! &&
	sleep 0.2 &&
	{ docpipe run in out 2>err; code=$?; } &&
	wait $first && test "$code" = 75 &&
	diff -r -x .docpipe ref out
'

test_expect_success '--wait waits for the lock instead' '
	rm -rf out && mkdir -p out/.docpipe &&
	flock out/.docpipe/lock sleep 1 & holder=$! &&
	sleep 0.3 &&
	docpipe run --wait in out 2>err && wait $holder &&
	diff -r -x .docpipe ref out
'

test_expect_success 'SIGTERM stops cleanly: 143, no partial outputs, ledger consistent' '
	rm -rf out &&
	DOCPIPE_FAULT=slow docpipe run -j2 in out 2>err & pid=$! &&
	sleep 1.2 && kill -TERM $pid &&
	{ wait $pid; code=$?; } && test "$code" = 143 &&
	test_grep "interrupted" err &&
	! find out -name "*.tmp-*" | grep . &&
	! pgrep -P $pid &&
	n=$(sqlite3 out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs") &&
	test "$n" -gt 0 && test "$n" -lt 40 &&
	# Every row has both outputs, identical to the reference.
	for p in $(sqlite3 out/.docpipe/ledger.sqlite "SELECT path FROM inputs"); do
		cmp ref/$p.txt out/$p.txt && cmp ref/$p.xml out/$p.xml || return 1
	done &&
	docpipe run in out 2>/dev/null && diff -r -x .docpipe ref out
'

test_expect_success 'kill -9 of the whole run, then a rerun gives the identical result' '
	rm -rf k9out &&
	DOCPIPE_FAULT=slow docpipe run -j2 in k9out 2>/dev/null & pid=$! &&
	sleep 1.2 && kill -9 $pid; wait $pid;
	sleep 0.5 &&
	# The workers die with their parent (PR_SET_PDEATHSIG).
	! pgrep -f "docpipe run -j2 in k9out" &&
	# A temporary as a write cut short by the kill would leave it.
	mkdir -p k9out/a && echo partial >k9out/a/m1.txt.txt.tmp-AbCdEf &&
	docpipe run in k9out 2>err &&
	! find k9out -name "*.tmp-*" | grep . &&
	diff -r -x .docpipe ref k9out &&
	test "$(sqlite3 k9out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs WHERE status = \"ok\"")" = 40
'

test_done
