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
#include "chain/stage.h"
#include "core/config.h"
#include "core/record.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include <errno.h>
#include <unistd.h>
#include <stdio.h>

#include "util/banned.h"

static DpStage stage;
static gboolean opt_text;

static const DpStageSpec spec = {
	"- redact personal data in a record stream",
	(const GOptionEntry[]){
	    DP_STAGE_OPTION_CONFIG(&stage),
	    DP_STAGE_OPTION_NO_REDACT(&stage, "Pass records through unchanged"),
	    { "text", 0, 0, G_OPTION_ARG_NONE, &opt_text, "Read plain text, write it redacted (no records)", NULL },
	    G_OPTION_ENTRY_NULL },
	"Reads records on standard input, writes them redacted to standard output.\n"
	"Exit status: 0 ok, 76 bad record stream, 78 configuration error, 74 write error.\n"
	"See docpipe-redact(1).",
	DP_STAGE_RECORDS_ONLY,
};

#define TEXT_BLOCK (4u << 20)

/* Redact BUF[0, N) and write it; without RD (--no-redact), as it is. */
static gboolean
text_flush(DpRedactor *rd, const char *buf, gsize n, GError **error)
{
	g_autoptr(GString) out = rd ? dp_redactor_apply(rd, buf, n, NULL) : g_string_new_len(buf, (gssize)n);
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

/* One record: redacted (unless --no-redact), then written. */
static gboolean
redact_record(DpRecord *rec, gpointer user, GError **error)
{
	DpRedactor *rd = user;
	if (rd != NULL)
		dp_redact_record(rd, rec);
	return dp_record_write(rec, stdout, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(DpConfig) cfg = NULL;
	g_autoptr(DpRedactor) rd = NULL;
	int code = dp_stage_start(&stage, &spec, &cfg, &rd, &argc, &argv);
	if (code != DP_EXIT_OK)
		return code;
	g_autoptr(GError) error = NULL;
	if (opt_text) {
		gboolean ok = redact_text(rd, &error);
		return dp_stage_finish(ok, &error, 0, DP_EXIT_OK);
	}
	gboolean ok = dp_stage_each_record(redact_record, rd, &code, &error);
	return code != 0 ? code : dp_stage_finish(ok, &error, DP_EXIT_IOERR, DP_EXIT_OK);
}
