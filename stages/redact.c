/*
 * NAME
 *	docpipe-redact - remove personal data from extracted records
 *
 * SYNOPSIS
 *	docpipe-redact [-c CONFIG] [--no-redact]
 *
 * DESCRIPTION
 *	Reads records on standard input and writes them to standard output
 *	with the configured rules applied to the body, every meta.* value,
 *	the path inside the container and the error message.  Each record
 *	gains "redacted: RULE FIELD COUNT OFF+LEN..." lines saying what was
 *	replaced where (offsets into the new text), never the original.
 *
 * SECURITY
 *	Never writes a matched value anywhere: not to stderr, not to the
 *	records.
 *
 * EXIT STATUS
 *	0 ok; 76 bad input record stream; 78 configuration error (a bad
 *	rule); 74 write error.  See docpipe(1).
 */
#include "docpipe.h"

static char *opt_config;
static gboolean opt_no_redact;

static const GOptionEntry options[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
	{ "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact, "Pass records through unchanged", NULL },
	{ NULL }
};

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	dp_set_prgname(argv[0]);
	g_autoptr(GOptionContext) octx = g_option_context_new("- redact personal data in a record stream");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "Reads records on standard input, writes them redacted to standard output.\n"
					       "Exit status: 0 ok, 76 bad record stream, 78 configuration error, 74 write error.\n"
					       "See docpipe-redact(1).");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	if (argc > 1) {
		dp_warn("unexpected argument '%s'; records are read from standard input", argv[1]);
		return DP_EXIT_USAGE;
	}
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	if (cfg == NULL || (opt_no_redact && !dp_config_set(cfg, "redact", "enabled", "false", &error))) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	g_autoptr(DpRedactor) rd = dp_redactor_new(cfg, &error);
	if (rd == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	g_autoptr(DpReader) reader = dp_reader_new(0, "<stdin>");
	for (;;) {
		g_autoptr(DpRecord) rec = NULL;
		if (!dp_reader_next(reader, &rec, &error)) {
			dp_warn("%s", error->message);
			return error->code;
		}
		if (rec == NULL)
			break;
		dp_redact_record(rd, rec);
		if (!dp_record_write(rec, stdout, &error))
			break;
	}
	if (error == NULL)
		dp_close_stream(stdout, "<stdout>", &error);
	if (error != NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}
