#!/bin/sh
# The table of redaction cases (tests/redact-cases.txt), one TAP line each.
exec "$DOCPIPE_BUILD/tests/redact-cases" "$(dirname "$0")/redact-cases.txt"
