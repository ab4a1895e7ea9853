/*
 * NAME
 *	chain.c - one input through detect, extract, redact and emit, in one
 *	process: the path of `docpipe convert` and of each batch worker
 *
 * DESCRIPTION
 *	dp_chain_run() reads the input and makes its detect record
 *	(core/detect.c), has it extracted in the sandboxed child
 *	(sandbox/isolate.c) or, with [sandbox] enabled=false, here
 *	(extract/dispatch.c), passes every record through the redactor
 *	(none with --no-redact) and an optional observer, and hands it to
 *	the emitter, which commits the input's outputs before the next input
 *	starts.  A bad document is a status in its records and an exit code,
 *	never the end of the run.
 *
 * SECURITY
 *	With the sandbox on, this process only sniffs the input's first
 *	bytes with docpipe's own bounded sniffers; libmagic and every
 *	extractor run in the sandboxed child, and what the child writes is
 *	checked by sandbox/isolate.c before it reaches this file.
 */
#include "chain/chain.h"

#include "core/config.h"
#include "core/detect.h"
#include "core/emit.h"
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "redact/redact.h"
#include "sandbox/isolate.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <string.h>

#include "util/banned.h"

struct DpChain {
	DpConfig *cfg;
	DpRedactor *redactor;
	DpEmitter *emitter;
	DpExtractCtx ectx;
	DpIsolateOpts iso;
	DpChainObserver observer, pre_observer;
	gpointer observer_data, pre_observer_data;
	gboolean preload; /* dp_chain_set_preload() */
	GBytes *name_key; /* dp_chain_set_name_key() */
	gboolean expect;  /* dp_chain_expect_input(), for the next input */
	guint64 expect_dev, expect_ino;
	gboolean replaced; /* the last input was not the file expected */
};

/* Every record from extract goes through redaction, then to the emitter. */
static gboolean
chain_emit(DpRecord *rec, gpointer user, GError **error)
{
	DpChain *chain = user;
	if (chain->pre_observer != NULL)
		chain->pre_observer(rec, chain->pre_observer_data);
	if (chain->redactor != NULL)
		dp_redact_record(chain->redactor, rec);
	if (dp_record_get(rec, DP_F_OCR) != NULL)
		dp_ocr_note_used();
	if (chain->observer != NULL)
		chain->observer(rec, chain->observer_data);
	return dp_emitter_add(chain->emitter, rec, error);
}

DpChain *
dp_chain_new(DpConfig *cfg, DpRedactor *redactor, DpEmitter *emitter)
{
	DpChain *chain = g_new0(DpChain, 1);
	chain->cfg = dp_config_ref(cfg);
	chain->redactor = redactor;
	chain->emitter = emitter;
	dp_extract_ctx_init(&chain->ectx, cfg, chain_emit, chain);
	dp_isolate_opts_from_config(cfg, &chain->iso);
	chain->preload = TRUE;
	return chain;
}

void
dp_chain_set_observer(DpChain *chain, DpChainObserver fn, gpointer user)
{
	chain->observer = fn;
	chain->observer_data = user;
}

void
dp_chain_set_pre_observer(DpChain *chain, DpChainObserver fn, gpointer user)
{
	chain->pre_observer = fn;
	chain->pre_observer_data = user;
}

void
dp_chain_free(DpChain *chain)
{
	if (chain == NULL)
		return;
	dp_extract_ctx_clear(&chain->ectx);
	dp_config_unref(chain->cfg);
	g_clear_pointer(&chain->name_key, g_bytes_unref);
	g_free(chain);
}

void
dp_chain_set_threads(DpChain *chain, guint threads)
{
	chain->ectx.threads = threads;
}

void
dp_chain_set_hashes(DpChain *chain, gboolean hashes)
{
	chain->ectx.hash_parts = hashes;
}

void
dp_chain_set_preload(DpChain *chain, gboolean preload)
{
	chain->preload = preload;
}

void
dp_chain_set_name_key(DpChain *chain, GBytes *key)
{
	g_clear_pointer(&chain->name_key, g_bytes_unref);
	chain->name_key = key ? g_bytes_ref(key) : NULL;
}

void
dp_chain_expect_input(DpChain *chain, guint64 dev, guint64 ino)
{
	chain->expect = TRUE;
	chain->expect_dev = dev;
	chain->expect_ino = ino;
}

gboolean
dp_chain_input_replaced(const DpChain *chain)
{
	return chain->replaced;
}

/*
 * Detect PATH, holding it to the identity dp_chain_expect_input() gave:
 * dp_read_file() checks a regular file on its open descriptor; anything
 * else (a directory, a device: detect reads no bytes of it) was swapped in
 * since it was listed, for a walk lists regular files only.
 */
