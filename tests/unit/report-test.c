/*
 * report-test.c: the pieces of `docpipe report`'s page: escaping of
 * hostile values (report/xhtml.c) and the charts (report/svg.c): bar
 * lengths, labels cut on a character, numbers beside the bars, two series,
 * empty charts, the same bytes for the same data.
 */
#include "report/svg.h"
#include "report/xhtml.h"
#include "unit.h"

/* The escaped form of TEXT cut at MAXCHARS. */
static char *
esc(const char *text, gsize maxchars)
{
	GString *out = g_string_new(NULL);
	dp_xhtml_escape(out, text, maxchars);
	return g_string_free(out, FALSE);
}

static void
test_escape_markup(void)
{
	g_autofree char *a = esc("<script>alert('x') & \"y\"</script>", 0);
	g_assert_cmpstr(a, ==, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	g_autofree char *b = esc(NULL, 0);
	g_assert_cmpstr(b, ==, "");
	g_autofree char *c = esc("M\xc3\xbcller \xe6\x9d\xb1\xe4\xba\xac", 0);
	g_assert_cmpstr(c, ==, "M\xc3\xbcller \xe6\x9d\xb1\xe4\xba\xac");
}

/* What XML forbids or a reader should not get raw becomes U+FFFD; tab and newline stay. */
static void
test_escape_controls(void)
{
	g_autofree char *a = esc("a\x01"
	                         "b\x1b[31m\tc\nd\x7f"
	                         "e\xc2\x85"
	                         "f\xef\xbf\xbe",
	                         0);
	g_assert_cmpstr(a, ==,
	                "a\xef\xbf\xbd"
	                "b\xef\xbf\xbd[31m\tc\nd\xef\xbf\xbd"
	                "e\xef\xbf\xbd"
	                "f\xef\xbf\xbd");
	g_autofree char *b = esc("bad \xff\xfe end \xc3(", 0);
	g_assert_true(g_utf8_validate(b, -1, NULL));
	g_assert_nonnull(strstr(b, " end "));
	g_assert_null(strchr(b, '\xff'));
}

/* The cut counts characters, never splits one, and marks itself. */
static void
test_escape_cut(void)
{
	g_autofree char *a = esc("\xc3\xa9t\xc3\xa9 & hiver", 4);
	g_assert_cmpstr(a, ==, "\xc3\xa9t\xc3\xa9 \xe2\x80\xa6");
	g_autofree char *b = esc("abcd", 4);
	g_assert_cmpstr(b, ==, "abcd");
	g_autofree char *c = esc("a&b", 2);
	g_assert_cmpstr(c, ==, "a&amp;\xe2\x80\xa6");
}

static char *
bars(const DpBar *b, guint n, const char *const *legend)
{
	GString *out = g_string_new(NULL);
	dp_svg_bars(out, "T <&>", b, n, legend);
	return g_string_free(out, FALSE);
}

/* The largest bar is 300 units, the others in proportion, at least 1; 0 draws none. */
static void
test_bars_lengths(void)
{
	const DpBar b[] = {
		{ "big", { 1000, 0 } }, { "half", { 500, 0 } }, { "tiny", { 1, 0 } }, { "none", { 0, 0 } }
	};
	g_autofree char *svg = bars(b, G_N_ELEMENTS(b), NULL);
	g_assert_nonnull(strstr(svg, "<figcaption>T &lt;&amp;&gt;</figcaption>"));
	g_assert_nonnull(strstr(svg, "y=\"4\" width=\"300\""));
	g_assert_nonnull(strstr(svg, "y=\"22\" width=\"150\""));
	g_assert_nonnull(strstr(svg, "y=\"40\" width=\"1\""));
	g_assert_null(strstr(svg, "y=\"58\" width="));
	g_assert_nonnull(strstr(svg, "<title>none: 0</title>"));
	g_assert_nonnull(strstr(svg, ">1000</text>"));
	g_assert_nonnull(strstr(svg, ">500</text>"));
	g_autofree char *again = bars(b, G_N_ELEMENTS(b), NULL);
	g_assert_cmpstr(svg, ==, again);
}

/* A long hostile label is cut and escaped in the chart; the tooltip has all of it. */
static void
test_bars_labels(void)
{
	g_autofree char *label = g_strconcat("<b>", "\xc3\xa9", "0123456789012345678901234567890123456789", NULL);
	const DpBar b[] = { { label, { 3, 0 } } };
	g_autofree char *svg = bars(b, 1, NULL);
	g_assert_null(strstr(svg, "<b>"));
	g_assert_nonnull(strstr(svg, "<title>&lt;b&gt;\xc3\xa9"
	                             "0123456789012345678901234567890123456789: 3</title>"));
	g_assert_nonnull(strstr(svg, "&lt;b&gt;\xc3\xa9"
	                             "012345678901234567890123\xe2\x80\xa6</text>"));
}

/* Two series: solid then dashed, the total and both values written. */
static void
test_bars_two_series(void)
{
	static const char *const legend[] = { "mail", "<printed>" };
	const DpBar b[] = { { "2014-01", { 30, 10 } }, { "2014-02", { 0, 20 } } };
	g_autofree char *svg = bars(b, G_N_ELEMENTS(b), legend);
	g_assert_nonnull(strstr(svg, "&lt;printed&gt; (dashed)"));
	g_assert_nonnull(strstr(svg, "class=\"bar\" x=\"200\" y=\"24\" width=\"225\""));
	g_assert_nonnull(strstr(svg, "class=\"bar2\" x=\"425\" y=\"24\" width=\"75\""));
	g_assert_nonnull(strstr(svg, ">40 (30 + 10)</text>"));
	g_assert_nonnull(strstr(svg, "class=\"bar2\" x=\"200\" y=\"42\" width=\"150\""));
	g_assert_nonnull(strstr(svg, ">20 (0 + 20)</text>"));
}

static void
test_histogram(void)
{
	static const char *const labels[] = { "low", "mid", "high" };
	const guint64 counts[] = { 0, 2, 4 };
	GString *out = g_string_new(NULL);
	dp_svg_histogram(out, "H", labels, counts, 3, "x & y");
	g_autofree char *svg = g_string_free(out, FALSE);
	g_assert_nonnull(strstr(svg, "<title>low: 0</title><text"));
	g_assert_nonnull(strstr(svg, "<title>high: 4</title><rect class=\"bar\" x=\"394\" y=\"20\" width=\"182\" "
	                             "height=\"140\"/>"));
	g_assert_nonnull(strstr(svg, "height=\"70\"/>"));
	g_assert_nonnull(strstr(svg, ">x &amp; y</text>"));
}

DP_UNIT_MAIN("report", test_escape_markup, test_escape_controls, test_escape_cut, test_bars_lengths, test_bars_labels,
             test_bars_two_series, test_histogram)
