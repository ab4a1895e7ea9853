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

/* CODE compiled, then V through it, as the readers do with their format tables. */
static char *
shown(const char *code, double v, gboolean date1904)
{
	DpNumFmt f = dp_numfmt_parse(code);
	return dp_numfmt_format(&f, v, date1904);
}

static void
check(const char *code, double v, const char *want)
{
	g_autofree char *got = shown(code, v, FALSE);
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
	g_autofree char *inf = shown("0.00", 1.0 / 0.0, FALSE);
	g_assert_null(inf);
	g_autofree char *big = shown("0.00", 1e16, FALSE);
	g_assert_null(big);
}

static void
test_dates(void)
{
	g_autofree char *d = shown("yyyy-mm-dd", 45356, FALSE);
	g_assert_cmpstr(d, ==, "2024-03-05");
	g_autofree char *d1904 = shown("yyyy-mm-dd", 45356 - 1462, TRUE);
	g_assert_cmpstr(d1904, ==, "2024-03-05");
	/* An era year (e) before the date fields: still a date. */
	g_autofree char *era = shown("[$-411]ge.m.d", 45356, FALSE);
	g_assert_cmpstr(era, ==, "2024-03-05");
	g_autofree char *lng = shown("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", 45356, FALSE);
	g_assert_cmpstr(lng, ==, "2024-03-05");
	g_autofree char *t = shown("h:mm", 0.5, FALSE);
	g_assert_cmpstr(t, ==, "12:00:00");
}

static void
raw(const char *code, double v)
{
	g_autofree char *got = shown(code, v, FALSE);
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
	raw("0;0;[<5]0", 5);
	raw("0;[<5]0", 5);
	raw("[<abc]0", 5);
	raw("[<1][>2]0", 5);
	raw("# ?\?/?\?", 1.5);
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

/* Conditions choose the section; the sections for negative numbers alone drop the minus. */
static void
test_conditions(void)
{
	check("[<100]0;0.00", 5, "5");
	check("[<100]0;0.00", 150, "150.00");
	check("[<100]0;0.00", -5, "-5");
	check("[>=100]#,##0;[<0]\"neg \"0;0.0", 1234, "1,234");
	check("[>=100]#,##0;[<0]\"neg \"0;0.0", -3, "neg 3");
	check("[>=100]#,##0;[<0]\"neg \"0;0.0", 5, "5.0");
	check("[>=0]0.00;(0.00)", -5, "(5.00)");
	check("[>=0]0.00;(0.00)", 5, "5.00");
	check("[Red][<=-1]0.0;[Blue][>=1]0.0;0", -2.5, "2.5");
	check("[Red][<=-1]0.0;[Blue][>=1]0.0;0", 0.4, "0");
	check("[=1]0\" item\";0\" items\"", 1, "1 item");
	check("[=1]0\" item\";0\" items\"", 3, "3 items");
	/* No section for the number: Excel fills the cell with #, the value stays as stored. */
	raw("[>100]0;[<-100]0", 5);
	raw("[>100]0", 5);
}

/* ? is a digit that shows as a space when there is none, so that points line up; 0 pads with zeros. */
static void
test_padding(void)
{
	check("???", 5, "  5");
	check("???", 12345, "12345");
	check("??0.00", 5, "  5.00");
	check("0.0?", 1.5, "1.5 ");
	check("0.0?", 1.25, "1.25");
	check("0.??", 1, "1.  ");
	check("#,##0.0?", 1234.5, "1,234.5 ");
	check("000", 5, "005");
	check("0,000", 5, "0,005");
	check("000.00", -1.5, "-001.50");
}

/*
 * A negative number that rounds to zero: the section is chosen by the
 * value as stored, as Excel does, but one section alone shows no "-0"
 * (Excel may: it keeps the sign of what rounded away; a reader wants
 * the number).
 */
static void
test_negative_zero(void)
{
	check("0", -0.4, "0");
	check("0.00", -0.001, "0.00");
	check("0;(0)", -0.4, "(0)");
	check("0.00;(0.00)", -0.001, "(0.00)");
}

DP_UNIT_MAIN("numfmt", test_half_away_from_zero, test_digits_and_carries, test_percent, test_refused, test_dates,
             test_sections, test_thousands, test_elapsed, test_currency, test_not_understood, test_conditions,
             test_padding, test_negative_zero)
