#!/bin/sh
# The C unit tests of process control (util/proc.c) and of a batch
# worker's answer: outputs hashed as they are written, the result taken
# off its pipe by the record format alone.
test_description='process control and worker result unit tests'
. "$(dirname "$0")/test-lib.sh"

for t in proc-test worker-test; do
	test_unit "$DOCPIPE_BUILD/tests/$t"
done

test_done
