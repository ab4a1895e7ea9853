#!/bin/sh
# t5000: the parsing child runs under the seccomp filter and the resource
# limits.  DOCPIPE_SANDBOX_TEST=ACTION:NAME makes the child that extracts
# NAME attempt ACTION; that input must be recorded as failed with the reason,
# nothing may escape, and the next input must still be converted.
. "$(dirname "$0")/test-lib.sh"

setup='printf "mail joe@example.com\n" >victim.txt && printf "<p>next one</p>\n" >next.html'

# victim_fails ACTION STATUS REASON [OPTION...]: convert victim.txt and
# next.html to XML in OUT, with OPTIONs, the child that extracts
# victim.txt made to attempt ACTION.  victim.txt must be recorded with
# STATUS and REASON, and next.html converted all the same.  Returns
# docpipe's exit status when all of that holds.
victim_fails() {
	action=$1 status=$2 reason=$3
	shift 3
	eval "$setup" &&
	DOCPIPE_SANDBOX_TEST=$action:victim docpipe convert "$@" --xml -o OUT victim.txt next.html 2>err
	rc=$? &&
	test_grep "status=\"$status\"" OUT/victim.txt.xml &&
	test_grep "$reason" OUT/victim.txt.xml &&
	test_grep 'next one' OUT/next.html.txt &&
	return $rc
}

for action in open-write socket exec fork ptrace; do
	test_expect_code 65 "forbidden call '$action' kills the child with SIGSYS; the run goes on" "
		victim_fails $action error 'forbidden system call (SIGSYS)'
		rc=\$? &&
		test_grep \"'victim.txt': error: parser killed by the sandbox\" err &&
		test_grep 'status=\"ok\"' OUT/next.html.xml &&
		! test -e sandbox-test-write && ! test -e sandbox-test-exec &&
		! grep -q 'was allowed' err &&
		exit \$rc
	"
done

test_expect_success 'without the switch the same inputs convert' "
	$setup &&
	docpipe convert victim.txt next.html >out &&
	test_grep '\\[EMAIL\\]' out && test_grep 'next one' out
"

# Under AddressSanitizer the SIGSEGV becomes an ASan report and an abort.
test_expect_code 65 'a crashing child is a recorded error, not a crash of the run' "
	$setup &&
	DOCPIPE_SANDBOX_TEST=crash:victim docpipe convert --xml -o OUT victim.txt next.html 2>err
	rc=\$? &&
	{ test_grep 'parser crashed: Segmentation fault' OUT/victim.txt.xml ||
	  { test -n \"\${DOCPIPE_ASAN:-}\" && test_grep 'parser aborted' OUT/victim.txt.xml; }; } &&
	test_grep 'next one' OUT/next.html.txt &&
	exit \$rc
"

test_expect_code 65 'a child writing a bad record stream is a recorded error' "
	victim_fails garbage error 'bad record stream'
"

# The child sleeps for ever: only the timeout can end it, however busy
# the machine; how long that took is not the point.  The timeout is not
# shorter, so that the next input, which is not asleep, always beats it.
test_expect_code 65 'wall-clock timeout: a sleeping child is killed, status limit' "
	printf '[limits]\ntimeout=3\n' >t.conf &&
	victim_fails sleep limit 'timed out after 3 s' -c t.conf
"

test_expect_code 65 'CPU time limit: a spinning child gets SIGXCPU, status limit' "
	printf '[limits]\ntimeout=600\ncpu-time=1\n' >t.conf &&
	victim_fails spin limit 'CPU time limit of 1 s' -c t.conf
"

if [ -n "${DOCPIPE_ASAN:-}" ]; then
	test_skip 'memory limit (RLIMIT_AS is off under AddressSanitizer)'
else
	test_expect_code 65 'memory limit: an allocating child dies at [limits] memory, status limit' "
		printf '[limits]\nmemory=128M\n' >t.conf &&
		victim_fails alloc limit 'out of memory at the limit of 128 MiB' -c t.conf
	"
fi

test_expect_success '[sandbox] enabled=false extracts in-process (the switch has no effect)' "
	$setup &&
	printf '[sandbox]\nenabled=false\n' >t.conf &&
	DOCPIPE_SANDBOX_TEST=crash:victim docpipe convert -c t.conf victim.txt next.html >out &&
	test_grep '\\[EMAIL\\]' out
"

test_expect_success 'docpipe-extract sandboxes each input too' "
	$setup &&
	DOCPIPE_SANDBOX_TEST=socket:victim docpipe-extract victim.txt next.html >recs
	test_grep 'forbidden system call (SIGSYS)' recs &&
	test_grep 'next one' recs
"

test_expect_success 'a stricter ulimit from outside is kept, not an error' "
	$setup &&
	( [ -n \"\${DOCPIPE_ASAN:-}\" ] || ulimit -v 1000000; ulimit -t 30
	  docpipe convert victim.txt next.html >out ) &&
	test_grep '\\[EMAIL\\]' out && test_grep 'next one' out
"

test_expect_code 78 'a bad limit value is a configuration error' "
	printf '[limits]\ntimeout=soon\n' >t.conf &&
	printf 'x\n' >a.txt &&
	docpipe convert -c t.conf a.txt
"

test_done
