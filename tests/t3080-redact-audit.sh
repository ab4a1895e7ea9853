#!/bin/sh
# t3080: the audit of a run (batch/redcount.c).  docpipe run's summary
# counts the redactions of the inputs it converted by rule and channel
# (body, header, metadata, path, covered text), on stderr when something
# was redacted and in --json always, without a matched value anywhere;
# nothing is said when nothing was redacted, and -q stays quiet; docpipe
# status adds up the same counts from the ledger.
. "$(dirname "$0")/test-lib.sh"

IN=$TRASH/in
mkdir -p "$IN" "$TRASH/clean"
printf '%s\n' "From: Jane Doe <jane.doe@example.com>" "To: bob@example.org" "Subject: lunch" \
	"Date: Mon, 2 Mar 2009 09:12:00 +0000" "Message-ID: <1@example.net>" "" \
	"Call me at 202-555-0143." >"$IN/msg.eml"
printf 'SSN 123-45-6789 and 078-05-1120\n' >"$IN/ssn_123-45-6789.txt"
printf 'nothing to see\n' >"$TRASH/clean/a.txt"
if /usr/bin/python3 "$TOP/scripts/make-samples-covered" "$TRASH/covered" >/dev/null 2>&1; then
	cp "$TRASH/covered/covered.pdf" "$IN/" && test_set_prereq COVERED
fi

# The values that must appear in no report.
values() {
	grep -E "jane|bob@|example|202-555|0143|123-45|6789|078-05|1120|Quincy|Zanzibar" "$@"
}

test_expect_success 'the summary counts each rule by channel, without a value' '
	docpipe run "$IN" out 2>err &&
	test "$(wc -l <err)" = 1 &&
	test_grep "^docpipe run: [23] inputs, [23] converted (ok [23]), 0 unchanged in [0-9.]* s; redacted: .*email 3 (header 3), person 1 (header 1), phone 1 (body 1), ssn 3 (body 2, path 1)$" err &&
	! values err
'

test_expect_success 'its --json has the same counts' '
	docpipe run --json "$IN" out2 >sum.json 2>err &&
	test_json sum.json "d[\"redactions\"][\"email\"] == {\"total\": 3, \"header\": 3}" \
		"d[\"redactions\"][\"phone\"] == {\"total\": 1, \"body\": 1}" \
		"d[\"redactions\"][\"ssn\"] == {\"total\": 3, \"body\": 2, \"path\": 1}" &&
	! values sum.json
'

test_expect_success COVERED 'words under black boxes are the covered channel' '
	docpipe run --json "$IN" out3 >sum.json 2>err &&
	test_json sum.json "d[\"redactions\"][\"covered\"][\"covered\"] == d[\"redactions\"][\"covered\"][\"total\"] > 0" &&
	test_grep "; redacted: covered [0-9]* (covered [0-9]*), email 3" err &&
	! values err
'

test_expect_success 'a run that converts nothing new, or redacts nothing, says nothing of it' '
	docpipe run "$IN" out 2>err &&
	test_grep "0 converted" err &&
	! grep redacted err &&
	docpipe run --json "$TRASH/clean" clean-out >sum.json 2>err &&
	! grep redacted err &&
	test_json sum.json "d[\"redactions\"] == {}"
'

test_expect_success '-q: nothing at all when all went well' '
	docpipe run -q "$IN" quiet-out 2>err &&
	test ! -s err
'

test_expect_success 'docpipe status adds up the same counts from the ledger' '
	docpipe status out >st &&
	test_grep "^  email        3 (header 3)$" st &&
	test_grep "^  ssn          3 (body 2, path 1)$" st &&
	docpipe status --json out >st.json &&
	test_json st.json "d[\"redactions\"][\"ssn\"] == {\"total\": 3, \"body\": 2, \"path\": 1}" &&
	! values st st.json
'

test_done
