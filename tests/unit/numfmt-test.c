/*
 * numfmt-test: spreadsheet number formats (extract/office-numfmt.c):
 * fixed decimals and percentages rounded as a spreadsheet shows them,
 * from the value's 15 significant digits and half away from zero, and
 * dates in both date systems; sections (positive;negative;zero) with
 * their literal text, thousands separators and scaling, elapsed time,
 * currency symbols; codes not understood keep the raw value.
 */
#include "extract/office-numfmt.h"

#include "unit.h"

static void
check(const char *code, double v, const char *want)
{
	g_autofree char *got = dp_numfmt_format(dp_numfmt_parse(code), v, FALSE);
	g_assert_cmpstr(got, ==, want);
}

static void
test_half_away_from_zero(void)
{
	check("0", 2.5, "3");
	check("0", 3.5, "4");
	check("0", -2.5, "-3");
	check("0.00", 1.005, "1.01");
	check("0.00", 0.125, "0.13");
	check("0.00", -0.125, "-0.13");
	check("0.0", 0.05, "0.1");
	check("0.00", 0.005, "0.01");
	check("0.00", 0.0049, "0.00");
	check("0", 0.4, "0");
	check("0", 0.6, "1");
}

static void
test_digits_and_carries(void)
{
	check("0.00", 9.995, "10.00");
	check("0.00", 99.999, "100.00");
	check("0.00", 0, "0.00");
	check("0.00", -0.001, "0.00");
	check("0.000", 3.14159, "3.142");
	check("0.00", 123456789012.345, "123456789012.35");
	check("0.00", 1e-300, "0.00");
	check("0", 100, "100");
	check("0.00", 1000.1, "1000.10");
}

static void
test_percent(void)
{
	check("0%", 0.125, "13%");
	check("0.00%", 0.12345, "12.35%");
	check("0.00%", 0.5, "50.00%");
	check("0%", -0.005, "-1%");
}

static void
test_refused(void)
{
	g_autofree char *inf = dp_numfmt_format(dp_numfmt_parse("0.00"), 1.0 / 0.0, FALSE);
	g_assert_null(inf);
	g_autofree char *big = dp_numfmt_format(dp_numfmt_parse("0.00"), 1e16, FALSE);
	g_assert_null(big);
}

static void
test_dates(void)
{
	g_autofree char *d = dp_numfmt_format(dp_numfmt_parse("yyyy-mm-dd"), 45356, FALSE);
	g_assert_cmpstr(d, ==, "2024-03-05");
	g_autofree char *d1904 = dp_numfmt_format(dp_numfmt_parse("yyyy-mm-dd"), 45356 - 1462, TRUE);
	g_assert_cmpstr(d1904, ==, "2024-03-05");
	/* An era year (e) before the date fields: still a date. */
	g_autofree char *era = dp_numfmt_format(dp_numfmt_parse("[$-411]ge.m.d"), 45356, FALSE);
	g_assert_cmpstr(era, ==, "2024-03-05");
	g_autofree char *lng = dp_numfmt_format(dp_numfmt_parse("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"), 45356, FALSE);
	g_assert_cmpstr(lng, ==, "2024-03-05");
	g_autofree char *t = dp_numfmt_format(dp_numfmt_parse("h:mm"), 0.5, FALSE);
	g_assert_cmpstr(t, ==, "12:00:00");
}

static void
raw(const char *code, double v)
{
	g_autofree char *got = dp_numfmt_format(dp_numfmt_parse(code), v, FALSE);
	g_assert_null(got);
}

