/*
 * chain.c: the stages composed in one process.
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
#include "util/hash.h"

#include <errno.h>
#include <sys/stat.h>
#include <string.h>

#include "util/banned.h"

struct DpChain {
	DpConfig *cfg;
	DpRedactor *redactor;
	DpEmitter *emitter;
	DpExtractCtx ectx;
	DpIsolateOpts iso;
	DpChainObserver observer;
	gpointer observer_data;
};

DpRecord *
dp_detect_input(const char *path, guint64 max, gboolean magic, GBytes **data, GError **error)
{
	return dp_detect_input_full(path, max, magic, FALSE, data, error);
}

DpRecord *
dp_detect_input_full(const char *path, guint64 max, gboolean magic, gboolean defer_hash, GBytes **data,
		     GError **error)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	g_autoptr(GBytes) bytes = NULL;
	*data = NULL;
	dp_record_set(rec, DP_F_SOURCE, path);
	if (g_str_equal(path, "-")) {
		bytes = dp_read_fd(0, "<stdin>", max, error);
		if (bytes == NULL)
			return NULL;
	} else {
		struct stat st;
		if (stat(path, &st) != 0) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot open '%s': %s", path, g_strerror(e));
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			const char *t = dp_detect_directory(path);
			g_autofree char *sum = dp_sha256_hex(path, strlen(path));
			g_autofree char *id = dp_id_root(sum);
			dp_record_set(rec, DP_F_ID, id);
			dp_record_set(rec, DP_F_TYPE, t);
			return g_steal_pointer(&rec);
		}
		if (!S_ISREG(st.st_mode)) {
			/* Reading a FIFO or a device could block forever. */
			g_autofree char *sum = dp_sha256_hex(path, strlen(path));
			g_autofree char *id = dp_id_root(sum);
			dp_record_set(rec, DP_F_ID, id);
			dp_record_set(rec, DP_F_TYPE, "inode/x-special");
			dp_record_set(rec, DP_F_STATUS, DP_STATUS_SKIPPED);
			dp_record_set(rec, DP_F_ERROR, "not a regular file");
			return g_steal_pointer(&rec);
		}
		bytes = dp_read_file(path, max, error);
		if (bytes == NULL)
			return NULL;
	}
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	/* The hash of a large input is a good part of its conversion: see dp_isolate_extract(). */
	g_autofree char *sha = defer_hash ? g_strdup(DP_HASH_PENDING) : dp_sha256_bytes(bytes);
	g_autofree char *id = defer_hash ? g_strdup(DP_HASH_PENDING) : dp_id_root(sha);
	g_autofree char *type = NULL;
	if (magic) {
		type = dp_detect_type(d, len, NULL);
	} else {
		const char *sniffed = dp_detect_sniff(d, len);
		type = g_strdup(sniffed ? sniffed : DP_TYPE_UNKNOWN);
		/* libmagic parses hostile bytes: the sandboxed child runs it. */
		if (sniffed == NULL)
			dp_record_set(rec, DP_F_DETECT, "deferred");
	}
	dp_record_set(rec, DP_F_ID, id);
	dp_record_set(rec, DP_F_TYPE, type);
	dp_record_set(rec, DP_F_SHA256, sha);
	dp_record_setf(rec, DP_F_SIZE, "%" G_GSIZE_FORMAT, len);
	*data = g_steal_pointer(&bytes);
	return g_steal_pointer(&rec);
}

/* Every record from extract goes through redaction, then to the emitter. */
static gboolean
chain_emit(DpRecord *rec, gpointer user, GError **error)
{
	DpChain *chain = user;
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
	return chain;
}

void
dp_chain_set_observer(DpChain *chain, DpChainObserver fn, gpointer user)
{
	chain->observer = fn;
	chain->observer_data = user;
}

void
dp_chain_free(DpChain *chain)
{
	if (chain == NULL)
		return;
	dp_extract_ctx_clear(&chain->ectx);
	dp_config_unref(chain->cfg);
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
dp_chain_set_passwords(DpChain *chain, const char *const *passwords)
{
	g_strfreev(chain->ectx.passwords);
	chain->ectx.passwords = passwords ? g_strdupv((char **)passwords) : NULL;
}

gboolean
dp_chain_run(DpChain *chain, const char *path, int *exit_code, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = NULL;
	/*
	 * Sandboxed, the input is hashed while the child extracts it; without
	 * hashes (dp_chain_set_hashes()) it never is, and its id stays
	 * DP_HASH_PENDING.
	 */
	g_autoptr(DpRecord) rec = dp_detect_input_full(path, chain->ectx.max_input, !chain->iso.enabled,
						       chain->iso.enabled || !chain->ectx.hash_parts, &data, &local);
	if (rec == NULL) {
		dp_warn("%s", local->message);
		*exit_code = dp_exit_merge(*exit_code, local->code);
		return TRUE;
	}
	const char *type = dp_record_get(rec, DP_F_TYPE);
	if (data == NULL && dp_record_get(rec, DP_F_STATUS) == NULL && type != NULL &&
	    g_str_equal(type, DP_TYPE_MAILDIR)) {
		/* A maildir has no bytes: its extractor reads the directory (source). */
		data = g_bytes_new(NULL, 0);
	} else if (data == NULL) {
		/* Skipped (not a regular file) or a directory no extractor takes. */
		if (dp_record_get(rec, DP_F_STATUS) == NULL)
			dp_record_set(rec, DP_F_STATUS, DP_STATUS_UNSUPPORTED);
		data = g_bytes_new(NULL, 0);
	}
	gboolean ok;
	if (dp_record_get(rec, DP_F_STATUS) != NULL)
		ok = chain_emit(rec, chain, error);
	else if (chain->iso.enabled) {
		/* Untrusted bytes are parsed in a sandboxed child (sandbox/isolate.c). */
		dp_extract_preload(type);
		/* An image's child inherits the OCR engine, model read before the filter. */
		dp_ocr_preload(chain->ectx.cfg, type);
		ok = dp_isolate_extract(&chain->ectx, &chain->iso, rec, data, error);
	}
	else
		ok = dp_extract(&chain->ectx, rec, data, error);
	/* Commit this input's outputs now, not when the next one starts. */
	ok = ok && dp_emitter_finish(chain->emitter, error);
	const char *problem;
	int code = dp_emitter_doc_exit(chain->emitter, &problem);
	if (ok && code != DP_EXIT_OK)
		dp_warn("'%s': %s", path, problem);
	*exit_code = dp_exit_merge(*exit_code, code);
	return ok;
}
