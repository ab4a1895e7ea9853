/*
 * NAME
 *	sections-docs.c - the report's sections on documents: overview,
 *	inputs, failures, OCR, redactions, FOIA exemptions
 *
 * DESCRIPTION
 *	All of them read the table documents, one row per input (part '')
 *	and per part.  Inputs are counted by their own row; failures,
 *	pages, OCR, redactions and exemptions over every row, since a part
 *	(an attachment, a message of a mailbox) fails, is read by OCR and is
 *	redacted on its own.
 *
 *	Lists held in one column ("rule.channel=N ...", "b6 b7(c)", per-page
 *	confidences) are split here and added up in sorted trees, so their
 *	order on the page is that of their names, never of a hash table.
 */
#include "report/section.h"
#include "report/svg.h"
#include "report/xhtml.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* A status that counts as failed, as dp_status_exit_code() says. */
#define FAILED "status IS NOT NULL AND status NOT IN ('', 'ok', 'unsupported', 'skipped')"

static int
cmp_str(gconstpointer a, gconstpointer b, gpointer user)
{
	return strcmp(a, b);
}

static GTree *
counter_new(void)
{
	return g_tree_new_full(cmp_str, NULL, g_free, g_free);
}

/* Add N to KEY's count in TREE (values are guint64s). */
static void
counter_add(GTree *tree, const char *key, guint64 n)
{
	guint64 *v = g_tree_lookup(tree, key);
	if (v == NULL) {
		v = g_new0(guint64, 1);
		g_tree_insert(tree, g_strdup(key), v);
	}
	*v += n;
}

static gboolean
counter_to_rows(gpointer key, gpointer value, gpointer user)
{
	char **row = g_new0(char *, 3);
	row[0] = g_strdup(key);
	row[1] = g_strdup_printf("%" G_GUINT64_FORMAT, *(guint64 *)value);
	g_ptr_array_add(user, row);
	return FALSE;
}

/* TREE as rows (name, count) in name order. */
static GPtrArray *
counter_rows(GTree *tree)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_tree_foreach(tree, counter_to_rows, rows);
	return rows;
}

/* Rows (name, count) by count, largest first, then by name. */
static gint
cmp_rows_by_count(gconstpointer a, gconstpointer b)
{
	char **ra = *(char ***)a, **rb = *(char ***)b;
	guint64 na = dp_report_num(ra[1]), nb = dp_report_num(rb[1]);
	if (na != nb)
		return na > nb ? -1 : 1;
	return strcmp(ra[0], rb[0]);
}

void
dp_report_overview(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "overview", "Overview", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) rows =
	    dp_report_query(p, "SELECT sum(part = ''), sum(part <> ''), sum(pages), sum(ocr_pages), sum(chars), "
	                       "sum(part = '' AND " FAILED ") FROM documents");
	if (rows != NULL) {
		char **r = rows->pdata[0];
		static const char *const what[] = { "inputs",
			                            "parts (attachments, members, messages)",
			                            "pages",
			                            "pages read by OCR",
			                            "characters of text",
			                            "inputs failed" };
		static const char *const headers[] = { "what", "#number", NULL };
		dp_xhtml_table_open(p->out, headers);
		for (guint i = 0; i < G_N_ELEMENTS(what); i++) {
			dp_xhtml_row_open(p->out);
			dp_xhtml_cell(p->out, what[i], 0);
			dp_xhtml_cell_num(p->out, dp_report_num(r[i]));
			dp_xhtml_row_close(p->out);
		}
		dp_xhtml_table_close(p->out);
	}
	dp_xhtml_section_close(p->out);
}

void
dp_report_inputs(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "inputs", "Inputs by type and status", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) types =
	    dp_report_query(p, "SELECT coalesce(nullif(type, ''), '(unknown)') AS t, count(*) AS n FROM documents "
	                       "WHERE part = '' GROUP BY t ORDER BY n DESC, t");
	if (types != NULL && types->len == 0)
		dp_report_note(p, "No inputs recorded.");
	if (types == NULL || types->len == 0) {
		dp_xhtml_section_close(p->out);
		return;
	}
	dp_report_chart_rows(p, "Inputs by type", types);
	g_autoptr(GPtrArray) statuses =
	    dp_report_query(p, "SELECT coalesce(nullif(status, ''), '(unknown)') AS s, count(*) AS n FROM documents "
	                       "WHERE part = '' GROUP BY s ORDER BY n DESC, s");
	if (statuses != NULL)
		dp_report_chart_rows(p, "Inputs by status", statuses);
	g_autoptr(GPtrArray) both = dp_report_query(
	    p, "SELECT coalesce(nullif(type, ''), '(unknown)') AS t, coalesce(nullif(status, ''), '(unknown)') AS s, "
	       "count(*) AS n FROM documents WHERE part = '' GROUP BY t, s ORDER BY t, s");
	static const char *const headers[] = { "type", "status", "#inputs", NULL };
	if (both != NULL)
		dp_report_table_rows(p, headers, both);
	g_autoptr(GPtrArray) parts =
	    dp_report_query(p, "SELECT coalesce(nullif(type, ''), '(unknown)') AS t, count(*) AS n FROM documents "
	                       "WHERE part <> '' GROUP BY t ORDER BY n DESC, t");
	if (parts != NULL && parts->len > 0)
		dp_report_chart_rows(p, "Parts by type", parts);
	dp_xhtml_section_close(p->out);
}

