/*
 * NAME
 *	svg.c - the report's charts as inline SVG
 *
 * DESCRIPTION
 *	Two kinds of chart, both drawn in a fixed coordinate system (a
 *	viewBox 600 units wide) that the page scales to its column: a
 *	horizontal bar chart, one labelled row per category, and a histogram
 *	of a few bins.  Every bar carries its number as text beside it, and a
 *	second series is drawn outlined and dashed rather than in another
 *	colour, so that a chart reads in grey print and without colour
 *	vision.  Coordinates are whole units computed in integers: the same
 *	data give the same bytes.
 *
 *	Styles come from the page (classes bar, bar2, axis; xhtml.c), and
 *	nothing is referenced by URL: no patterns, no fonts, no images.
 *
 * SECURITY
 *	Labels come from documents; they reach the SVG only through
 *	dp_xhtml_escape().
 */
#include "report/svg.h"
#include "report/xhtml.h"

#include "util/banned.h"

enum {
	WIDTH = 600,
	LABEL_W = 200,   /* room for the labels, right-aligned against the bars */
	BAR_MAX = 300,   /* the longest bar; its number follows it */
	ROW_H = 18,      /* one bar and its gap */
	BAR_H = 12,      /* the bar itself */
	LABEL_CHARS = 28 /* longer labels are cut; the row's tooltip has the whole */
};

/* V scaled to at most MAX units, at least 1 when V is not 0. */
static guint
scale(guint64 v, guint64 max, guint units)
{
	if (v == 0 || max == 0)
		return 0;
	guint64 len = (v * units + max / 2) / max;
	return len == 0 ? 1 : (guint)len;
}

/* A figure captioned TITLE (shown on screen and paper), around the SVG. */
static void
svg_open(GString *out, const char *title, guint height)
{
	g_string_append(out, "<figure>\n<figcaption>");
	dp_xhtml_escape(out, title, 0);
	g_string_append(out, "</figcaption>\n");
	g_string_append_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %u\" role=\"img\" aria-label=\"", WIDTH,
	                       height);
	dp_xhtml_escape(out, title, 0);
	g_string_append(out, "\">\n<title>");
	dp_xhtml_escape(out, title, 0);
	g_string_append(out, "</title>\n");
}

/* "(solid) NAME0   (dashed) NAME1" above a two-series chart. */
static void
legend_line(GString *out, const char *const *legend)
{
	g_string_append_printf(out, "<rect class=\"bar\" x=\"%d\" y=\"4\" width=\"18\" height=\"%d\"/>", LABEL_W,
	                       BAR_H);
	g_string_append_printf(out, "<text x=\"%d\" y=\"14\">", LABEL_W + 24);
	dp_xhtml_escape(out, legend[0], LABEL_CHARS);
	g_string_append(out, " (solid)</text>");
	g_string_append_printf(out, "<rect class=\"bar2\" x=\"%d\" y=\"4\" width=\"18\" height=\"%d\"/>", LABEL_W + 150,
	                       BAR_H);
	g_string_append_printf(out, "<text x=\"%d\" y=\"14\">", LABEL_W + 174);
	dp_xhtml_escape(out, legend[1], LABEL_CHARS);
	g_string_append(out, " (dashed)</text>\n");
}

/* One row at Y: tooltip, label, one or two segments, number. */
static void
bar_row(GString *out, const DpBar *b, guint y, guint64 max, gboolean two)
{
	guint64 total = b->value[0] + (two ? b->value[1] : 0);
	guint len0 = scale(b->value[0], max, BAR_MAX);
	guint len1 = two ? scale(total, max, BAR_MAX) - len0 : 0;
	g_string_append(out, "<g><title>");
	dp_xhtml_escape(out, b->label, 0);
	g_string_append_printf(out, ": %" G_GUINT64_FORMAT "</title>", total);
	g_string_append_printf(out, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">", LABEL_W - 6, y + BAR_H - 2);
	dp_xhtml_escape(out, b->label, LABEL_CHARS);
	g_string_append(out, "</text>");
	if (len0 > 0)
		g_string_append_printf(out, "<rect class=\"bar\" x=\"%d\" y=\"%u\" width=\"%u\" height=\"%d\"/>",
		                       LABEL_W, y, len0, BAR_H);
	if (len1 > 0)
		g_string_append_printf(out, "<rect class=\"bar2\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%d\"/>",
		                       LABEL_W + len0, y, len1, BAR_H);
	g_string_append_printf(out, "<text x=\"%u\" y=\"%u\">%" G_GUINT64_FORMAT, LABEL_W + len0 + len1 + 6,
	                       y + BAR_H - 2, total);
	if (two)
		g_string_append_printf(out, " (%" G_GUINT64_FORMAT " + %" G_GUINT64_FORMAT ")", b->value[0],
		                       b->value[1]);
	g_string_append(out, "</text></g>\n");
}

void
dp_svg_bars(GString *out, const char *title, const DpBar *bars, guint n, const char *const *legend)
{
	gboolean two = legend != NULL;
	guint64 max = 0;
	for (guint i = 0; i < n; i++)
		max = MAX(max, bars[i].value[0] + (two ? bars[i].value[1] : 0));
	guint top = two ? 24 : 4;
	svg_open(out, title, top + n * ROW_H + 4);
	if (two)
		legend_line(out, legend);
	for (guint i = 0; i < n; i++)
		bar_row(out, &bars[i], top + i * ROW_H, max, two);
	g_string_append_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%u\" x2=\"%d\" y2=\"%u\"/>\n", LABEL_W,
	                       top - 2, LABEL_W, top + n * ROW_H);
	g_string_append(out, "</svg>\n</figure>\n");
}

enum {
	H_LEFT = 20, /* the plot area of a histogram */
	H_RIGHT = 580,
	H_TOP = 20,     /* room for the counts above the tallest column */
	H_BASE = 160,   /* the axis */
	H_HEIGHT = 200, /* bin labels and axis name below */
};

void
dp_svg_histogram(GString *out, const char *title, const char *const *labels, const guint64 *counts, guint n,
                 const char *xlabel)
{
	g_assert(n > 0);
	guint64 max = 0;
	for (guint i = 0; i < n; i++)
		max = MAX(max, counts[i]);
	guint colw = (H_RIGHT - H_LEFT) / n;
	svg_open(out, title, H_HEIGHT);
	for (guint i = 0; i < n; i++) {
		guint x = H_LEFT + i * colw;
		guint h = scale(counts[i], max, H_BASE - H_TOP);
		g_string_append(out, "<g><title>");
		dp_xhtml_escape(out, labels[i], 0);
		g_string_append_printf(out, ": %" G_GUINT64_FORMAT "</title>", counts[i]);
		if (h > 0)
			g_string_append_printf(out,
			                       "<rect class=\"bar\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\"/>",
			                       x + 2, H_BASE - h, colw - 4, h);
		g_string_append_printf(out,
		                       "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\">%" G_GUINT64_FORMAT "</text>",
		                       x + colw / 2, H_BASE - h - 4, counts[i]);
		g_string_append_printf(out, "<text x=\"%u\" y=\"%d\" text-anchor=\"middle\">", x + colw / 2,
		                       H_BASE + 14);
		dp_xhtml_escape(out, labels[i], 12);
		g_string_append(out, "</text></g>\n");
	}
	g_string_append_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", H_LEFT, H_BASE,
	                       H_RIGHT, H_BASE);
	g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (H_LEFT + H_RIGHT) / 2,
	                       H_HEIGHT - 6);
	dp_xhtml_escape(out, xlabel, 0);
	g_string_append(out, "</text>\n</svg>\n</figure>\n");
}
