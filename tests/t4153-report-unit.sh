#!/bin/sh
# The C unit tests of docpipe report's page: escaping and the charts.
test_description='report unit tests: escaping of hostile values, the SVG charts'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/report-test"

test_done
