# test-lib.sh: a small git-style test library emitting TAP.
#
#   . ./test-lib.sh            (from a tests/tNNNN-*.sh script)
#   test_expect_success 'what it checks' 'commands'
#   test_expect_success CORPUS 'what' 'commands'   (runs only with the prerequisite)
#   test_expect_failure 'a known breakage' 'commands'
#   test_expect_code 65 'what' 'commands'
#   test_unit PROGRAM [ARG...]  (a C unit program: one test per g_test case)
#   test_wait_for 'condition'  (inside a test: poll, with a generous bound)
#   test_cmp expected actual
#   test_exit_code CODE COMMAND [ARG...]  (inside a test: COMMAND exits with CODE)
#   test_convert_text FILE FORMAT  (convert --no-redact FILE prints printf FORMAT)
#   test_meta NAME VALUE  (x.xml has <meta name="NAME">VALUE</meta>)
#   test_require_corpus        (before the first test: skips the whole script)
#   test_skip_all 'why'        (skips the whole script)
#   test_done
#
# Each test runs in a subshell inside a fresh scratch directory, $TRASH.
# Executables come from $DOCPIPE_BUILD (set by make) and are on PATH.
# Prerequisites, as in git's test-lib: a test whose first argument is a
# word in capitals runs only when every prerequisite in it (separated by
# commas) holds, and is reported as skipped otherwise.  CORPUS holds when
# the public corpus ($DOCPIPE_CORPUS, by default ../shared/corpus beside
# the checkout) is there.

set -u
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_DIR/.." && pwd)
: "${DOCPIPE_BUILD:=$TOP/bin}"
export DOCPIPE_BUILD
PATH=$DOCPIPE_BUILD:$PATH
export PATH
CORPUS=${DOCPIPE_CORPUS:-$TOP/../shared/corpus}
SAMPLES=$TOP/samples
GOLDEN=$TEST_DIR/golden
# No user or system configuration may leak into the tests.
unset DOCPIPE_CONFIG
XDG_CONFIG_HOME=/nonexistent
export XDG_CONFIG_HOME
export DOCPIPE_SYSCONFIG=/nonexistent/docpipe.conf
LC_ALL=C.UTF-8
export LC_ALL
# Python modules the tests import from tests/ (ziprewrite.py) must not
# leave __pycache__ in the checkout.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
# A test that runs make must not inherit how the suite itself was invoked
# (make -s, -k, -jN, or being a sub-make).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

test_count=0
test_failed=0
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/docpipe-test.XXXXXX")
# The caches of compiled rules and names (and run's OCR data hash) are the
# script's own: a test neither reads the user's ~/.cache/docpipe nor leaves
# files there.  Beside $TRASH, not in it, so that tests which look for
# files written outside their output see none.  Tests of the cache itself
# set their own.
DOCPIPE_CACHE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/docpipe-cache.XXXXXX")
export DOCPIPE_CACHE_DIR
trap 'rm -rf "$TRASH" "$DOCPIPE_CACHE_DIR"' EXIT

say() { printf '# %s\n' "$*"; }

test_skip_all() {
	if [ "$test_count" != 0 ]; then
		# A plan of 0 after tests have run is a bad plan: refuse it loudly.
		echo "Bail out! test_skip_all after $test_count tests: skip a whole script before its first test, or skip single cases with a prerequisite"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

CORPUS_MISSING="the public corpus is absent ($CORPUS); see README.md, 'The public corpus'"

# Skip the whole script when the shared corpus is missing.
test_require_corpus() {
	[ -d "$CORPUS" ] || test_skip_all "$CORPUS_MISSING"
}

test_prereqs_=" "
test_set_prereq() { test_prereqs_="$test_prereqs_$1 "; }
[ -d "$CORPUS" ] && test_set_prereq CORPUS

# test_have_prereq_ 'A,B': true when every named prerequisite holds; the
# first missing one is left in $test_missing_.
test_have_prereq_() {
	oldifs=$IFS
	IFS=,
	for p in $1; do
		case $test_prereqs_ in
		*" $p "*) ;;
		*) IFS=$oldifs; test_missing_=$p; return 1 ;;
		esac
	done
	IFS=$oldifs
	return 0
}

# test_prereq_reason_ NAME: why a test with that prerequisite was skipped.
test_prereq_reason_() {
	case $1 in
	CORPUS) echo "$CORPUS_MISSING" ;;
	*) echo "missing prerequisite $1" ;;
	esac
}

test_run_() {
	(
		cd "$TRASH" || exit 99
		eval "$1"
	) >"$TRASH/.out" 2>&1
}

test_report_() {
	# $1 ok?, $2 description
	test_count=$((test_count + 1))
	if [ "$1" = 0 ]; then
		echo "ok $test_count - $2"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $2"
		sed 's/^/#   /' "$TRASH/.out" | head -n 60
	fi
}

