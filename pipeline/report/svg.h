/*
 * svg.h: the report's charts, drawn as inline SVG by our own code.
 */
#ifndef DOCPIPE_SVG_H
#define DOCPIPE_SVG_H

#include <glib.h>

/* One bar: its label (escaped when drawn) and one or two stacked values. */
typedef struct {
	const char *label;
	guint64 value[2];
} DpBar;

/*
 * A horizontal bar chart titled TITLE: one row per bar of BARS (N of
 * them), the label on the left, the bar, its number on the right.  With
 * LEGEND (two names), each bar is two stacked segments, value[0] solid and
 * value[1] outlined, and a legend line says which is which; with NULL,
 * only value[0] is drawn.
 */
void dp_svg_bars(GString *out, const char *title, const DpBar *bars, guint n, const char *const *legend);

/*
 * A histogram titled TITLE: one column per bin, COUNTS[i] written above
 * it and LABELS[i] below; XLABEL names the axis.
 */
void dp_svg_histogram(GString *out, const char *title, const char *const *labels, const guint64 *counts, guint n,
                      const char *xlabel);

#endif
