#!/bin/sh
test_description='docpipe run: long-lived workers (one per -j slot), their descriptors, per-input limits and replacement'
. "$(dirname "$0")/test-lib.sh"

# Fault injection (DOCPIPE_FAULT=KIND:SUBSTRING) is a test-only switch
# honoured in the run's workers; see pipeline/batch/worker.c.

# watch PID FILE: until PID ends, append its worker children (the workers;
# their sandboxed parsers are grandchildren) to FILE, every 50 ms.
watch_children() {
	while kill -0 "$1" 2>/dev/null; do
		# Workers only: their descriptor 0 is the command pipe.  The
		# parent's own sandboxed children (the warm-up) read /dev/null.
		for k in $(pgrep -P "$1"); do
			case $(readlink "/proc/$k/fd/0" 2>/dev/null) in
			pipe:*) echo "$k" >>"$2" ;;
			esac
		done
		sleep 0.05
	done
}

test_expect_success 'set-up: 8 inputs and a reference run' '
	mkdir in && for i in 1 2 3 4 5 6 7; do printf "memo %s to x%s@example.org\n" $i $i >in/m$i.txt; done &&
	printf "<p>victim 555-123-4567</p>\n" >in/victim.html &&
	docpipe run in ref 2>/dev/null
'

test_expect_success '-j1 converts every input in one worker process' '
	DOCPIPE_FAULT=slow:m docpipe run -j1 in out 2>err & pid=$! &&
	watch_children $pid kids && wait $pid &&
	test "$(sort -u kids | wc -l)" = 1 &&
	diff -r -x .docpipe -x corpus.sqlite ref out
'

test_expect_success '-j2 starts two workers, no more' '
	DOCPIPE_FAULT=slow:m docpipe run -j2 in out2 2>err & pid=$! &&
	watch_children $pid kids2 && wait $pid &&
	test "$(sort -u kids2 | wc -l)" = 2 &&
	diff -r -x .docpipe -x corpus.sqlite ref out2
'

# fds PID: the targets of PID's descriptors, one per line, as "FD TARGET".
fds() {
	for f in /proc/$1/fd/*; do
		printf "%s %s\n" "${f##*/}" "$(readlink "$f")"
	done 2>/dev/null
}

# sample_fds PID PREFIX: until PID exits, sample its children's descriptors
# into PREFIX.N.CHILD every 50 ms; then wait for it.
sample_fds() {
	n=0
	while kill -0 $1 2>/dev/null; do
		n=$((n + 1))
		for w in $(pgrep -P $1); do fds $w >$2.$n.$w; done
		sleep 0.05
	done
	wait $1
}

# worker_fds_ok PREFIX: every sample of a worker (descriptor 0 a pipe; the
# parent's warm-up children read /dev/null) holding exactly descriptors 0
# to 3 (asleep in the fault, between inputs) shows 0 commands,
# 1 /dev/null, 2 and 3 pipes; there is at least one.  A sample with an
# empty target was taken while the worker exited: skipped.
worker_fds_ok() {
	for f in $1.*; do
		if test "$(cut -d" " -f1 $f | sort -n | tr "\n" " ")" = "0 1 2 3 " && grep -q "^0 pipe:" $f &&
		   ! grep -q " $" $f; then
			echo $f
		fi
	done >clean &&
	{ test -s clean || { echo "no complete sample of a worker between inputs:"; tail -n 5 $1.*; return 1; }; } &&
	for f in $(cat clean); do
		grep -q "^1 /dev/null$" $f && grep -q "^2 pipe:" $f && grep -q "^3 pipe:" $f ||
			{ echo "unexpected descriptors in $f:"; cat $f; return 1; }
	done
}

# Only settled samples count: a child sampled between its fork and its
# closing what it inherited still holds the parent's descriptors (the
# ledger, the other worker's pipes) for a moment, which a loaded machine
# makes long enough to be seen.  worker_fds_ok lists the settled ones in
# clean, and proves each holds exactly its pipes and /dev/null.
test_expect_success 'a worker holds only its pipes and /dev/null: no lock, no ledger, no other worker' '
	DOCPIPE_FAULT=slow:m docpipe run -j2 in out3 2>err & pid=$! &&
	sample_fds $pid s &&
	ls s.* >/dev/null &&
	worker_fds_ok s &&
	! cat $(cat clean) | grep "/\.docpipe/" &&
	# No pipe is shared between the two workers (nothing inherited from the other).
	for k in $(seq 1 $n); do
		test -z "$(for f in $(grep "^s\.$k\." clean); do cat $f; done | grep pipe: | cut -d" " -f2 | sort | uniq -d)" ||
			return 1
	done
'

test_expect_success 'a run started with stdin and stdout closed converts as usual' '
	# The pipes and OUT may then get descriptors 0 and 1: nothing may close
	# or overwrite them.
	docpipe run -j2 in out8 0<&- 1>&- 2>err &&
	diff -r -x .docpipe -x corpus.sqlite ref out8 &&
	# And the workers still have 0 commands, 1 /dev/null, 2 and 3 pipes.
	DOCPIPE_FAULT=slow:m docpipe run -j2 in out9 0<&- 1>&- 2>err & pid=$! &&
	sample_fds $pid c &&
	worker_fds_ok c
'

