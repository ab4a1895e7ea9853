#!/bin/sh
# t0000: the test library itself.  Each test writes a small script that
# sources test-lib.sh, runs it, and checks the TAP it prints and its exit
# status, as prove would read them.
test_description='test-lib.sh: TODO, prerequisites, skips, unit programs, waiting'
. "$(dirname "$0")/test-lib.sh"

# run_lib NAME: run NAME.sh (test-lib.sh sourced first) into NAME.tap;
# its exit status is left in NAME.rc.
run_lib() {
	{ echo ". \"$TEST_DIR/test-lib.sh\""; cat; } >"$1.sh" &&
	{ sh "$1.sh" >"$1.tap" 2>&1; echo $? >"$1.rc"; }
}

# check_lib NAME RC: NAME.sh printed what is on standard input, to the
# letter, and exited with RC.
check_lib() {
	cat >"$1.expect" &&
	test_cmp "$1.expect" "$1.tap" &&
	test "$(cat "$1.rc")" = "$2"
}

test_expect_success 'a failing test_expect_failure is a TODO, and the script passes' '
	run_lib todo <<-\EOS &&
	test_expect_failure "known bug" "false"
	test_expect_failure "fixed bug" "true"
	test_done
	EOS
	check_lib todo 0 <<-\EOS
	not ok 1 - known bug # TODO known breakage
	ok 2 - fixed bug # TODO known breakage vanished
	1..2
	EOS
'

test_expect_success 'a failing test fails the script and shows its output' '
	run_lib fail <<-\EOS &&
	test_expect_success "passes" "true"
	test_expect_success "fails" "echo the reason; false"
	test_expect_code 3 "wrong code" "exit 4"
	test_done
	EOS
	check_lib fail 1 <<-\EOS
	ok 1 - passes
	not ok 2 - fails
	#   the reason
	not ok 3 - wrong code
	#   expected exit code 3, got 4
	1..3
	EOS
'

test_expect_success 'a missing prerequisite skips the test, a present one runs it' '
	run_lib prereq <<-\EOS &&
	test_set_prereq HAVE
	test_expect_success NOPE "needs NOPE" "false"
	test_expect_success HAVE,NOPE "needs both" "false"
	test_expect_success HAVE "needs HAVE" "true"
	test_expect_failure NOPE "a TODO that needs NOPE" "false"
	test_done
	EOS
	check_lib prereq 0 <<-\EOS
	ok 1 # SKIP missing prerequisite NOPE: needs NOPE
	ok 2 # SKIP missing prerequisite NOPE: needs both
	ok 3 - needs HAVE
	ok 4 # SKIP missing prerequisite NOPE: a TODO that needs NOPE
	1..4
	EOS
'

test_expect_success 'test_skip_all skips a script before its first test, and bails out after one' '
	run_lib skipall <<-\EOS &&
	test_skip_all "nothing to do"
	EOS
	check_lib skipall 0 <<-\EOS &&
	1..0 # SKIP nothing to do
	EOS
	run_lib late <<-\EOS &&
	test_expect_success "one" "true"
	test_skip_all "too late"
	EOS
	test_grep "^Bail out! test_skip_all after 1 tests" late.tap &&
	test "$(cat late.rc)" = 1
'

test_expect_success 'test_unit reports each case of a unit program, and its abort' '
	cat >unit-ok <<-\EOS &&
	#!/bin/sh
	echo "# random seed: R02S"
	echo "1..3"
	echo "ok 1 /a/one"
	echo "ok 2 /a/two # SKIP not here"
	echo "ok 3 /a/three"
	EOS
	cat >unit-abort <<-\EOS &&
	#!/bin/sh
	echo "1..3"
	echo "ok 1 /b/one"
	echo "Bail out! ERROR:b.c:9:two: assertion failed (1 == 2)"
	echo "more about it" >&2
	kill -ABRT $$
	EOS
	cat >unit-short <<-\EOS &&
	#!/bin/sh
	echo "1..2"
	echo "ok 1 /c/one"
	EOS
	chmod +x unit-ok unit-abort unit-short &&
	run_lib unit <<-EOS &&
	test_unit "$PWD/unit-ok"
	test_done
	EOS
	test_grep "^ok 1 - unit-ok: /a/one$" unit.tap &&
	test_grep "^ok 2 - unit-ok: /a/two # SKIP not here$" unit.tap &&
	test_grep "^ok 3 - unit-ok: /a/three$" unit.tap &&
	test_grep "^1\.\.3$" unit.tap &&
	! grep -q "^Bail out" unit.tap &&
	test "$(cat unit.rc)" = 0 &&
	run_lib abort <<-EOS &&
	test_unit "$PWD/unit-abort"
	test_unit "$PWD/unit-short"
	test_done
	EOS
	test_grep "^ok 1 - unit-abort: /b/one$" abort.tap &&
	test_grep "^not ok 2 - unit-abort: case 2 aborted$" abort.tap &&
	test_grep "^#   Bail out! ERROR:b.c:9:two" abort.tap &&
	test_grep "^#   more about it$" abort.tap &&
	! grep -q "^Bail out" abort.tap &&
	test_grep "^not ok 3 - unit-abort: every case ran" abort.tap &&
	test_grep "^ok 4 - unit-short: /c/one$" abort.tap &&
	test_grep "^not ok 5 - unit-short: every case ran" abort.tap &&
	test_grep "^#   exit status 0, 1 of 2 cases reported$" abort.tap &&
	test "$(cat abort.rc)" = 1
'

test_expect_success 'test_exit_code passes on the code it names, fails on another with a message' '
	test_exit_code 3 sh -c "echo output; exit 3" >got &&
	test_grep "^output$" got &&
	test_exit_code 0 true &&
	! test_exit_code 3 sh -c "exit 4" 2>err &&
	test_grep "^exit code 4, not 3: sh -c exit 4$" err &&
	! test_exit_code 0 false 2>err
'

test_expect_success 'test_meta finds a whole metadata value in x.xml, and only there' '
	echo "<meta name=\"from\">Ann &lt;ann@example.org&gt;</meta>" >x.xml &&
	test_meta from "Ann &lt;ann@example.org&gt;" &&
	test_meta from "Ann .*" &&
	! test_meta from "Ann" >out &&
	! test_meta to "Ann &lt;ann@example.org&gt;" >out
'

test_expect_success 'test_wait_for returns once its condition holds, and gives up on one that never does' '
	( sleep 0.2; : >ready ) &
	test_wait_for "test -e ready" &&
	wait &&
	! DOCPIPE_TEST_WAIT=1 test_wait_for false >gave-up &&
	test_grep "gave up waiting for: false" gave-up
'

test_done
