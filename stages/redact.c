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
 *	breaks), which no built-in rule or term matches across, so the
 *	result is the same as for the whole text at once.  A [rule] pattern
 *	that may match a line feed (\s, \n, [^...], an option setting; see
 *	pattern.c) may match across one: then the text is read whole.
 *
 * ENVIRONMENT
 *	DOCPIPE_REDACT_TEXT_BLOCK, a test knob: the block size in bytes
 *	(default 256 KB) past which --text cuts at the last blank line.
 *	DOCPIPE_REDACT_NO_COVER, a test knob: set, the phone detector parses
 *	every region, even one inside a number another rule found (the
 *	output is the same; tests/t3093-redact-covered.sh compares).
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

/*
 * --text redacts in blocks of about this size, cut at the last blank line
 * past it.  256 KB rather than megabytes: the block, its view and its
 * output stay in the caches (README, Benchmark, has the figures).
 * DOCPIPE_REDACT_TEXT_BLOCK (bytes) overrides it; it is a test knob, for
 * t3090, which cuts a text at every blank line and compares the result
 * with the whole text's.
 */
#define TEXT_BLOCK (256u << 10)
#define TEXT_READ 65536u

static gsize
text_block_size(void)
{
	const char *env = g_getenv("DOCPIPE_REDACT_TEXT_BLOCK");
	guint64 v = 0;
	if (env != NULL && g_ascii_string_to_unsigned(env, 10, 1, G_MAXSIZE / 4, &v, NULL))
		return (gsize)v;
	return TEXT_BLOCK;
}

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

/*
 * The end of the last paragraph break ("\n\n") in S[FROM - 1, LEN), or 0.
 * Only the bytes just read are looked at, so a text without blank lines
 * costs one look per byte, not one per byte per read.
 */
static gsize
last_break(const char *s, gsize from, gsize len)
{
	for (gsize i = len; i-- > MAX(from, 1);)
		if (s[i] == '\n' && s[i - 1] == '\n')
			return i + 1;
	return 0;
}

/* --text: plain text in, redacted text out, in blocks cut at blank lines. */
static gboolean
redact_text(DpRedactor *rd, GError **error)
{
	/* A rule that may match across a blank line: the whole text at once. */
	gsize block = rd && dp_redactor_spans_paragraphs(rd) ? G_MAXSIZE : text_block_size();
	gsize step = MIN(block, TEXT_READ);
	g_autoptr(GString) buf = g_string_sized_new(MIN(block, (gsize)TEXT_BLOCK) + step);
	gsize cut = 0;
	for (;;) {
		gsize old = buf->len;
		g_string_set_size(buf, old + step);
		ssize_t n = read(0, buf->str + old, step);
		g_string_truncate(buf, old + (n > 0 ? (gsize)n : 0));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot read '<stdin>': %s", g_strerror(errno));
			return FALSE;
		}
		if (n == 0)
			break;
		gsize b = last_break(buf->str, old, buf->len);
		if (b != 0)
			cut = b;
		/* Past the block size, up to the last paragraph break; without one, keep reading. */
		if (buf->len < block || cut == 0)
			continue;
		if (!text_flush(rd, buf->str, cut, error))
			return FALSE;
		g_string_erase(buf, 0, (gssize)cut);
		cut = 0;
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
