#!/bin/sh
test_description='docpipe report over fixture databases: well-formed, self-contained, escaped, the counts shown, the same bytes twice'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIR/report-lib.sh"

test_expect_success 'a full database gives OUT/report.html and nothing else' '
	report_fixture full full &&
	docpipe report full 2>err &&
	! test -s err &&
	(cd full && ls -A) >files &&
	printf "corpus.sqlite\nreport.html\n" >expect &&
	test_cmp expect files
'

test_expect_success 'the page is well-formed XHTML5 and self-contained' '
	report_wellformed full/report.html &&
	report_self_contained full/report.html &&
	head -n 1 full/report.html >first &&
	echo "<!DOCTYPE html>" >expect && test_cmp expect first &&
	! grep -q -i "http" full/report.html
'

test_expect_success 'hostile values are escaped, not markup' '
	! grep -q "<script" full/report.html &&
	! grep -q "<b>" full/report.html &&
	! grep -q "<i>" full/report.html &&
	grep -q -F "&lt;script&gt;alert(1)&lt;/script&gt;" full/report.html &&
	grep -q -F "a &amp; b &quot;quoted&quot; &#39;single&#39;" full/report.html &&
	grep -q -F "inbox/&lt;b&gt;bold&lt;/b&gt; &amp; co.pdf" full/report.html &&
	grep -q -F "Re: &lt;i&gt;plan&lt;/i&gt; &amp; &quot;budget&quot; 24" full/report.html &&
	test "$(report_value full/report.html "count(//section[@id=\"threads\"]//i)")" = 0
'

test_expect_success 'non-ASCII survives; control characters and invalid UTF-8 do not' '
	grep -q -F "Müller &amp; Söhne" full/report.html &&
	grep -q -F "Überprüfung fehlgeschlagen — 東京" full/report.html &&
	iconv -f UTF-8 -t UTF-8 full/report.html >/dev/null &&
	! grep -q "$(printf "\033")" full/report.html &&
	! grep -q "$(printf "\007")" full/report.html &&
	grep -q -F "bell� and escape�[31m" full/report.html &&
	grep -q -F "broken �( utf-8" full/report.html
'

test_expect_success 'a very long name is cut in tables and labels' '
	long=$(printf "very-long-name-%.0s" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20) &&
	! grep -q -F "$long" full/report.html &&
	grep -q -F "very-long-name-very-long…" full/report.html
'

# The fixture's numbers: tests/report-fixture.py, variant full.
test_expect_success 'the overview counts inputs, parts, pages and failures' '
	row() { report_value full/report.html "//section[@id=\"overview\"]//tr[td[1]=\"$1\"]/td[2]"; } &&
	test "$(row inputs)" = 115 &&
	test "$(row "parts (attachments, members, messages)")" = 2 &&
	test "$(row "pages read by OCR")" = 9 &&
	test "$(row "inputs failed")" = 5
'

test_expect_success 'inputs by type and status, failures and their reasons' '
	grep -q -F "<title>application/pdf: 27</title>" full/report.html &&
	grep -q -F "<title>ok: 109</title>" full/report.html &&
	grep -q -F "<title>limit: 1</title>" full/report.html &&
	test "$(report_value full/report.html "count(//section[@id=\"failures\"]//table[2]/tbody/tr)")" = 6 &&
	test "$(report_value full/report.html "//section[@id=\"failures\"]//tr[td[1]=\"inbox/box.mbox\"]/td[2]")" = 2/att.zip
'

test_expect_success 'the OCR confidence histogram has the right bins' '
	for bin in "0-10: 1" "10-20: 0" "40-50: 1" "50-60: 1" "90-100: 4"; do
		grep -q -F "<title>$bin</title>" full/report.html || { echo "no bin $bin"; return 1; }
	done &&
	grep -q -F "7 pages with a confidence; mean 68.4." full/report.html &&
	grep -q -F "2 values were not confidences" full/report.html
'

test_expect_success 'redactions per rule and channel, a total-only rule too' '
	red() { report_value full/report.html "//section[@id=\"redactions\"]//tr[td[1]=\"$1\" and td[2]=\"$2\"]/td[3]"; } &&
	test "$(red email body)" = 10 &&
	test "$(red phone body)" = 5 &&
	test "$(red phone metadata)" = 1 &&
	test "$(red ssn "(all)")" = 7 &&
	grep -q -F "<title>email: 20</title>" full/report.html
'

test_expect_success 'FOIA exemptions count each code once per document' '
	grep -q -F "<title>b6: 3</title>" full/report.html &&
	grep -q -F "<title>b7(c): 2</title>" full/report.html
'

test_expect_success 'messages per month, e-mail and printed apart, undated last' '
	grep -q -F "13 (10 + 3)</text>" full/report.html &&
	grep -q -F "<title>2014-06: 10</title>" full/report.html &&
	report_value full/report.html "//section[@id=\"messages\"]//g[last()]/title" >last &&
	echo "(no date): 4" >expect && test_cmp expect last
'

test_expect_success 'the largest duplicate groups and threads come first' '
	test "$(report_value full/report.html "//section[@id=\"duplicates\"]//table[2]/tbody/tr[1]/td[1]")" = 20 &&
	test "$(report_value full/report.html "//section[@id=\"duplicates\"]//table[2]/tbody/tr[1]/td[3]")" = 21 &&
	test "$(report_value full/report.html "//section[@id=\"duplicates\"]//table[2]/tbody/tr[1]/td[4]")" = 1.000 &&
	grep -q -F "25 threads of 325 messages; the deepest is 4 replies deep." full/report.html &&
	test "$(report_value full/report.html "//section[@id=\"threads\"]//tbody/tr[2]/td[2]")" = 24
'

test_expect_success 'the same database gives the same bytes; -o - writes the same page' '
	cp full/report.html first.html &&
	docpipe report full &&
	cmp first.html full/report.html &&
	docpipe report -o - full >stdout.html &&
	cmp first.html stdout.html &&
	docpipe report --output other.html full &&
	cmp first.html other.html
'

test_expect_success 'a large database: per year past 36 months, long tables cut' '
	report_fixture many many &&
	docpipe report many &&
	report_wellformed many/report.html &&
	report_self_contained many/report.html &&
	grep -q -F "Over 36 months: counted per year." many/report.html &&
	grep -q -F "<title>2020: " many/report.html &&
	grep -q -F "1220 more threads not shown." many/report.html &&
	test "$(report_value many/report.html "count(//section[@id=\"threads\"]//tbody/tr)")" = 30
'

test_expect_success 'empty tables: every section says it is empty' '
	report_fixture empty empty &&
	docpipe report empty &&
	report_wellformed empty/report.html &&
	for s in "No inputs recorded." "No input or part failed." "No page confidence recorded." \
		"Nothing was redacted." "No FOIA exemption code found." "No messages recorded." \
		"No duplicate groups." "No threads."; do
		grep -q -F "$s" empty/report.html || { echo "missing: $s"; return 1; }
	done &&
	test "$(report_value empty/report.html "count(//svg)")" = 0
'

test_expect_success 'missing tables: their sections say so' '
	report_fixture missing missing &&
	docpipe report missing &&
	report_wellformed missing/report.html &&
	for t in messages dup_groups threads; do
		grep -q -F "The database has no table $t: nothing to show." missing/report.html ||
			{ echo "no note for $t"; return 1; }
	done &&
	grep -q -F "bad &amp; broken" missing/report.html
'

test_expect_success 'an empty database file gives a page of empty sections' '
	mkdir bare && : >bare/corpus.sqlite &&
	docpipe report bare &&
	report_wellformed bare/report.html &&
	grep -q -F "The database has no table documents" bare/report.html
'

test_expect_code 66 'no OUT/corpus.sqlite: one line naming it, exit 66' '
	mkdir nodb &&
	docpipe report nodb 2>err; code=$? &&
	test "$(wc -l <err)" = 1 && test_grep "nodb/corpus.sqlite" err &&
	! test -e nodb/report.html &&
	(exit $code)
'

test_expect_code 74 'a file that is not a database: exit 74' '
	mkdir junk && echo "not a database" >junk/corpus.sqlite &&
	docpipe report junk 2>err; code=$? &&
	test_grep "junk/corpus.sqlite" err &&
	(exit $code)
'

test_expect_code 73 'a page that cannot be created: exit 73, no temporary left' '
	: >plainfile &&
	docpipe report -o plainfile/report.html full 2>err; code=$? &&
	test_grep "cannot create .*plainfile" err && test "$(wc -l <err)" = 1 &&
	! ls | grep -q "tmp-" &&
	(exit $code)
'

test_expect_code 64 'usage: no OUT, or two' '
	docpipe report 2>err; a=$? &&
	docpipe report full full 2>err; b=$? &&
	test "$a" = 64 && (exit $b)
'

test_done
