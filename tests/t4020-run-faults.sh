#!/bin/sh
test_description='docpipe run: a worker that crashes, hangs, spins or allocates without bound is a recorded failure'
. "$(dirname "$0")/test-lib.sh"

# Fault injection (DOCPIPE_FAULT=KIND:SUBSTRING) is a test-only switch
# honoured in the run's workers; see pipeline/batch/run.c.
# A short wall-clock timeout for the hang; a long one for the rest, so that
# a loaded machine cannot turn a CPU-limit hit into a timeout.
printf "[limits]\ntimeout=600\ncpu-time=1\nmemory=512M\n" >"$TRASH/limits.conf"
printf "[limits]\ntimeout=3\ncpu-time=1\nmemory=512M\n" >"$TRASH/hang.conf"
CONF=$TRASH/limits.conf

test_expect_success 'set-up' '
	mkdir in && for i in 1 2 3 4 5 6; do printf "document %s, call 555-123-4567\n" $i >in/doc$i.txt; done &&
	printf "<p>victim</p>\n" >in/victim.html &&
	docpipe run in ref 2>/dev/null
'

check_fault() {
	kind=$1 status=$2 reason=$3 conf=${4:-$CONF}
	rm -rf out err j
	code=0
	DOCPIPE_FAULT=$kind:victim docpipe run -j2 -c "$conf" --json in out >j 2>err || code=$?
	test "$code" = 65 || { echo "exit $code"; cat err; return 1; }
	test_grep "'victim.html': $status: $reason" err &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT status FROM inputs WHERE path = \"victim.html\"")" = "$status" &&
	sqlite3 out/.docpipe/ledger.sqlite "SELECT error FROM inputs WHERE path = \"victim.html\"" >e &&
	test_grep "$reason" e &&
	# The others completed, byte for byte as without the fault.
	for i in 1 2 3 4 5 6; do
		cmp ref/doc$i.txt.txt out/doc$i.txt.txt && cmp ref/doc$i.txt.xml out/doc$i.txt.xml || return 1
	done &&
	# Nothing of the failed input is left: no output, no temporary.
	! test -e out/victim.html.txt && ! test -e out/victim.html.xml &&
	! find out -name "*.tmp-*" | grep . &&
	{ docpipe status out >s; test $? = 65; } && test_grep "victim.html: $status: $reason" s
}

# AddressSanitizer catches SIGSEGV itself and aborts (signal 6).
SEGV=11; test -n "${DOCPIPE_ASAN:-}" && SEGV="[0-9]*"
test_expect_success 'a crash (SIGSEGV) is recorded' 'check_fault crash crash "worker killed by signal $SEGV"'
test_expect_success 'an abort is recorded' 'check_fault abort crash "worker killed by signal 6"'
test_expect_success 'an exit without a result is recorded' 'check_fault exit crash "worker exited with status 3"'
test_expect_success 'a hang hits the wall-clock timeout' 'check_fault hang timeout "no result within the wall-clock timeout of 3 s" "$TRASH/hang.conf"'
test_expect_success 'a busy loop hits the CPU limit' 'check_fault spin limit "CPU time limit of 1 s"'

if test -n "${DOCPIPE_ASAN:-}"; then
	test_skip 'unbounded allocation (RLIMIT_AS is not applied under AddressSanitizer)'
else
	test_expect_success 'unbounded allocation hits the memory limit' 'check_fault alloc limit "memory limit of 512M reached"'
fi

test_expect_success 'the failure is not retried, then is with --retry-failed' '
	docpipe run -c "$CONF" --json in out >j 2>/dev/null && test_grep "\"converted\": 0" j &&
	docpipe run -c "$CONF" --retry-failed in out 2>/dev/null &&
	diff -r -x .docpipe -x corpus.sqlite ref out
'

test_expect_success 'status --json lists failures with reasons' '
	{ DOCPIPE_FAULT=crash:victim docpipe run in out3 2>/dev/null; docpipe status --json out3 >sj; test $? = 65; } &&
	test_json sj "len(d[\"failures\"])==1" "d[\"failures\"][0][\"path\"]==\"victim.html\" and d[\"failures\"][0][\"status\"]==\"crash\""
'

test_done
