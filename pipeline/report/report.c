/*
 * NAME
 *	report.c - `docpipe report`: the corpus database as one HTML page
 *
 * DESCRIPTION
 *	Reads OUT/corpus.sqlite (filled by `docpipe run`) and writes
 *	OUT/report.html: an overview, inputs by type and status, failures
 *	and their reasons, OCR'd pages and their confidence, redactions by
 *	rule and channel, FOIA exemptions by code, messages per month, and
 *	the largest duplicate groups and threads, in that order.
 *
 *	The page is self-contained (its style inline, its charts inline SVG
 *	drawn by svg.c, no script, nothing fetched) and the same database
 *	always gives the same bytes: no date, host name or path is written,
 *	and every list is in an order its query fixes.
 *
 * SECURITY
 *	Only the corpus database is read, whose values `docpipe run` stored
 *	redacted; the ledger, which keeps the real input paths, is never
 *	opened.  Values are escaped by xhtml.c.  The page is written to a
 *	temporary file and renamed into place.
 */
#include "report/report.h"
#include "core/emit.h"
#include "report/section.h"
#include "report/xhtml.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <stdio.h>

#include "util/banned.h"

/* Sections in page order: id (for the links) and link text, and the function; one a line. */
/* clang-format off */
static const struct {
	const char *id;
	const char *name;
	void (*draw)(DpReportPage *p);
} sections[] = {
	{ "overview", "Overview", dp_report_overview },
	{ "inputs", "Inputs", dp_report_inputs },
	{ "failures", "Failures", dp_report_failures },
	{ "ocr", "OCR", dp_report_ocr },
	{ "redactions", "Redactions", dp_report_redactions },
	{ "exemptions", "FOIA exemptions", dp_report_exemptions },
	{ "messages", "Messages", dp_report_messages },
	{ "duplicates", "Duplicates", dp_report_duplicates },
	{ "threads", "Threads", dp_report_threads },
};
/* clang-format on */

/* The title, what the page is made from, and links to the sections. */
static void
page_header(DpReportPage *p)
{
	g_string_append(p->out, "<header>\n<h1>docpipe report</h1>\n");
	g_string_append_printf(p->out,
	                       "<p>Made from the run's " DP_REPORT_DB_FILE " (schema version %d). "
	                       "Names, subjects and errors are shown as the run redacted them.</p>\n",
	                       dp_reportdb_version(p->db));
	g_string_append(p->out, "<nav>");
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++)
		g_string_append_printf(p->out, "<a href=\"#%s\">%s</a>", sections[i].id, sections[i].name);
	g_string_append(p->out, "</nav>\n</header>\n");
}

GString *
dp_report_render(DpReportDb *db, GError **error)
{
	DpReportPage p = { db, g_string_new(NULL) };
	dp_xhtml_page_open(p.out, "docpipe report");
	page_header(&p);
	g_string_append(p.out, "<main>\n");
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++)
		sections[i].draw(&p);
	g_string_append(p.out, "</main>\n");
	dp_xhtml_page_close(p.out);
	return p.out;
}

gboolean
dp_report_write(const char *outdir, const char *html, GError **error)
{
	g_autofree char *dbpath = g_build_filename(outdir, DP_REPORT_DB_FILE, NULL);
	g_autoptr(DpReportDb) db = dp_reportdb_open(dbpath, error);
	if (db == NULL)
		return FALSE;
	g_autoptr(GString) page = dp_report_render(db, error);
	if (page == NULL)
		return FALSE;
	if (html != NULL && g_str_equal(html, "-")) {
		fwrite(page->str, 1, page->len, stdout);
		return dp_close_stream(stdout, "<stdout>", error);
	}
	g_autofree char *path = g_build_filename(outdir, DP_REPORT_FILE, NULL);
	return dp_write_atomic(html ? html : path, page->str, page->len, error);
}
