#!/bin/sh
# t2155: spreadsheet number formats (extract/office-numfmt.c): XLSX and
# BIFF8 cells whose format shows a date or a time are ISO 8601 in either
# date system, percentages and fixed decimals as the format says, with
# the format's sections (positive;negative;zero), literal text, thousands
# separators, elapsed time and currency symbols; formats not understood
# (scientific) and General keep the number as stored; ODS date and time cells from their
# office:date-value and time-value; conditions, ? and 0 padding and a
# negative that rounds to zero, the same through both readers.  Samples
# from make-samples-office (openpyxl, odfpy), make-samples-ole and
# make-samples-numfmt.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-office" "$S" >/dev/null 2>&1 ||
	test_skip_all "cannot make the office samples (python3-docx, python3-openpyxl, python3-odf)"
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

cat >"$TRASH/expect.xlsx" <<\EOF
Formats

==> sheet 1 [text/tab-separated-values] <==
date	datetime	percent	fixed	general	currency	time	red date	raw date
2024-03-05	2024-03-05 14:30:00	12.34%	3.142	42.25	$1,234.50	14:30:00	1999-12-31	45356
2	50%	0.00
(5.00)	1,234,567.50	36:30:00	€ 1,234.50	5.00 kg	zero	1,235	(3)	1234
EOF

test_expect_success 'XLSX: dates, times, percentages, fixed decimals, sections, thousands, elapsed, currency; General as stored' '
	docpipe convert --no-redact "$S/formats.xlsx" >out &&
	test_cmp "$TRASH/expect.xlsx" out
'

test_expect_success 'XLSX in the 1904 date system: the same dates from other serials' '
	unzip -p "$S/formats1904.xlsx" xl/workbook.xml | grep -q "date1904=\"1\"" &&
	unzip -p "$S/formats.xlsx" xl/worksheets/sheet1.xml >a.xml &&
	unzip -p "$S/formats1904.xlsx" xl/worksheets/sheet1.xml >b.xml &&
	! cmp -s a.xml b.xml &&
	docpipe convert --no-redact "$S/formats1904.xlsx" >out &&
	test_cmp "$TRASH/expect.xlsx" out
'

test_expect_success 'BIFF8: a custom date in the 1904 system (DATEMODE), built-in and custom number formats' '
	docpipe convert --no-redact "$S/book-formats.xls" >out &&
	printf "[Formats]\n2024-03-05 12:00:00\t12.50%%\t2.00\t3.142\t7.5\t0.1\n" >expect &&
	test_cmp expect out
'

test_expect_success 'ODS: date and time cells as ISO 8601, a bad date-value keeps the text shown' '
	docpipe convert --no-redact "$S/dates.ods" >out &&
	printf "\n==> sheet 1 [text/tab-separated-values] <==\n2024-03-05\t2024-03-05 14:30:00\t14:30:00\tshown text kept\t3.50\n" >expect &&
	test_cmp expect out
'

test_expect_success 'XLSX and BIFF8 alike: conditions, ? and 0 padding, a negative rounded to zero, no section' '
	/usr/bin/python3 "$TOP/scripts/make-samples-numfmt" more &&
	printf "5\t150.00\tneg 3\t1.5 \t  5.00\t005\t(0.00)\t5\n" >row &&
	{ printf "More\n\n==> sheet 1 [text/tab-separated-values] <==\n" && cat row; } >expect &&
	docpipe convert --no-redact more/numfmt-more.xlsx >out &&
	test_cmp expect out &&
	{ printf "[More]\n" && cat row; } >expect &&
	docpipe convert --no-redact more/numfmt-more.xls >out &&
	test_cmp expect out
'

test_done
