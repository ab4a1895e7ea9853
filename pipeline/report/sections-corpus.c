/*
 * NAME
 *	sections-corpus.c - the report's sections across documents: messages
 *	per month, the largest duplicate groups and threads
 *
 * DESCRIPTION
 *	They read the tables messages, dup_groups (with dup_members and
 *	documents when present) and threads.  A table another version does
 *	not have is left out of the query rather than failing it, so the
 *	duplicate groups show even without their members.
 */
#include "report/section.h"
#include "report/svg.h"
#include "report/xhtml.h"

#include "util/banned.h"

/* A month ("2014-03") of a date that starts with one, else "(no date)". */
#define MONTH_OF(len)                                                                                                  \
	"CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(date, 1, " #len ") "                       \
	"ELSE '(no date)' END"

/* Beyond this many months, messages are counted per year. */
enum { MAX_MONTHS = 36 };

void
dp_report_messages(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "messages", "Messages per month", FALSE);
	if (!dp_report_need_table(p, "messages")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	/* Undated messages last: "(" would sort before the digits. */
	g_autoptr(GPtrArray) rows = dp_report_query(
	    p, "SELECT " MONTH_OF(7) " AS m, sum(kind IS NOT 'printed'), sum(kind IS 'printed') FROM messages "
	                             "GROUP BY m ORDER BY m = '(no date)', m");
	gboolean years = rows != NULL && rows->len > MAX_MONTHS;
	if (years) {
		g_ptr_array_unref(rows);
		rows = dp_report_query(
		    p, "SELECT " MONTH_OF(4) " AS m, sum(kind IS NOT 'printed'), sum(kind IS 'printed') FROM messages "
		                             "GROUP BY m ORDER BY m = '(no date)', m");
	}
	if (rows != NULL && rows->len == 0)
		dp_report_note(p, "No messages recorded.");
	if (rows == NULL || rows->len == 0) {
		dp_xhtml_section_close(p->out);
		return;
	}
	if (years)
		dp_report_note(p, "Over %d months: counted per year.", MAX_MONTHS);
	g_autofree DpBar *bars = g_new0(DpBar, rows->len);
	for (guint i = 0; i < rows->len; i++) {
		char **r = rows->pdata[i];
		bars[i].label = r[0];
		bars[i].value[0] = dp_report_num(r[1]);
		bars[i].value[1] = dp_report_num(r[2]);
	}
	static const char *const legend[] = { "e-mail", "printed" };
	dp_svg_bars(p->out, years ? "Messages per year" : "Messages per month", bars, rows->len, legend);
	dp_xhtml_section_close(p->out);
}

/* Format the similarity column (4) of ROWS as "0.950". */
static void
format_similarity(GPtrArray *rows)
{
	for (guint i = 0; i < rows->len; i++) {
		char **r = rows->pdata[i];
		if (r[3][0] == '\0')
			continue;
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		g_ascii_formatd(buf, sizeof buf, "%.3f", g_ascii_strtod(r[3], NULL));
		g_free(r[3]);
		r[3] = g_strdup(buf);
	}
}

/* Rows (label, count) for a chart of the first rows of ROWS: "group ID (KIND)", members. */
static GPtrArray *
group_bars(GPtrArray *rows)
{
	GPtrArray *bars = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (guint i = 0; i < MIN(rows->len, DP_REPORT_BARS); i++) {
		char **r = rows->pdata[i];
		char **b = g_new0(char *, 3);
		b[0] = g_strdup_printf("group %s (%s)", r[0], r[1]);
		b[1] = g_strdup(r[2]);
		g_ptr_array_add(bars, b);
	}
	return bars;
}