static void
test_sections(void)
{
	check("0.00;(0.00)", -5, "(5.00)");
	check("0.00;(0.00)", 5, "5.00");
	check("0.00;(0.00)", 0, "0.00");
	check("0.00;-0.00", -5, "-5.00");
	check("0;[Red]0", -5, "5");
	check("0;-0;\"zero\"", 0, "zero");
	check("0;-0;\"zero\"", -2, "-2");
	check("0;-0;\"zero\"", 7, "7");
	check("0.00;(0.00);0;@", -1.255, "(1.26)");
	check("0.00 \"kg\"", 5, "5.00 kg");
	check("0.00 \"kg\"", -5, "-5.00 kg");
	check("\\+0", 3, "+3");
	check("0_)", 3, "3 ");
	check("0_);(0)", -3, "(3)");
	check("**0", 3, "3");
	check("\"<\"0\">\"", 4, "<4>");
	check("0%;(0%)", -0.25, "(25%)");
}

static void
test_thousands(void)
{
	check("#,##0.00", 1234567.5, "1,234,567.50");
	check("#,##0.00", -1234567.5, "-1,234,567.50");
	check("#,##0", 999.5, "1,000");
	check("#,##0", 12, "12");
	check("#,##0", 0, "0");
	check("#,##0.000", 3.14159, "3.142");
	check("#,##0;(#,##0)", -1234, "(1,234)");
	check("0,", 1234567, "1235");
	check("#,##0,,\" M\"", 1234567890, "1,235 M");
	check("0.0,", 1500, "1.5");
	check("#,###", 0, "");
	g_autofree char *b3 = dp_numfmt_format(dp_numfmt_builtin(3), 1234567, FALSE);
	g_assert_cmpstr(b3, ==, "1,234,567");
	g_autofree char *b4 = dp_numfmt_format(dp_numfmt_builtin(4), 1234.5, FALSE);
	g_assert_cmpstr(b4, ==, "1,234.50");
}

static void
test_elapsed(void)
{
	check("[h]:mm:ss", 1.520833, "36:30:00");
	check("[h]:mm", 1.5, "36:00");
	check("[mm]:ss", 0.0625, "90:00");
	check("[ss]", 0.01, "864");
	check("[h]", 2.25, "54");
	g_autofree char *b46 = dp_numfmt_format(dp_numfmt_builtin(46), 1.520833, FALSE);
	g_assert_cmpstr(b46, ==, "36:30:00");
	raw("[h]:mm:ss", -1);
	raw("[h]:ss", 1);
	raw("[h]:mm:ss.0", 1);
	raw("[mm]:hh", 1);
}

static void
test_currency(void)
{
	check("\"$\"#,##0.00", 1234.5, "$1,234.50");
	check("\"$\"#,##0.00", -1234.5, "-$1,234.50");
	check("[$€-407] #,##0.00", 1234.5, "€ 1,234.50");
	check("#,##0.00 [$€-407]", 1234.5, "1,234.50 €");
	check("[$-409]#,##0", 1234, "1,234");
	check("$#,##0.00_);($#,##0.00)", -12.5, "($12.50)");
	check("_-* #,##0.00\\ \"€\"_-;\\-* #,##0.00\\ \"€\"_-;_-* \"-\"??\\ \"€\"_-;_-@_-", -3, "-3.00 € ");
}

static void
test_not_understood(void)
{
	raw("0.00E+00", 1234);
	raw("# ?/?", 1.5);
	raw("[<100]0;0.00", 5);
	raw("000-0000", 5551234);
	raw("General;-General", 5);
	raw("0.00;\"unclosed", -5);
	raw("0.0#", 1.25);
	raw("@", 5);
	raw("0;0;0;0;0", 5);
	/* A code too long to keep with its text stays raw, whatever it says. */
	GString *lng = g_string_new("0.00");
	for (int i = 0; i < DP_NUMFMT_MAX_CODE; i++)
		g_string_append(lng, "\" \"");
	raw(lng->str, 5);
	g_string_free(lng, TRUE);
}

DP_UNIT_MAIN("numfmt", test_half_away_from_zero, test_digits_and_carries, test_percent, test_refused, test_dates,
             test_sections, test_thousands, test_elapsed, test_currency, test_not_understood)
