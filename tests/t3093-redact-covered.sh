#!/bin/sh
# find() does not parse a phone region that an SSN, card, IBAN or IPv4
# address already covers (dp_cands_covered), and chooses again without
# that shortcut when the covering number loses to a match that overlaps it
# from the left.  DOCPIPE_REDACT_NO_COVER (a test knob) turns the shortcut
# off: the output must be the same either way, on the bench text and on
# texts dense in digits, separators, number shapes and names, with every
# detector, without validation, with OCR tolerance and with other plans.
test_description='redaction: phone regions inside other numbers'
. "$(dirname "$0")/test-lib.sh"

alike() {
	DOCPIPE_REDACT_NO_COVER=1 docpipe-redact -c "$1" --text <"$2" >off &&
	docpipe-redact -c "$1" --text <"$2" >on &&
	test_cmp off on
}

test_expect_success 'setup: configurations and texts' '
	"$TOP/scripts/make-bench-redact-text" bench.txt 1 names.txt &&
	for s in 1 2 3; do "$TOP/scripts/make-redact-digit-text" $s 100000 names.txt >digits$s.txt || return 1; done &&
	d="detectors=email;phone;ssn;card;iban;ip" &&
	printf "[redact]\n%s\n[rule person]\nterms=%s/names.txt\n" "$d" "$PWD" >all.conf &&
	printf "[redact]\n%s\nvalidate=false\n[rule person]\nterms=%s/names.txt\n" "$d" "$PWD" >noval.conf &&
	printf "[redact]\n%s\nocr-tolerant=always\n[rule person]\nterms=%s/names.txt\n" "$d" "$PWD" >ocr.conf &&
	printf "[redact]\n%s\nphone-regions=US;GB;DE;FR;NL\n[rule person]\nterms=%s/names.txt\n" "$d" "$PWD" >intl.conf &&
	printf "[redact]\n%s\nvalidate=false\n[rule tag]\npattern=Z [A-Z]{2}[0-9]{2}\n" "$d" >tag.conf
'

for c in all noval ocr intl tag; do
	test_expect_success "same output with and without the shortcut: $c" '
		alike '$c'.conf bench.txt &&
		alike '$c'.conf digits1.txt &&
		alike '$c'.conf digits2.txt &&
		alike '$c'.conf digits3.txt &&
		# Enough numbers redacted, or the comparison shows nothing.
		test $(grep -o "\[[A-Z]*\]" on | wc -l) -gt 1000
	'
done

test_expect_success 'a number covered, and one taken from the left by another rule' '
	printf "SSN 123-45-6789 the end\nGB82 WEST 1234 5698 7654 32 to\nZ QQ00 2125 5501 4700 end\nQQ00 2125 5501 4700, end\nat 10.0.0.1 in\n" >cases.txt &&
	docpipe-redact -c tag.conf --text <cases.txt >out.txt &&
	printf "SSN [SSN] the end\n[IBAN] to\n[TAG] 2125 5501 4700 end\n[IBAN], end\nat [IP] in\n" >expect &&
	test_cmp expect out.txt &&
	alike tag.conf cases.txt
'

test_done
