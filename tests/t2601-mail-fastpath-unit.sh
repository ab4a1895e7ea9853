#!/bin/sh
# t2601: the fast paths of the mail throughput work (word-at-a-time text
# checks, one-line header values, record values) against their per-byte
# definitions (tests/unit/fastpath-test.c).
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/fastpath-test"

test_done
