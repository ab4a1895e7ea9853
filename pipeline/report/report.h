/*
 * report.h: `docpipe report`: the corpus database of a run as one
 * self-contained HTML page with charts.
 */
#ifndef DOCPIPE_REPORT_H
#define DOCPIPE_REPORT_H

#include "report/reportdb.h"

#include <glib.h>

#define DP_REPORT_FILE "report.html"

/*
 * The page for DB: every section, each one saying so when its table is
 * missing, empty or cannot be read.  ERROR is for a failure of the page
 * as a whole; none is known yet, so it always returns a page.
 */
GString *dp_report_render(DpReportDb *db, GError **error);

/*
 * Read OUTDIR/corpus.sqlite and write the page atomically to HTML
 * (NULL: OUTDIR/report.html; "-": standard output).  Errors
 * carry an exit code: DP_EXIT_NOINPUT when there is no database,
 * DP_EXIT_IOERR when it cannot be read, DP_EXIT_CANTCREAT or
 * DP_EXIT_IOERR when the page cannot be written.
 */
gboolean dp_report_write(const char *outdir, const char *html, GError **error);

#endif
