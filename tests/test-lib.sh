# test-lib.sh: a small git-style test library emitting TAP.
#
#   . ./test-lib.sh            (from a tests/tNNNN-*.sh script)
#   test_expect_success 'what it checks' 'commands'
#   test_expect_success CORPUS 'what' 'commands'   (runs only with the prerequisite)
#   test_expect_failure 'a known breakage' 'commands'
#   test_expect_code 65 'what' 'commands'
#   test_cmp expected actual
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
LC_ALL=C.UTF-8
export LC_ALL
# A test that runs make must not inherit how the suite itself was invoked
# (make -s, -k, -jN, or being a sub-make).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

test_count=0
test_failed=0
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/docpipe-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT

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

# test_grep PATTERN FILE: like grep -q, but shows the file on failure.
test_grep() {
	if ! grep -q -- "$1" "$2"; then
		echo "'$1' not found in $2:"
		head -n 40 "$2"
		return 1
	fi
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
}
