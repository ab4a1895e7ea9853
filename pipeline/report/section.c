/*
 * NAME
 *	section.c - what the report's sections share
 *
 * DESCRIPTION
 *	A section never fails the report: a table that is missing, or a
 *	query the database cannot answer (a column of another schema), turns
 *	into a sentence on the page saying so, and the other sections go on.
 *	Charts and tables are made from query rows in the order the query
 *	gave, so each query's ORDER BY decides what the page looks like.
 */
#include "report/section.h"
#include "report/svg.h"
#include "report/xhtml.h"

#include <stdarg.h>

#include "util/banned.h"

void
dp_report_note(DpReportPage *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	dp_xhtml_note(p->out, text);
}

GPtrArray *
dp_report_query(DpReportPage *p, const char *sql)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *rows = dp_reportdb_rows(p->db, sql, &error);
	if (rows == NULL)
		dp_report_note(p, "This part of the database cannot be read: %s.", error->message);
	return rows;
}

gboolean
dp_report_need_table(DpReportPage *p, const char *table)
{
	if (dp_reportdb_has_table(p->db, table))
		return TRUE;
	dp_report_note(p, "The database has no table %s: nothing to show.", table);
	return FALSE;
}

guint64
dp_report_num(const char *s)
{
	gint64 v = g_ascii_strtoll(s ? s : "", NULL, 10);
	return v > 0 ? (guint64)v : 0;
}

void
dp_report_chart_rows(DpReportPage *p, const char *title, GPtrArray *rows)
{
	guint n = MIN(rows->len, DP_REPORT_BARS);
	g_autofree DpBar *bars = g_new0(DpBar, n + 1);
	for (guint i = 0; i < n; i++) {
		char **row = rows->pdata[i];
		bars[i].label = row[0];
		bars[i].value[0] = dp_report_num(row[1]);
	}
	g_autofree char *others = NULL;
	if (rows->len > n) {
		others = g_strdup_printf("(%u others)", rows->len - n);
		bars[n].label = others;
		for (guint i = n; i < rows->len; i++)
			bars[n].value[0] += dp_report_num(((char **)rows->pdata[i])[1]);
		n++;
	}
	dp_svg_bars(p->out, title, bars, n, NULL);
}

void
dp_report_table_rows(DpReportPage *p, const char *const *headers, GPtrArray *rows)
{
	guint n = MIN(rows->len, DP_REPORT_ROWS);
	dp_xhtml_table_open(p->out, headers);
	for (guint i = 0; i < n; i++) {
		char **row = rows->pdata[i];
		dp_xhtml_row_open(p->out);
		for (guint k = 0; headers[k] && row[k]; k++) {
			if (headers[k][0] == '#')
				dp_xhtml_cell_num(p->out, dp_report_num(row[k]));
			else
				dp_xhtml_cell(p->out, row[k], DP_REPORT_CELL_CHARS);
		}
		dp_xhtml_row_close(p->out);
	}
	dp_xhtml_table_close(p->out);
	if (rows->len > n)
		dp_report_note(p, "%u more rows not shown.", rows->len - n);
}