void
dp_report_duplicates(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "duplicates", "The largest duplicate groups", FALSE);
	if (!dp_report_need_table(p, "dup_groups")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) kinds = dp_report_query(
	    p, "SELECT coalesce(kind, ''), count(*), sum(members) FROM dup_groups GROUP BY kind ORDER BY kind");
	if (kinds != NULL && kinds->len == 0)
		dp_report_note(p, "No duplicate groups.");
	if (kinds == NULL || kinds->len == 0) {
		dp_xhtml_section_close(p->out);
		return;
	}
	static const char *const kh[] = { "kind", "#groups", "#documents in them", NULL };
	dp_report_table_rows(p, kh, kinds);
	gboolean members = dp_reportdb_has_table(p->db, "dup_members");
	gboolean docs = dp_reportdb_has_table(p->db, "documents");
	g_autofree char *sql = g_strdup_printf(
	    "SELECT g.group_id, g.kind, g.members, %s, %s FROM dup_groups g %s "
	    "ORDER BY g.members DESC, g.group_id LIMIT %d",
	    members ? "(SELECT min(m.similarity) FROM dup_members m WHERE m.group_id = g.group_id)" : "NULL",
	    docs ? "d.source, d.part" : "NULL, NULL",
	    docs ? "LEFT JOIN documents d ON d.doc_id = g.representative" : "", DP_REPORT_ROWS);
	g_autoptr(GPtrArray) top = dp_report_query(p, sql);
	if (top == NULL) {
		dp_xhtml_section_close(p->out);
		return;
	}
	format_similarity(top);
	g_autoptr(GPtrArray) bars = group_bars(top);
	dp_report_chart_rows(p, "Documents in the largest duplicate groups", bars);
	static const char *const th[] = { "#group",         "kind", "#members", "lowest similarity",
		                          "representative", "part", NULL };
	dp_report_table_rows(p, th, top);
	guint64 groups = 0;
	for (guint i = 0; i < kinds->len; i++)
		groups += dp_report_num(((char **)kinds->pdata[i])[1]);
	if (groups > top->len)
		dp_report_note(p, "%" G_GUINT64_FORMAT " more groups not shown.", groups - top->len);
	dp_xhtml_section_close(p->out);
}

void
dp_report_threads(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "threads", "The largest threads", TRUE);
	if (!dp_report_need_table(p, "threads")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) sum = dp_report_query(p, "SELECT count(*), sum(messages), max(depth) FROM threads");
	if (sum != NULL && dp_report_num(((char **)sum->pdata[0])[0]) == 0)
		dp_report_note(p, "No threads.");
	if (sum == NULL || dp_report_num(((char **)sum->pdata[0])[0]) == 0) {
		dp_xhtml_section_close(p->out);
		return;
	}
	char **s = sum->pdata[0];
	dp_report_note(p,
	               "%" G_GUINT64_FORMAT " threads of %" G_GUINT64_FORMAT
	               " messages; the deepest is %" G_GUINT64_FORMAT " replies deep.",
	               dp_report_num(s[0]), dp_report_num(s[1]), dp_report_num(s[2]));
	g_autofree char *sql = g_strdup_printf(
	    "SELECT coalesce(nullif(subject, ''), '(no subject)'), messages, thread_id, depth, participants, "
	    "first_date, last_date FROM threads ORDER BY messages DESC, thread_id LIMIT %d",
	    DP_REPORT_ROWS);
	g_autoptr(GPtrArray) top = dp_report_query(p, sql);
	if (top == NULL) {
		dp_xhtml_section_close(p->out);
		return;
	}
	/* The chart shows the largest only, with no bar for the rest of the table. */
	g_autoptr(GPtrArray) largest = g_ptr_array_new();
	for (guint i = 0; i < MIN(top->len, DP_REPORT_BARS); i++)
		g_ptr_array_add(largest, top->pdata[i]);
	dp_report_chart_rows(p, "Messages in the largest threads", largest);
	static const char *const th[] = { "subject",      "#messages", "#thread", "#depth",
		                          "participants", "first",     "last",    NULL };
	dp_report_table_rows(p, th, top);
	if (dp_report_num(s[0]) > top->len)
		dp_report_note(p, "%" G_GUINT64_FORMAT " more threads not shown.", dp_report_num(s[0]) - top->len);
	dp_xhtml_section_close(p->out);
}
