#!/bin/sh
# docpipe-redact --text cuts its input into blocks at blank lines: the
# result must be the text's as a whole.  DOCPIPE_REDACT_TEXT_BLOCK=1 cuts
# at every blank line; a huge block does not cut at all.  Inputs: the
# bench text generator's (every detector, a name list) and values broken
# across a blank line in every way, with and without OCR tolerance.
. "$(dirname "$0")/test-lib.sh"

key=$TEST_DIR/redact-test.key
names=$TEST_DIR/redact-names.txt

# Redact IN with CONF cut at every blank line, at the default block size
# and not at all; the three must be alike.
blocks_alike() {
	DOCPIPE_REDACT_TEXT_BLOCK=1 docpipe-redact -c "$1" --text <"$2" >every &&
	docpipe-redact -c "$1" --text <"$2" >default &&
	DOCPIPE_REDACT_TEXT_BLOCK=1000000000 docpipe-redact -c "$1" --text <"$2" >whole &&
	test_cmp whole every && test_cmp whole default
}

test_expect_success 'bench text, every detector and 10,000 names: same result in blocks' '
	"$TOP/scripts/make-bench-redact-text" bench.txt 2 bench-names.txt &&
	printf "[redact]\ndetectors=email;phone;ssn;card;iban;ip\noperator=pseudonym\nkey-file=%s\n[rule person]\nterms=%s/bench-names.txt\n" \
		"$key" "$PWD" >all.conf &&
	blocks_alike all.conf bench.txt &&
	# More than a few blank lines and redactions, or the check shows nothing.
	test $(grep -c "^\$" bench.txt) -gt 1000 &&
	test $(grep -o "\[[A-Z]*-[0-9a-f]*\]" whole | sort -u | wc -l) -gt 1000
'

# Values on both sides of a blank line: a rule that matched across one
# would make block and whole differ.
cat >"$TRASH/split.txt" <<'IN'
Cheryl

Mills, Cheryl

Mills and Chery!

Mills wrote.
Mail cd@state.gov

cd@

state.gov or cd @

state.gov or cd@state

.gov or [mailto:

cd@state.gov] now.
From: Cheryl Mills

<cd@state.gov>
To:

Huma Abedin <huma@example.org>

Call 202-555

-0143 or (202)

555-0143 or 202-555-

0143 today.
SSN 123-45

-6789 and 123-

45-6789 here.
Card 4111 1111

1111 1111 and 4111111111111111

.
IBAN GB82 WEST

1234 5698 7654 32 and IP 10.0.

0.1 or 192.168.1.1

.

IN

for ocr in never always; do
	test_expect_success "values split by blank lines (ocr-tolerant=$ocr): same result in blocks" "
		printf '[redact]\ndetectors=email;phone;ssn;card;iban;ip\nocr-tolerant=$ocr\n[rule person]\nterms=%s\n' \
			'$names' >split.conf &&
		blocks_alike split.conf split.txt &&
		# Whole values next to the breaks are still found.
		grep -q '\[PERSON\]' whole && grep -q '\[EMAIL\]' whole && grep -q '\[PHONE\]' whole
	"
done

test_done
