#!/bin/sh
test_description='unit tests of the batch-run library: walk, shards, ledger, JSON'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/run-test"

test_done
