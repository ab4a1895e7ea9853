#!/bin/sh
# Recall of the built-in detectors on the presidio-research labelled data:
# at least 0.95 for email, phone, IP and IBAN (with validation on).
. "$(dirname "$0")/test-lib.sh"
test_require_corpus
PII=$CORPUS/pii/presidio-research
[ -f "$PII/synth_dataset_v2.spans.tsv" ] || test_skip_all "$PII is absent"

test_expect_success 'recall >= 0.95 for email, phone, IP, IBAN' '
	"$DOCPIPE_BUILD/tests/redact-recall" --check "$PII" >table &&
	cat table &&
	test_grep "^EMAIL_ADDRESS" table
'
test_done
