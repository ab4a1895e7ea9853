/*
 * NAME
 *	docpipe-extract - text and metadata out of documents
 *
 * SYNOPSIS
 *	docpipe-extract [-c CONFIG] [--password PW]... [-f N] [-l N] [PATH...]
 *
 * DESCRIPTION
 *	Reads detect records on standard input (or identifies the PATHs
 *	given itself) and writes one record per document and per part:
 *	text in the body, normalized; metadata as meta.* fields; status and
 *	error for what could not be read.  Containers yield their parts as
 *	further records, parents first, linked by id and parent.  An unknown
 *	type is a record with status "unsupported", not a failure.
 *
 *	PDF: pages are separated by form feeds in the body; -f and -l
 *	limit the pages read, like pdftotext's options (same as [pdf]
 *	first-page and last-page).  Passwords from -p are tried in order,
 *	then [pdf] passwords.
 *
 * SECURITY
 *	Parses untrusted bytes, each input in a forked child under a seccomp
 *	filter and resource limits ([sandbox] and [limits]; README "Security").
 *	No network access, no external entities; depth, count and size limits
 *	from [limits] in the configuration.
 *
 * EXIT STATUS
 *	0 ok; 65 some document was malformed; 66 an input could not be
 *	read; 76 bad input record stream; 77 encrypted, no working password;
 *	78 configuration error; 74 write error.  See docpipe(1).
 */
#include "chain/chain.h"
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "sandbox/isolate.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <unistd.h>
#include <stdio.h>

#include "util/banned.h"

static char *opt_config;
static char **opt_passwords;
static char *opt_first_page;
static char *opt_last_page;

static const GOptionEntry options[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
	{ "password", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_passwords, "Try PW on encrypted documents (repeatable)",
	  "PW" },
	{ "first-page", 'f', 0, G_OPTION_ARG_STRING, &opt_first_page, "PDF: start at page N ([pdf] first-page)", "N" },
	{ "last-page", 'l', 0, G_OPTION_ARG_STRING, &opt_last_page, "PDF: stop after page N ([pdf] last-page)", "N" },
	G_OPTION_ENTRY_NULL
};

typedef struct {
	int code;
	DpIsolateOpts iso; /* the sandboxed child per input (isolate.h) */
} State;

static gboolean
write_record(DpRecord *rec, gpointer user, GError **error)
{
	State *st = user;
	st->code = dp_exit_merge(st->code, dp_status_exit_code(dp_record_get(rec, DP_F_STATUS)));
	return dp_record_write(rec, stdout, error);
}

/* Extract the document a detect record describes. */
static gboolean
extract_one(DpExtractCtx *ctx, DpRecord *in, GBytes *data, State *st, GError **error)
{
	g_autoptr(GBytes) owned = NULL;
	const char *source = dp_record_get(in, DP_F_SOURCE);
	if (data == NULL && dp_record_get(in, DP_F_STATUS) != NULL)
		return write_record(in, st, error); /* already settled by detect */
	const char *type = dp_record_get(in, DP_F_TYPE);
	if (data == NULL && type != NULL && g_str_equal(type, DP_TYPE_MAILDIR)) {
		/* A maildir is a directory: its extractor reads it from the source path. */
		owned = g_bytes_new(NULL, 0);
	} else if (data == NULL && dp_record_get(in, DP_F_DATA) != NULL) {
		owned = g_bytes_new(in->body->str, in->body->len);
	} else if (data == NULL) {
		g_autoptr(GError) local = NULL;
		owned = dp_read_file(source ? source : "", ctx->max_input, &local);
		if (owned == NULL) {
			dp_warn("%s", local->message);
			st->code = dp_exit_merge(st->code, local->code);
			return TRUE;
		}
	}
	if (st->iso.enabled)
		return dp_isolate_extract(ctx, &st->iso, in, data ? data : owned, error);
	return dp_extract(ctx, in, data ? data : owned, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	dp_set_prgname(argv[0]);
	g_autoptr(GOptionContext) octx = g_option_context_new("[PATH...] - extract text and metadata");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "Without PATH, reads detect records from standard input.\n"
					       "Exit status: 0 ok, 65 malformed input, 66 unreadable input, 76 bad record "
					       "stream,\n77 encrypted, 78 configuration error, 74 write error.\n"
					       "See docpipe-extract(1).");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	if (cfg == NULL || (opt_first_page && !dp_config_set(cfg, "pdf", "first-page", opt_first_page, &error)) ||
	    (opt_last_page && !dp_config_set(cfg, "pdf", "last-page", opt_last_page, &error))) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	State st = { .code = DP_EXIT_OK };
	DpExtractCtx ctx;
	dp_extract_ctx_init(&ctx, cfg, write_record, &st);
	dp_isolate_opts_from_config(cfg, &st.iso);
	ctx.passwords = g_steal_pointer(&opt_passwords);
	gboolean ok = TRUE;
	if (argc > 1) {
		for (int i = 1; ok && i < argc; i++) {
			g_autoptr(GError) local = NULL;
			g_autoptr(GBytes) data = NULL;
			g_autoptr(DpRecord) rec = dp_detect_input(argv[i], ctx.max_input, TRUE, &data, &local);
			if (rec == NULL) {
				dp_warn("%s", local->message);
				st.code = dp_exit_merge(st.code, local->code);
				continue;
			}
			ok = extract_one(&ctx, rec, data, &st, &error);
		}
	} else {
		g_autoptr(DpReader) rd = dp_reader_new(0, "<stdin>");
		for (;;) {
			g_autoptr(DpRecord) rec = NULL;
			if (!dp_reader_next(rd, &rec, &error)) {
				dp_warn("%s", error->message);
				dp_extract_ctx_clear(&ctx);
				return error->code;
			}
			if (rec == NULL || !(ok = extract_one(&ctx, rec, NULL, &st, &error)))
				break;
		}
	}
	dp_extract_ctx_clear(&ctx);
	if (ok)
		ok = dp_close_stream(stdout, "<stdout>", &error);
	if (!ok) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return st.code;
}
