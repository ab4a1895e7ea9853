#!/bin/sh
# find() skips the number-shaped detectors at a run of digits that is a
# number alone (dp_digits_alone): the unit test tries every shape the
# detectors take, at its first run of digits and at later ones, and
# numbers alone in prose.  Then values next to numbers alone are still
# found, end to end.
test_description='redaction: numbers alone skip the number detectors'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/digits-test"

test_expect_success 'values beside numbers alone are redacted' '
	printf "[redact]\ndetectors=email;phone;ssn;card;iban;ip\n" >all.conf &&
	printf "in 1999 call 202-555-0143 or 12 SSN 123-45-6789 page 7\n4111 1111 1111 1111 at 10.0.0.1 x 5\nGB82 WEST 1234 5698 7654 32 item 3\n" >in.txt &&
	docpipe-redact -c all.conf --text <in.txt >out.txt &&
	printf "in 1999 call [PHONE] or 12 SSN [SSN] page 7\n[CARD] at [IP] x 5\n[IBAN] item 3\n" >expect &&
	test_cmp expect out.txt
'

test_done