void
dp_report_failures(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "failures", "Failures and their reasons", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) by_status = dp_report_query(p, "SELECT status, count(*) AS n FROM documents WHERE " FAILED
	                                                    " GROUP BY status ORDER BY n DESC, status");
	if (by_status != NULL && by_status->len == 0)
		dp_report_note(p, "No input or part failed.");
	if (by_status == NULL || by_status->len == 0) {
		dp_xhtml_section_close(p->out);
		return;
	}
	dp_report_chart_rows(p, "Failed inputs and parts by status", by_status);
	g_autoptr(GPtrArray) reasons = dp_report_query(
	    p, "SELECT status, coalesce(nullif(error, ''), '(no reason given)') AS e, count(*) AS n FROM documents "
	       "WHERE " FAILED " GROUP BY status, e ORDER BY n DESC, status, e");
	static const char *const rh[] = { "status", "reason", "#inputs and parts", NULL };
	if (reasons != NULL)
		dp_report_table_rows(p, rh, reasons);
	g_autoptr(GPtrArray) docs = dp_report_query(p, "SELECT source, part, status, error FROM documents WHERE " FAILED
	                                               " ORDER BY source, part");
	static const char *const dh[] = { "input", "part", "status", "reason", NULL };
	if (docs != NULL)
		dp_report_table_rows(p, dh, docs);
	dp_xhtml_section_close(p->out);
}

enum { OCR_BINS = 10 };

/* Add the confidences of one row ("87.5 91 ...") to BINS; count what is not one. */
static void
add_confidences(const char *list, guint64 *bins, double *sum, guint64 *count, guint64 *bad)
{
	g_auto(GStrv) items = g_strsplit_set(list, " \t", -1);
	for (guint i = 0; items[i]; i++) {
		if (items[i][0] == '\0')
			continue;
		char *end = NULL;
		double c = g_ascii_strtod(items[i], &end);
		if (end == items[i] || *end != '\0' || !(c >= 0 && c <= 100)) {
			(*bad)++;
			continue;
		}
		bins[MIN((guint)(c / 10), OCR_BINS - 1)]++;
		*sum += c;
		(*count)++;
	}
}

void
dp_report_ocr(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "ocr", "Pages read by OCR and their confidence", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) tot =
	    dp_report_query(p, "SELECT count(*), sum(ocr_pages) FROM documents WHERE ocr_pages > 0");
	g_autoptr(GPtrArray) confs =
	    dp_report_query(p, "SELECT ocr_confidences FROM documents WHERE ocr_confidences <> '' ORDER BY doc_id");
	if (tot == NULL || confs == NULL) {
		dp_xhtml_section_close(p->out);
		return;
	}
	char **t = tot->pdata[0];
	dp_report_note(p, "%" G_GUINT64_FORMAT " pages read by OCR, in %" G_GUINT64_FORMAT " inputs and parts.",
	               dp_report_num(t[1]), dp_report_num(t[0]));
	guint64 bins[OCR_BINS] = { 0 }, count = 0, bad = 0;
	double sum = 0;
	for (guint i = 0; i < confs->len; i++)
		add_confidences(((char **)confs->pdata[i])[0], bins, &sum, &count, &bad);
	if (count == 0) {
		dp_report_note(p, "No page confidence recorded.");
		dp_xhtml_section_close(p->out);
		return;
	}
	static const char *const labels[OCR_BINS] = { "0-10",  "10-20", "20-30", "30-40", "40-50",
		                                      "50-60", "60-70", "70-80", "80-90", "90-100" };
	dp_svg_histogram(p->out, "Pages by mean OCR confidence", labels, bins, OCR_BINS,
	                 "mean word confidence of the page (0-100)");
	char mean[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(mean, sizeof mean, "%.1f", sum / (double)count);
	dp_report_note(p, "%" G_GUINT64_FORMAT " pages with a confidence; mean %s.", count, mean);
	if (bad > 0)
		dp_report_note(p, "%" G_GUINT64_FORMAT " values were not confidences from 0 to 100 and are left out.",
		               bad);
	dp_xhtml_section_close(p->out);
}

/*
 * Add one row's redactions ("RULE.CHANNEL=N ...", and "RULE=N" totals as
 * in the ledger) to CHANNELS (by "RULE\tCHANNEL") and TOTALS (by rule,
 * from undotted items only: a rule's total is never added to its
 * channels twice).
 */
