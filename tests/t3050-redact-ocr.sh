#!/bin/sh
# The table of OCR-damaged redaction cases (tests/redact-ocr-cases.txt,
# [redact] ocr-tolerant), one TAP line each, by the runner of t3000.
exec "$DOCPIPE_BUILD/tests/redact-cases" "$(dirname "$0")/redact-ocr-cases.txt"
