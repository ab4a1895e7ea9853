#!/bin/sh
# t4101: MinHash signatures, LSH candidates, duplicate groups and threads
# (pipeline/corpus/), as C unit tests.
test_description='corpus unit tests'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/corpus-test"

test_done