static void
add_redactions(const char *list, GTree *channels, GTree *totals)
{
	g_auto(GStrv) items = g_strsplit_set(list, " \t", -1);
	for (guint i = 0; items[i]; i++) {
		char *eq = strrchr(items[i], '=');
		if (eq == NULL || eq == items[i])
			continue;
		*eq = '\0';
		guint64 n = dp_report_num(eq + 1);
		char *dot = strrchr(items[i], '.');
		if (dot == NULL || dot == items[i] || dot[1] == '\0') {
			counter_add(totals, items[i], n);
			continue;
		}
		*dot = '\t';
		counter_add(channels, items[i], n);
	}
}

/*
 * A rule given only as a total ("ssn=7", the ledger's form) joins
 * CHANNELS as the channel "(all)", unless some row gave its channels.
 */
static void
merge_totals(GTree *channels, GTree *totals)
{
	g_autoptr(GPtrArray) pairs = counter_rows(channels);
	g_autoptr(GTree) split = g_tree_new_full(cmp_str, NULL, g_free, NULL);
	for (guint i = 0; i < pairs->len; i++) {
		const char *key = ((char **)pairs->pdata[i])[0];
		g_tree_insert(split, g_strndup(key, strcspn(key, "\t")), split);
	}
	g_autoptr(GPtrArray) only = counter_rows(totals);
	for (guint i = 0; i < only->len; i++) {
		char **r = only->pdata[i];
		if (g_tree_lookup(split, r[0]) != NULL)
			continue;
		g_autofree char *key = g_strconcat(r[0], "\t(all)", NULL);
		counter_add(channels, key, dp_report_num(r[1]));
	}
}

/* CHANNELS ("RULE\tCHANNEL", N) as rows (rule, channel, N), in name order. */
static GPtrArray *
channel_rows(GTree *channels)
{
	g_autoptr(GPtrArray) pairs = counter_rows(channels);
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (guint i = 0; i < pairs->len; i++) {
		char **r = pairs->pdata[i];
		const char *tab = strchr(r[0], '\t');
		char **row = g_new0(char *, 4);
		row[0] = g_strndup(r[0], tab ? (gsize)(tab - r[0]) : strlen(r[0]));
		row[1] = g_strdup(tab ? tab + 1 : "");
		row[2] = g_strdup(r[1]);
		g_ptr_array_add(rows, row);
	}
	return rows;
}

/* Rows (rule, N) of the channel rows, the most redacted rule first. */
static GPtrArray *
rule_totals(GPtrArray *rows)
{
	g_autoptr(GTree) sums = counter_new();
	for (guint i = 0; i < rows->len; i++) {
		char **r = rows->pdata[i];
		counter_add(sums, r[0], dp_report_num(r[2]));
	}
	GPtrArray *by_rule = counter_rows(sums);
	g_ptr_array_sort(by_rule, cmp_rows_by_count);
	return by_rule;
}

void
dp_report_redactions(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "redactions", "Redactions by rule and channel", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) rows =
	    dp_report_query(p, "SELECT redactions FROM documents WHERE redactions <> '' ORDER BY doc_id");
	if (rows == NULL) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GTree) channels = counter_new();
	g_autoptr(GTree) totals = counter_new();
	for (guint i = 0; i < rows->len; i++)
		add_redactions(((char **)rows->pdata[i])[0], channels, totals);
	merge_totals(channels, totals);
	g_autoptr(GPtrArray) table = channel_rows(channels);
	if (table->len == 0) {
		dp_report_note(p, "Nothing was redacted.");
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) by_rule = rule_totals(table);
	dp_report_chart_rows(p, "Redactions by rule", by_rule);
	static const char *const headers[] = { "rule", "channel", "#redactions", NULL };
	dp_report_table_rows(p, headers, table);
	dp_xhtml_section_close(p->out);
}

/* Count each code of LIST once into CODES. */
static void
add_exemptions(const char *list, GTree *codes)
{
	g_auto(GStrv) items = g_strsplit_set(list, " \t,", -1);
	g_autoptr(GTree) seen = g_tree_new_full(cmp_str, NULL, NULL, NULL);
	for (guint i = 0; items[i]; i++) {
		if (items[i][0] == '\0' || g_tree_lookup(seen, items[i]) != NULL)
			continue;
		g_tree_insert(seen, items[i], items[i]);
		counter_add(codes, items[i], 1);
	}
}

void
dp_report_exemptions(DpReportPage *p)
{
	dp_xhtml_section_open(p->out, "exemptions", "FOIA exemptions by code", FALSE);
	if (!dp_report_need_table(p, "documents")) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GPtrArray) rows =
	    dp_report_query(p, "SELECT exemptions FROM documents WHERE exemptions <> '' ORDER BY doc_id");
	if (rows == NULL) {
		dp_xhtml_section_close(p->out);
		return;
	}
	g_autoptr(GTree) codes = counter_new();
	for (guint i = 0; i < rows->len; i++)
		add_exemptions(((char **)rows->pdata[i])[0], codes);
	g_autoptr(GPtrArray) by_code = counter_rows(codes);
	if (by_code->len == 0)
		dp_report_note(p, "No FOIA exemption code found.");
	else
		dp_report_chart_rows(p, "Documents citing each FOIA exemption", by_code);
	dp_xhtml_section_close(p->out);
}
