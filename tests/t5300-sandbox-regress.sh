#!/bin/sh
# t5300: C regression tests for library bugs found by the fuzzers
# (tests/unit/sandbox-regress.c; under `make asan` they catch the UB).
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/sandbox-regress"

test_done
