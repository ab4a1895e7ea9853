/*
 * section.h: what the sections of the report share (report/ only): the
 * page being written, queries that turn a failure into a note on the
 * page, and charts and tables made from query rows.
 */
#ifndef DOCPIPE_SECTION_H
#define DOCPIPE_SECTION_H

#include "report/reportdb.h"

#include <glib.h>

typedef struct {
	DpReportDb *db;
	GString *out;
} DpReportPage;

/* The most bars a chart shows; the rest are summed into one last bar. */
#define DP_REPORT_BARS 15
/* The most rows a table lists; a note says how many more there are. */
#define DP_REPORT_ROWS 30
/* Cells are cut after this many characters (a file name can be any size). */
#define DP_REPORT_CELL_CHARS 120

/* The rows of SQL; NULL after a note on the page saying why not. */
GPtrArray *dp_report_query(DpReportPage *p, const char *sql);
/* TRUE when TABLE exists; otherwise a note says it is missing. */
gboolean dp_report_need_table(DpReportPage *p, const char *table);
/* A count as the database gives it ("" and negative are 0). */
guint64 dp_report_num(const char *s);
/* A note built from a format. */
void dp_report_note(DpReportPage *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * A bar chart of ROWS: column 0 the label, column 1 the count, in the
 * rows' order; past DP_REPORT_BARS, one bar "(N others)" sums the rest.
 */
void dp_report_chart_rows(DpReportPage *p, const char *title, GPtrArray *rows);

/*
 * A table of at most DP_REPORT_ROWS of ROWS under HEADERS (as for
 * dp_xhtml_table_open: '#' marks a numeric column), then a note with the
 * number of rows left out.
 */
void dp_report_table_rows(DpReportPage *p, const char *const *headers, GPtrArray *rows);

/* The sections, in the order of the page (sections-docs.c, sections-corpus.c). */
void dp_report_overview(DpReportPage *p);
void dp_report_inputs(DpReportPage *p);
void dp_report_failures(DpReportPage *p);
void dp_report_ocr(DpReportPage *p);
void dp_report_redactions(DpReportPage *p);
void dp_report_exemptions(DpReportPage *p);
void dp_report_messages(DpReportPage *p);
void dp_report_duplicates(DpReportPage *p);
void dp_report_threads(DpReportPage *p);

#endif
