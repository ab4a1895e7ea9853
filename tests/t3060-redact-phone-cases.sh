#!/bin/sh
# The table of international phone cases (tests/redact-phone-cases.txt,
# [redact] phone-regions validated by docpipe-phone.so), one TAP line
# each, by the runner of t3000.
exec "$DOCPIPE_BUILD/tests/redact-cases" "$(dirname "$0")/redact-phone-cases.txt"