test_expect_success 'each input has its own CPU budget in a long-lived worker' '
	# 4 x 0.6 s of CPU in one worker with a limit of 1 s per input (and
	# a wall-clock timeout no busy machine reaches first).
	printf "[limits]\ncpu-time=1\ntimeout=600\n" >cpu.conf &&
	mkdir cin && for i in 1 2 3 4; do echo "text $i" >cin/c$i.txt; done &&
	DOCPIPE_FAULT=burn docpipe run -j1 -c cpu.conf --json cin cout >j 2>err &&
	test_grep "\"ok\": 4" j
'

test_expect_success 'and the budget still ends an input that spends it, late in a worker life' '
	# m7.txt is the last of the 8 inputs, in the same worker as the others.
	# The CPU limit, not the wall-clock timeout, ends it: the status and
	# its reason say so, however long a busy machine took to get there.
	rm -rf out4 && printf "[limits]\ncpu-time=1\ntimeout=600\n" >cpu.conf &&
	code=0 && DOCPIPE_FAULT=spin:m7 docpipe run -j1 -c cpu.conf in out4 2>err || code=$? &&
	test "$code" = 65 &&
	test_grep "m7.txt.: limit: CPU time limit of 1 s" err &&
	test "$(sqlite3 out4/.docpipe/ledger.sqlite "SELECT status FROM inputs WHERE path = \"m7.txt\"")" = limit &&
	diff -r -x .docpipe -x corpus.sqlite -x m7.txt.txt -x m7.txt.xml ref out4
'

test_expect_success 'a worker that crashes mid-run (-j1) is replaced; the inputs after it are converted' '
	# Sorted by size, then path: m4.txt is the fifth input.  Its worker
	# dies on it (after four inputs: the input gets a fresh worker, where
	# it dies again), and a new worker converts the three after it.
	rm -rf out5 && code=0 &&
	DOCPIPE_FAULT=crash:m4 docpipe run -j1 in out5 2>err || code=$? &&
	test "$code" = 65 &&
	test_grep "m4.txt.: crash: worker killed by signal" err &&
	test "$(sqlite3 out5/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs WHERE status = \"ok\"")" = 7 &&
	! test -e out5/m4.txt.txt && ! find out5 -name "*.tmp-*" | grep . &&
	diff -r -x .docpipe -x corpus.sqlite -x m4.txt.txt -x m4.txt.xml ref out5
'

test_expect_success 'an input that fails only in a worker broken by earlier inputs is retried in a fresh one' '
	# "stale" crashes a worker that has converted an input before: the
	# input is given to a fresh worker, where it converts.
	rm -rf out6 &&
	DOCPIPE_FAULT=stale:m5 docpipe run -j1 --json in out6 >j 2>err &&
	test_grep "\"failed\": 0" j &&
	diff -r -x .docpipe -x corpus.sqlite ref out6
'

test_expect_success 'a worker that sends an invalid result is killed and its input recorded' '
	rm -rf out9 && code=0 &&
	DOCPIPE_FAULT=lie:m2 docpipe run -j1 in out9 2>err || code=$? &&
	test "$code" = 65 &&
	test_grep "m2.txt.: crash: worker sent an invalid result; worker killed" err &&
	! test -e out9/m2.txt.txt && ! find out9 -name "*.tmp-*" | grep . &&
	diff -r -x .docpipe -x corpus.sqlite -x m2.txt.txt -x m2.txt.xml ref out9
'

# The timeout is an hour: a parent that waited for the rest of a broken
# result would report a timeout (or never end), not the invalid result.
for kind in garbage garbage-key; do
	test_expect_success "a worker that sends a broken result ($kind) is killed at once, not at the timeout" '
		printf "[limits]\ntimeout=3600\n" >hour.conf &&
		rm -rf out10 && code=0 &&
		DOCPIPE_FAULT='$kind':m3 docpipe run -j1 -c hour.conf in out10 2>err || code=$? &&
		test "$code" = 65 &&
		test_grep "m3.txt.: crash: worker sent an invalid result; worker killed" err &&
		! test_grep "timeout" err &&
		! test -e out10/m3.txt.txt &&
		diff -r -x .docpipe -x corpus.sqlite -x m3.txt.txt -x m3.txt.xml ref out10
	'
done

test_expect_success 'a parser left behind by a worker killed at the timeout dies with it' '
	printf "[limits]\ntimeout=2\n" >to.conf &&
	rm -rf out7 && code=0 &&
	DOCPIPE_SANDBOX_TEST=sleep:victim docpipe run -j1 -c to.conf in out7 2>err || code=$? &&
	test "$code" = 65 &&
	test_grep "victim.html.: timeout: no result within the wall-clock timeout of 2 s" err &&
	test_wait_for "! pgrep -f \"docpipe run -j1 -c to.conf in out7\" >/dev/null" &&
	diff -r -x .docpipe -x corpus.sqlite -x victim.html.txt -x victim.html.xml ref out7
'

test_expect_success 'set-up: 1003 inputs' '
	mkdir big && (cd big && seq -w 1 1001 | while read i; do echo "n $i" >m$i.txt; done) &&
	# Sorted by size: a-zz.txt first, z-zz.txt last; both slow, so that
	# each of the two workers is seen.
	echo "n zzz01" >big/a-zz.txt && echo "n zz2" >big/z-zz.txt
'

test_expect_success 'a worker is replaced after 1000 inputs; all 1003 converted' '
	DOCPIPE_FAULT=slow:zz docpipe run -j1 --json big bout >j 2>err & pid=$! &&
	watch_children $pid bkids && wait $pid &&
	test_grep "\"ok\": 1003" j &&
	test "$(sort -u bkids | wc -l)" = 2 &&
	test "$(ls bout | grep -v -x corpus.sqlite | wc -l)" = 2006
'

test_done
