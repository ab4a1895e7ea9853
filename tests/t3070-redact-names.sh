#!/bin/sh
# Person names (tests/redact-names-cases.txt): the variants and OCR damage
# of listed names, and display names in address header lines; one TAP
# line each, by the runner of tests/redact-cases.txt.
exec "$DOCPIPE_BUILD/tests/redact-cases" "$(dirname "$0")/redact-names-cases.txt"