static DpRecord *
chain_detect(DpChain *chain, const char *path, DpDetectFlags flags, GBytes **read, GError **error)
{
	gboolean expect = chain->expect;
	chain->expect = FALSE;
	chain->replaced = FALSE;
	if (expect)
		dp_read_file_expect(path, chain->expect_dev, chain->expect_ino);
	DpRecord *rec = dp_detect_input(path, chain->ectx.max_input, flags, read, error);
	if (!expect)
		return rec;
	dp_read_file_expect(NULL, 0, 0);
	if (rec != NULL && *read == NULL) {
		g_clear_pointer(&rec, dp_record_free);
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT,
		            "cannot read '%s': " DP_ERROR_REPLACED " (it is no regular file now)", path);
	}
	chain->replaced = rec == NULL && *error != NULL && strstr((*error)->message, DP_ERROR_REPLACED) != NULL;
	return rec;
}

void
dp_chain_set_passwords(DpChain *chain, const char *const *passwords)
{
	g_strfreev(chain->ectx.passwords);
	chain->ectx.passwords = passwords ? g_strdupv((char **)passwords) : NULL;
}

/* MSG as warned about: redacted like the outputs, since logs get shared too. */
static void
warn_redacted(DpChain *chain, const char *msg)
{
	if (chain->redactor == NULL) {
		dp_warn("%s", msg);
		return;
	}
	g_autoptr(GString) s = dp_redactor_apply(chain->redactor, msg, strlen(msg), NULL);
	dp_warn("%s", s->str);
}

gboolean
dp_chain_run(DpChain *chain, const char *path, int *exit_code, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) read = NULL;
	/*
	 * Sandboxed, libmagic runs in the child, and the input is hashed while
	 * the child extracts it; without hashes (dp_chain_set_hashes()) it
	 * never is, and its id stays DP_HASH_PENDING.
	 */
	DpDetectFlags flags = (chain->iso.enabled ? 0 : DP_DETECT_MAGIC) |
	                      (chain->iso.enabled || !chain->ectx.hash_parts ? DP_DETECT_DEFER_HASH : 0);
	g_autoptr(DpRecord) rec = chain_detect(chain, path, flags, &read, &local);
	g_autoptr(GBytes) data = rec ? dp_detect_record_bytes(rec, read, chain->ectx.max_input, &local) : NULL;
	if (rec == NULL || local != NULL) {
		warn_redacted(chain, local->message);
		*exit_code = dp_exit_merge(*exit_code, local->code);
		return TRUE;
	}
	/*
	 * Its outputs are named after its path redacted (redact.h,
	 * dp_redactor_output_name): a name redaction changed is kept apart
	 * from another input's by a keyed suffix or, without a key, by a
	 * number from the emitter.
	 */
	if (chain->redactor != NULL) {
		gboolean changed = FALSE, suffixed = FALSE;
		g_autofree char *name =
		    dp_redactor_output_name(chain->redactor, path, chain->name_key, &changed, &suffixed);
		dp_emitter_set_output_name(chain->emitter, name, changed && !suffixed);
	}
	gboolean ok;
	if (data == NULL)
		ok = chain_emit(rec, chain, error); /* settled by detect: skipped, unsupported */
	else if (chain->iso.enabled) {
		/*
		 * Untrusted bytes are parsed in a sandboxed child
		 * (sandbox/isolate.c).  The module the type needs is loaded
		 * first, here, so that every later input finds it loaded and
		 * the child never maps libraries under its memory limit; with
		 * a single input (dp_chain_set_preload()) the child loads it.
		 */
		const char *type = dp_record_get(rec, DP_F_TYPE);
		if (chain->preload) {
			dp_extract_preload(type);
			/* The FOIA pass's patterns, compiled once for every later input. */
			dp_foia_prepare(&chain->ectx, type);
		}
		/* libmagic's database too, when the child will need it. */
		if (dp_record_get(rec, DP_F_DETECT) != NULL)
			dp_detect_magic_prepare();
		/* An image's child inherits the OCR engine, model read before the filter. */
		dp_ocr_preload(chain->ectx.cfg, type);
		ok = dp_isolate_extract(&chain->ectx, &chain->iso, rec, data, error);
	} else
		ok = dp_extract(&chain->ectx, rec, data, error);
	/*
	 * An input that shrank under its mapping was read as zeros past the
	 * cut (util/fileio.c), here or by the parent's hash while the child
	 * extracted: what came of it is wrong, and the input unreadable.  Its
	 * outputs are dropped, not committed: bad input gets a clear error
	 * and no half-written output.
	 */
	if (ok && !dp_bytes_check(data, path, &local)) {
		dp_emitter_discard(chain->emitter);
		warn_redacted(chain, local->message);
		*exit_code = dp_exit_merge(*exit_code, local->code);
		return TRUE;
	}
	/* Commit this input's outputs now, not when the next one starts. */
	ok = ok && dp_emitter_finish(chain->emitter, error);
	const char *problem;
	int code = dp_emitter_doc_exit(chain->emitter, &problem);
	if (ok && code != DP_EXIT_OK) {
		g_autofree char *msg = g_strdup_printf("'%s': %s", path, problem);
		warn_redacted(chain, msg);
	}
	*exit_code = dp_exit_merge(*exit_code, code);
	return ok;
}
