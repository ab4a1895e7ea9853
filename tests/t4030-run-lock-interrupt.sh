#!/bin/sh
test_description='docpipe run: the lock, SIGTERM and kill -9 in the middle of a run'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'set-up: 40 inputs and an uninterrupted reference run' '
	mkdir -p in/a in/b &&
	for i in $(seq 1 20); do printf "memo %s to x%s@example.org\n" $i $i >in/a/m$i.txt; done &&
	for i in $(seq 1 20); do printf "<p>page %s, 555-000-%04d</p>\n" $i $i >in/b/p$i.html; done &&
	docpipe run -j2 in ref 2>/dev/null
'

# hold_lock DIR: take the lock of a run on DIR in the background and keep
# it until release_lock; returns once the lock is held.  The holder polls
# for its own end, so that it ends even when a test fails half-way.
hold_lock() {
	mkdir -p "$1/.docpipe" && : >holding || return 1
	flock "$1/.docpipe/lock" sh -c ": >held; while test -e holding; do sleep 0.05; done" &
	holder=$!
	test_wait_for "test -e held"
}
release_lock() {
	rm -f holding held && wait $holder
}

# holds_lock PID: process PID holds a flock() lock (the run's lock is its
# only one).  Read from /proc/locks: trying the lock ourselves could take
# it just when the run does.
holds_lock() {
	grep -q "^[0-9]*: FLOCK  *ADVISORY  *WRITE $1 " /proc/locks
}

test_expect_success 'a second concurrent run exits at once with 75 and one line' '
	hold_lock out &&
	{ docpipe run in out 2>err; code=$?; } &&
	release_lock &&
	test "$code" = 75 && test "$(wc -l <err)" = 1 &&
	test_grep "another docpipe run holds the lock" err
'

test_expect_success 'two real runs: one gets the lock code' '
	rm -rf out &&
	{ DOCPIPE_FAULT=slow:a/ docpipe run -j1 in out 2>/dev/null & } &&
	first=$! &&
	test_wait_for "holds_lock $first" &&
	# Stopped, the first run (20 inputs of 300 ms ahead of it) holds the
	# lock for as long as the second needs.
	kill -STOP $first &&
	{ docpipe run in out 2>err; code=$?; } &&
	kill -CONT $first &&
	wait $first && test "$code" = 75 &&
	diff -r -x .docpipe -x corpus.sqlite ref out
'

test_expect_success '--wait waits for the lock instead' '
	rm -rf out &&
	hold_lock out &&
	{ docpipe run --wait in out 2>err & } &&
	run=$! &&
	# Once the run waits for the lock (a blocked flock in /proc/locks),
	# nothing is written until the lock is released.
	test_wait_for "grep -q -- \"-> FLOCK .* $run \" /proc/locks" &&
	! find out -name "*.txt" | grep . &&
	kill -0 $run &&
	release_lock &&
	wait $run &&
	diff -r -x .docpipe -x corpus.sqlite ref out
'

# rows DIR: the inputs the ledger of a run on DIR has committed, 0 before it exists.
rows() {
	{ test -s "$1/.docpipe/ledger.sqlite" &&
	  sqlite3 "$1/.docpipe/ledger.sqlite" "SELECT count(*) FROM inputs" 2>/dev/null; } || echo 0
}

# The interrupted runs below hang on b/p2.html (a worker that never
# answers, as long as the run lasts): they are in the middle, however
# fast or slow the machine, until they are stopped.

test_expect_success 'SIGTERM stops cleanly: 143, no partial outputs, ledger consistent' '
	rm -rf out &&
	{ DOCPIPE_FAULT=hang:b/p2. docpipe run -j2 in out 2>err & } &&
	pid=$! &&
	test_wait_for "test \$(rows out) -gt 0" &&
	kill -TERM $pid &&
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
	docpipe run in out 2>/dev/null && diff -r -x .docpipe -x corpus.sqlite ref out
'

test_expect_success 'kill -9 of the whole run, then a rerun gives the identical result' '
	rm -rf k9out &&
	{ DOCPIPE_FAULT=hang:b/p2. docpipe run -j2 in k9out 2>/dev/null & } &&
	pid=$! &&
	test_wait_for "test \$(rows k9out) -gt 0" &&
	kill -9 $pid; wait $pid;
	# The workers die with their parent (PR_SET_PDEATHSIG), soon.
	test_wait_for "! pgrep -f \"docpipe run -j2 in k9out\" >/dev/null" &&
	# A temporary as a write cut short by the kill would leave it.
	mkdir -p k9out/a && echo partial >k9out/a/m1.txt.txt.tmp-AbCdEf &&
	docpipe run in k9out 2>err &&
	! find k9out -name "*.tmp-*" | grep . &&
	diff -r -x .docpipe -x corpus.sqlite ref k9out &&
	test "$(sqlite3 k9out/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs WHERE status = \"ok\"")" = 40
'

test_done
