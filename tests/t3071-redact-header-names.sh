#!/bin/sh
# t3071: display names beside redacted addresses ([redact] header-names)
# in whole records: a real message's From/To/Cc (samples/mail, the corpus
# mail), the printed messages of FOIA releases (scripts/make-releases,
# corpus messages printed by scripts/print-eml), header-names=false, and
# one pseudonym per person across headers, body and variants.
test_description='redaction: names in headers'
. "$(dirname "$0")/test-lib.sh"

MAIL=$SAMPLES/mail
check() {
	/usr/bin/python3 "$TEST_DIR/redact-names-check.py" "$@"
}

test_expect_success 'a message: the display names of its addresses are [PERSON]' '
	docpipe convert --xml "$MAIL/report.eml" >x.xml &&
	test_grep "<meta name=\"from\">\[PERSON\] &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	test_grep "<meta name=\"to\">\[PERSON\] &lt;\[EMAIL\]&gt;, \[PERSON\] &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	test_grep "<redaction rule=\"person\" field=\"meta.from\" count=\"1\" positions=\"0+8\"/>" x.xml &&
	! grep -E "Müller|Bob Smith|Ops Team|García|Carol Archive|Dana Field" x.xml &&
	docpipe convert "$MAIL/report.eml" >x.txt &&
	! grep -E "Müller|Bob Smith|Ops Team|García|Carol Archive|Dana Field" x.txt &&
	check fields x.xml >report && test_grep "fields [1-9][0-9]* left 0" report
'

test_expect_success 'header-names=false: addresses only' '
	printf "[redact]\nheader-names=false\n" >off.conf &&
	docpipe convert -c off.conf --xml "$MAIL/report.eml" >x.xml &&
	test_grep "<meta name=\"from\">Renée Müller &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	test_grep "<meta name=\"to\">Bob Smith &lt;\[EMAIL\]&gt;, Ops Team &lt;\[EMAIL\]&gt;</meta>" x.xml &&
	! grep -q "rule=\"person\"" x.xml
'

test_expect_success 'one pseudonym per person: headers, quoted headers, body, OCR and list variants' '
	cat >m.eml <<-\EOM &&
	From: "Mills, Cheryl D" <CD@state.gov>
	To: Cheryl Mills <cd@state.gov>, Huma Abedin <abedinh@state.gov>
	Sender: Huma Abedin <abedinh@state.gov>
	Subject: schedule
	Date: Mon, 2 Mar 2009 09:12:00 -0500
	Message-ID: <m1@state.gov>

	Chery! Mills wrote: fine with me.

	-----Original Message-----
	From: Mills, Cheryl D [mailto:MillsCD@state.gov]
	To: H; Abedin, Huma <AbedinH@state.gov>
	Sent: Monday, March 02, 2009 8:40 AM
	EOM
	cp "$TEST_DIR/redact-test.key" "$TEST_DIR/redact-names.txt" . &&
	printf "[redact]\noperator=pseudonym\nkey-file=redact-test.key\n[rule person]\nterms=redact-names.txt\n" >p.conf &&
	docpipe convert -c p.conf --xml m.eml >x.xml &&
	test_grep "<meta name=\"from\">&quot;\[PERSON-c3ddb5\]&quot; &lt;\[EMAIL-674fcf\]&gt;</meta>" x.xml &&
	test_grep "<meta name=\"to\">\[PERSON-c3ddb5\] &lt;\[EMAIL-674fcf\]&gt;, \[PERSON-594700\] &lt;" x.xml &&
	test_grep "<meta name=\"sender\">\[PERSON-594700\] &lt;\[EMAIL-" x.xml &&
	test_grep "<text>\[PERSON-c3ddb5\] wrote: fine with me\." x.xml &&
	test_grep "^From: \[PERSON-c3ddb5\] \[mailto:\[EMAIL-" x.xml &&
	test_grep "^To: \[PERSON-[0-9a-f]*\]; \[PERSON-594700\] &lt;\[EMAIL-" x.xml &&
	! grep -E "Mills|Cheryl|Abedin|Huma" x.xml
'

R=$TRASH/releases
if "$TOP/scripts/make-releases" "$R" >/dev/null 2>&1; then
	test_set_prereq RELEASES
fi

test_expect_success RELEASES 'printed messages of releases: no display name beside an address is left' '
	(cd "$R" && docpipe convert --xml -o "$TRASH/rel" t*.pdf && docpipe convert -o "$TRASH/rel" t*.pdf) &&
	check printed "$R/truth.json" "$TRASH/rel" >report &&
	cat report && test_grep "^names [1-9][0-9]* left 0$" report &&
	check fields "$TRASH"/rel/*.xml >report &&
	cat report && test_grep "^fields [1-9][0-9]* left 0$" report
'

test_expect_success RELEASES 'printed messages with header-names=false keep the names' '
	printf "[redact]\nheader-names=false\n" >off.conf &&
	(cd "$R" && docpipe convert -c "$TRASH/off.conf" --xml -o "$TRASH/off" t*.pdf &&
		docpipe convert -c "$TRASH/off.conf" -o "$TRASH/off" t*.pdf) &&
	check printed "$R/truth.json" "$TRASH/off" >report &&
	! test_grep "left 0$" report
'

test_expect_success CORPUS 'corpus mail: every address field is names and addresses redacted' '
	docpipe convert --xml "$CORPUS/notmuch/maildir-default" "$CORPUS/mailparser" "$CORPUS/tika/mail" \
		"$CORPUS/enmime" >mail.xml 2>/dev/null || true &&
	check fields mail.xml >report &&
	cat report && test_grep "^fields [1-9][0-9]* left 0$" report
'

test_expect_success CORPUS 'corpus messages printed to PDF: no display name of two words is left' '
	"$TOP/scripts/print-eml" printed >/dev/null &&
	docpipe convert --xml -o out printed/*.pdf && docpipe convert -o out printed/*.pdf &&
	check printed printed/truth.json out/printed >report &&
	cat report &&
	test_grep "^names [1-9][0-9]* left [0-3]$" report &&
	awk "/^left:/ && NF > 4 { exit 1 }" report
'

test_done
