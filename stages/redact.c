/*
 * NAME
 *	docpipe-redact - remove personal data from extracted records
 *
 * SYNOPSIS
 *	docpipe-redact [-c CONFIG] [--no-redact] [--text]
 *
 * DESCRIPTION
 *	Reads records on standard input and writes them to standard output
 *	with the configured rules applied to the body, every meta.* value,
 *	the path inside the container and the error message.  Each record
 *	gains "redacted: RULE FIELD COUNT OFF+LEN..." lines saying what was
 *	replaced where (offsets into the new text), never the original.
 *
 *	With --text, reads plain UTF-8 text instead of records and writes it
 *	redacted, streaming: the text is cut only at blank lines (paragraph
 *	breaks), which no rule matches across, so the result is the same as
 *	for the whole text at once.
 *
 * SECURITY
 *	Never writes a matched value anywhere: not to stderr, not to the
 *	records.
 *
 * EXIT STATUS
 *	0 ok; 76 bad input record stream; 78 configuration error (a bad
 *	rule); 74 write error.  See docpipe(1).
 */
#include "core/config.h"
#include "core/record.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <errno.h>
#include <unistd.h>
#include <stdio.h>

#include "util/banned.h"

static char *opt_config;
static gboolean opt_no_redact;
static gboolean opt_text;

static const GOptionEntry options[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
	{ "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact, "Pass records through unchanged", NULL },
	{ "text", 0, 0, G_OPTION_ARG_NONE, &opt_text, "Read plain text, write it redacted (no records)", NULL },
	G_OPTION_ENTRY_NULL
};

#define TEXT_BLOCK (4u << 20)

/* Redact BUF[0, N) and write it. */
static gboolean
text_flush(DpRedactor *rd, const char *buf, gsize n, GError **error)
{
	g_autoptr(GString) out = dp_redactor_apply(rd, buf, n, NULL);
	if (fwrite(out->str, 1, out->len, stdout) != out->len) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write '<stdout>': %s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* --text: plain text in, redacted text out, in blocks cut at blank lines. */
static gboolean
redact_text(DpRedactor *rd, GError **error)
{
	g_autoptr(GString) buf = g_string_sized_new(TEXT_BLOCK + 65536);
	char chunk[65536];
	for (;;) {
		ssize_t n = read(0, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot read '<stdin>': %s", g_strerror(errno));
			return FALSE;
		}
		if (n == 0)
			break;
		g_string_append_len(buf, chunk, n);
		if (buf->len < TEXT_BLOCK)
			continue;
		/* The last paragraph break; without one, keep reading. */
		gsize cut = 0;
		for (gsize i = buf->len - 1; i > 0; i--)
			if (buf->str[i] == '\n' && buf->str[i - 1] == '\n') {
				cut = i + 1;
				break;
			}
		if (cut == 0)
			continue;
		if (!text_flush(rd, buf->str, cut, error))
			return FALSE;
		g_string_erase(buf, 0, (gssize)cut);
	}
	return text_flush(rd, buf->str, buf->len, error);
}

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
	if (opt_text) {
		if (!redact_text(rd, &error) || !dp_close_stream(stdout, "<stdout>", &error)) {
			dp_warn("%s", error->message);
			return error->code;
		}
		return DP_EXIT_OK;
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
