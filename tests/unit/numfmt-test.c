/*
 * numfmt-test: spreadsheet number formats (extract/office-numfmt.c):
 * fixed decimals and percentages rounded as a spreadsheet shows them,
 * from the value's 15 significant digits and half away from zero, and
 * dates in both date systems.
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
	g_autofree char *t = dp_numfmt_format(dp_numfmt_parse("h:mm"), 0.5, FALSE);
	g_assert_cmpstr(t, ==, "12:00:00");
}

DP_UNIT_MAIN("numfmt", test_half_away_from_zero, test_digits_and_carries, test_percent, test_refused, test_dates)
