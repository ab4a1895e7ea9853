/*
 * NAME
 *	cmd-report.c - `docpipe report`: a run's corpus as one HTML page
 *
 * SYNOPSIS
 *	docpipe report [-o FILE] OUT
 *
 * DESCRIPTION
 *	Reads OUT/corpus.sqlite, the corpus database `docpipe run` fills,
 *	and writes OUT/report.html (or FILE; "-" is standard output): one
 *	self-contained page with inputs by type and status, failures and
 *	their reasons, OCR'd pages and their confidence, redactions by rule
 *	and channel, FOIA exemptions by code, messages per month, and the
 *	largest duplicate groups and threads, charts drawn as inline SVG
 *	(report/report.c).  A missing or empty table gives a section that
 *	says so.  The same database gives the same bytes.
 *
 * SECURITY
 *	Reads only the corpus database (values stored redacted), read-only;
 *	never the ledger and its real paths.  Every value is HTML-escaped.
 *
 * EXIT STATUS
 *	0 written; 64 usage; 66 OUT has no corpus.sqlite; 74 it cannot be
 *	read, or the page cannot be written; 73 the page cannot be created.
 */
#include "cmd/cmd.h"
#include "cmd/options.h"
#include "report/report.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include "util/banned.h"

int
dp_cmd_report(int argc, char **argv)
{
	g_autofree char *opt_output = NULL;
	const GOptionEntry options[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
		  "Write the page to FILE instead of OUT/report.html ('-': standard output)", "FILE" },
		G_OPTION_ENTRY_NULL,
	};
	if (!dp_cmd_parse("report", "OUT - write OUT/report.html from OUT/corpus.sqlite",
	                  "One self-contained HTML page (inline SVG charts, no scripts, nothing\n"
	                  "fetched) of what the corpus database of the run in OUT holds.\n"
	                  "Exit status: 0 written, 64 usage, 66 no OUT/corpus.sqlite,\n"
	                  "73 the page cannot be created, 74 read or write error.",
	                  options, &argc, &argv))
		return DP_EXIT_USAGE;
	if (argc != 2)
		return dp_cmd_usage("report", "expected one OUT");
	g_autoptr(GError) error = NULL;
	if (!dp_report_write(argv[1], opt_output, &error)) {
		dp_warn("%s", error->message);
		return error->domain == DP_ERROR ? error->code : DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}
