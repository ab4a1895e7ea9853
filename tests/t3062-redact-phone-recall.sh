#!/bin/sh
# Recall on the presidio-research labelled data with the eleven regions of
# tests/redact-phone-cases.txt configured: phone (like email, IP and IBAN)
# at least 0.95, as with the default (t3010), and never lower than it.
. "$(dirname "$0")/test-lib.sh"
test_require_corpus
PII=$CORPUS/pii/presidio-research
[ -f "$PII/synth_dataset_v2.spans.tsv" ] || test_skip_all "$PII is absent"

test_expect_success 'recall >= 0.95 with phone-regions of eleven plans' '
	"$DOCPIPE_BUILD/tests/redact-recall" --check --phone-regions "US;GB;DE;FR;NL;IT;ES;AU;IN;JP;BR" "$PII" >table &&
	cat table && test_grep "^PHONE_NUMBER" table
'
test_expect_success 'phone recall with the regions is not below the default' '
	"$DOCPIPE_BUILD/tests/redact-recall" "$PII" >default &&
	"$DOCPIPE_BUILD/tests/redact-recall" --phone-regions "US;GB;DE;FR;NL;IT;ES;AU;IN;JP;BR" "$PII" >regions &&
	d=$(awk "/^PHONE_NUMBER/ { print \$3 }" default) && r=$(awk "/^PHONE_NUMBER/ { print \$3 }" regions) &&
	echo "default $d, regions $r" && awk -v d="$d" -v r="$r" "BEGIN { exit !(r >= d) }"
'
test_done
