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
 *	With the sandbox on, a PATH given here is only sniffed by docpipe's
 *	own bounded sniffers in this process; libmagic, when they cannot
 *	tell, runs in the child, as for `docpipe convert`.
 *	No network access, no external entities; depth, count and size limits
 *	from [limits] in the configuration.
 *
 * EXIT STATUS
 *	0 ok; 65 some document was malformed; 66 an input could not be
 *	read; 76 bad input record stream; 77 encrypted, no working password;
 *	78 configuration error; 74 write error.  See docpipe(1).
 */
#include "chain/stage.h"
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "sandbox/isolate.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/hash.h"

#include <stdio.h>

#include "util/banned.h"

static DpStage stage;

static const DpStageSpec spec = {
	"[PATH...] - extract text and metadata",
	(const GOptionEntry[]){ DP_STAGE_OPTION_CONFIG(&stage), DP_STAGE_OPTION_PASSWORD(&stage),
	                        DP_STAGE_OPTION_FIRST_PAGE(&stage), DP_STAGE_OPTION_LAST_PAGE(&stage),
	                        G_OPTION_ENTRY_NULL },
	"Without PATH, reads detect records from standard input.\n"
	"Exit status: 0 ok, 65 malformed input, 66 unreadable input, 76 bad record "
	"stream,\n77 encrypted, 78 configuration error, 74 write error.\n"
	"See docpipe-extract(1).",
	DP_STAGE_ARGS,
};

typedef struct {
	int code;
	DpExtractCtx ctx;
	DpIsolateOpts iso; /* the sandboxed child per input (isolate.h) */
} State;

static gboolean
write_record(DpRecord *rec, gpointer user, GError **error)
{
	State *st = user;
	st->code = dp_exit_merge(st->code, dp_status_exit_code(dp_record_get(rec, DP_F_STATUS)));
	/* From now on the OCR engine is made once, here, not in every child. */
	if (dp_record_get(rec, DP_F_OCR) != NULL)
		dp_ocr_note_used();
	return dp_record_write(rec, stdout, error);
}

/*
 * Without the sandbox the bytes are parsed here, from the mapping: an input
 * that shrank under it was read as zeros past the cut (util/fileio.c).
 * Its records are out already; a last part says why they are wrong, as
 * sandbox/isolate.c's does, so that docpipe-emit drops the document, and
 * the input counts as unreadable (66).
 */
static gboolean
check_shrunk(State *st, const DpRecord *in, GBytes *bytes, GError **error)
{
	g_autoptr(GError) local = NULL;
	const char *source = dp_record_get(in, DP_F_SOURCE);
	if (dp_bytes_check(bytes, source ? source : "-", &local))
		return TRUE;
	dp_warn("%s", local->message);
	st->code = dp_exit_merge(st->code, local->code);
	const char *root = dp_record_get(in, DP_F_ID);
	const char *path = "(extraction aborted)";
	g_autofree char *id = dp_id_child(root ? root : "", path);
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, id);
	dp_record_set(rec, DP_F_PARENT, root);
	dp_record_set(rec, DP_F_SOURCE, source);
	dp_record_set(rec, DP_F_PATH, path);
	dp_record_set(rec, DP_F_TYPE, dp_record_get(in, DP_F_TYPE));
	dp_record_set(rec, DP_F_DEPTH, "1");
	dp_record_set(rec, DP_F_STATUS, DP_STATUS_ERROR);
	dp_record_set(rec, DP_F_ERROR, DP_ERROR_SHRANK);
	return write_record(rec, st, error);
}

/* Extract the document the detect record IN describes; DATA: the bytes detect read, if any. */
static gboolean
extract_one(State *st, DpRecord *in, GBytes *data, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) bytes = dp_detect_record_bytes(in, data, st->ctx.max_input, &local);
	if (local != NULL) {
		dp_warn("%s", local->message);
		st->code = dp_exit_merge(st->code, local->code);
		return TRUE;
	}
	if (bytes == NULL)
		return write_record(in, st, error); /* settled by detect */
	if (st->iso.enabled) {
		/*
		 * The module the type needs (Poppler: fifty libraries) is loaded
		 * here once, not in every input's child, as in the chain.
		 */
		dp_extract_preload(dp_record_get(in, DP_F_TYPE));
		if (dp_record_get(in, DP_F_DETECT) != NULL)
			dp_detect_magic_prepare(); /* its database, once, not per child */
		/* The OCR engine and its model too, when the input surely needs them (extract/ocr.h). */
		dp_ocr_preload(st->ctx.cfg, dp_record_get(in, DP_F_TYPE));
		return dp_isolate_extract(&st->ctx, &st->iso, in, bytes, error);
	}
	return dp_extract(&st->ctx, in, bytes, error) && check_shrunk(st, in, bytes, error);
}

/* A record of the stream on standard input. */
static gboolean
extract_record(DpRecord *rec, gpointer user, GError **error)
{
	return extract_one(user, rec, NULL, error);
}

/* A PATH given on the command line, detected here as docpipe-detect would. */
static gboolean
extract_path(State *st, const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = NULL;
	/* Sandboxed, libmagic runs in the child (dp_extract()), never here. */
	DpDetectFlags flags = st->iso.enabled ? 0 : DP_DETECT_MAGIC;
	g_autoptr(DpRecord) rec = dp_detect_input(path, st->ctx.max_input, flags, &data, &local);
	if (rec == NULL) {
		dp_warn("%s", local->message);
		st->code = dp_exit_merge(st->code, local->code);
		return TRUE;
	}
	return extract_one(st, rec, data, error);
}

int
main(int argc, char **argv)
{
	g_autoptr(DpConfig) cfg = NULL;
	int code = dp_stage_start(&stage, &spec, &cfg, NULL, &argc, &argv);
	if (code != DP_EXIT_OK)
		return code;
	State st = { .code = DP_EXIT_OK };
	dp_extract_ctx_init(&st.ctx, cfg, write_record, &st);
	dp_isolate_opts_from_config(cfg, &st.iso);
	st.ctx.passwords = dp_stage_steal_passwords(&stage);
	g_autoptr(GError) error = NULL;
	gboolean ok = TRUE;
	if (argc > 1) {
		for (int i = 1; ok && i < argc; i++)
			ok = extract_path(&st, argv[i], &error);
	} else {
		ok = dp_stage_each_record(extract_record, &st, &code, &error);
	}
	dp_extract_ctx_clear(&st.ctx);
	return code != 0 ? code : dp_stage_finish(ok, &error, DP_EXIT_IOERR, st.code);
}
