# test-lib.sh: a small git-style test library emitting TAP.
#
#   . ./test-lib.sh            (from a tests/tNNNN-*.sh script)
#   test_expect_success 'what it checks' 'commands'
#   test_expect_code 65 'what' 'commands'
#   test_cmp expected actual
#   test_skip_all 'why'        (skips the whole script)
#   test_done
#
# Each test runs in a subshell inside a fresh scratch directory, $TRASH.
# Executables come from $DOCPIPE_BUILD (set by make) and are on PATH.

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

test_count=0
test_failed=0
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/docpipe-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT

say() { printf '# %s\n' "$*"; }

test_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# Skip the whole script when the shared corpus is missing.
test_require_corpus() {
	[ -d "$CORPUS" ] || test_skip_all "../shared/corpus is absent (tests over the public corpus need it)"
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

test_expect_success() {
	test_run_ "$2"
	test_report_ $? "$1"
}

test_expect_failure_() { :; }

# test_expect_code CODE 'description' 'commands': the last command's status.
test_expect_code() {
	want=$1
	test_run_ "$3"
	got=$?
	if [ "$got" = "$want" ]; then
		test_report_ 0 "$2"
	else
		echo "expected exit code $want, got $got" >>"$TRASH/.out"
		test_report_ 1 "$2"
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