# test_skip_unless_ "$@": with a prerequisite argument that does not hold,
# report the test as skipped and return 1.
test_skip_unless_() {
	[ $# -eq 3 ] || return 0
	test_have_prereq_ "$1" && return 0
	test_skip "$(test_prereq_reason_ "$test_missing_"): $2"
	return 1
}

test_expect_success() {
	test_skip_unless_ "$@" || return 0
	[ $# -eq 3 ] && shift
	test_run_ "$2"
	test_report_ $? "$1"
}

# test_expect_failure 'known breakage' 'commands': the commands are expected
# to fail.  TAP's TODO directive keeps a known breakage from failing the
# suite, and prove reports it when the breakage goes away.
test_expect_failure() {
	test_skip_unless_ "$@" || return 0
	[ $# -eq 3 ] && shift
	test_count=$((test_count + 1))
	if test_run_ "$2"; then
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		echo "not ok $test_count - $1 # TODO known breakage"
	fi
}

# test_expect_code CODE 'description' 'commands': the last command's status.
test_expect_code() {
	want=$1
	shift
	test_skip_unless_ "$@" || return 0
	[ $# -eq 3 ] && shift
	test_run_ "$2"
	got=$?
	if [ "$got" = "$want" ]; then
		test_report_ 0 "$1"
	else
		echo "expected exit code $want, got $got" >>"$TRASH/.out"
		test_report_ 1 "$1"
	fi
}

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP $1"
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_exit_code CODE COMMAND [ARG...]: run COMMAND, its output where the
# call redirects it, and fail unless it exits with CODE.  Inside a test,
# where a command expected to fail would otherwise end the && chain.
test_exit_code() {
	test_exit_want_=$1
	shift
	"$@"
	test_exit_got_=$?
	[ "$test_exit_got_" = "$test_exit_want_" ] && return 0
	echo "exit code $test_exit_got_, not $test_exit_want_: $*" >&2
	return 1
}

# test_convert_text FILE FORMAT: docpipe convert --no-redact FILE prints,
# to the byte, what printf FORMAT prints; left in out and expect.
test_convert_text() {
	docpipe convert --no-redact "$1" >out &&
		printf "$2" >expect &&
		test_cmp expect out
}

# test_meta NAME VALUE: x.xml (convert --xml's output) has the metadata
# NAME with a value that matches VALUE, a grep pattern for the whole value
# as XML writes it (&lt; for <).
test_meta() {
	test_grep "<meta name=\"$1\">$2</meta>" x.xml
}

# test_grep PATTERN FILE: like grep -q, but shows the file on failure.
test_grep() {
	if ! grep -q -- "$1" "$2"; then
		echo "'$1' not found in $2:"
		head -n 40 "$2"
		return 1
	fi
}

# test_json FILE EXPR...: FILE is JSON and each Python expression EXPR over
# it (as d) is true; the first false one fails and shows d.
test_json() {
	test_json_file_=$1
	shift
	test_json_py_='import json, sys
d = json.load(open(sys.argv[1]))'
	for test_json_expr_ in "$@"; do
		test_json_py_="$test_json_py_
assert $test_json_expr_, d"
	done
	/usr/bin/python3 -c "$test_json_py_" "$test_json_file_"
}

# test_wait_for 'CONDITION': evaluate CONDITION until it holds, every 50 ms,
# and fail after $DOCPIPE_TEST_WAIT seconds (120 by default) of trying.
# Tests wait for what they need to see this way, never with a fixed sleep:
# on a busy machine any fixed delay is too short.  The bound only ends a
# test whose condition never comes, so it is generous and it is counted in
# tries, not read from a clock.
test_wait_for() {
	tries_=$((${DOCPIPE_TEST_WAIT:-120} * 20))
	until eval "$1"; do
		tries_=$((tries_ - 1))
		if [ "$tries_" -le 0 ]; then
			echo "gave up waiting for: $1"
			return 1
		fi
		sleep 0.05
	done
}

# test_unit PROGRAM [ARG...]: run a C unit program of tests/unit/ (GLib's
# g_test, which prints TAP) and report each of its cases as one test of
# this script, renumbered, with the program's name in front.  A program
# that aborts (a failed g_assert says "Bail out!", which would stop the
# whole prove run) is one failed test with its message; the cases it did
# not reach and a non-zero exit status are failures too.
test_unit() {
	unit_=${1##*/}
	(cd "$TRASH" && "$@") >"$TRASH/.unit" 2>"$TRASH/.unit-err"
	unit_rc_=$?
	unit_plan_=
	unit_seen_=0
	unit_bad_=0
	while IFS= read -r line_; do
		case $line_ in
		"ok "* | "not ok "*)
			unit_seen_=$((unit_seen_ + 1))
			case $line_ in "not "*) ok_=1 unit_bad_=1 ;; *) ok_=0 ;; esac
			# "ok 3 /text/nfc # SKIP why": drop the number, keep the rest.
			rest_=${line_#*ok }
			rest_=${rest_#* }
			case $rest_ in
			*" # SKIP"*)
				test_count=$((test_count + 1))
				echo "ok $test_count - $unit_: $rest_"
				;;
			*)
				: >"$TRASH/.out"
				test_report_ $ok_ "$unit_: $rest_"
				;;
			esac
			;;
		"Bail out!"*)
			unit_bad_=1
			{ echo "$line_"; cat "$TRASH/.unit-err"; } >"$TRASH/.out"
			test_report_ 1 "$unit_: case $((unit_seen_ + 1)) aborted"
			;;
		1..*) unit_plan_=${line_#1..} ;;
		"#"*) printf '%s\n' "$line_" ;;
		*) printf '# %s\n' "$line_" ;;
		esac
	done <"$TRASH/.unit"
	if [ -z "$unit_plan_" ] || [ "$unit_seen_" != "$unit_plan_" ] || { [ "$unit_rc_" != 0 ] && [ "$unit_bad_" = 0 ]; }; then
		{ echo "exit status $unit_rc_, $unit_seen_ of ${unit_plan_:-?} cases reported"; cat "$TRASH/.unit-err"; } >"$TRASH/.out"
		test_report_ 1 "$unit_: every case ran and the program exited cleanly"
	fi
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
}
