/*
 * chain.h: detect -> extract -> redact -> emit in one process, as used by
 * `docpipe convert` and the batch workers.  The stage executables run the
 * same functions one at a time over the record stream.
 */
#ifndef DOCPIPE_CHAIN_H
#define DOCPIPE_CHAIN_H

#include <glib.h>
#include "core/config.h"
#include "core/emit.h"
#include "core/record.h"
#include "redact/redact.h"

/*
 * The detect record of the input PATH ("-" is stdin): id, source, type,
 * sha256, size.  *DATA receives the bytes.  A FIFO, device or socket gives
 * a record with status "skipped" and no data; never waits on it.  Fails
 * (DP_EXIT_NOINPUT) when PATH cannot be opened.  Without MAGIC only
 * docpipe's own sniffers run; when they cannot tell, the record says
 * "detect: deferred" and dp_extract() asks libmagic (in the sandbox).
 */
DpRecord *dp_detect_input(const char *path, guint64 max, gboolean magic, GBytes **data, GError **error);
/*
 * The same, with the SHA-256 of a file's bytes left for later when
 * DEFER_HASH: the record's id and sha256 hold DP_HASH_PENDING, and
 * dp_isolate_extract() hashes the bytes while the sandboxed child already
 * extracts (the ids it gives its records are then rewritten).
 */
DpRecord *dp_detect_input_full(const char *path, guint64 max, gboolean magic, gboolean defer_hash, GBytes **data,
			       GError **error);

typedef struct DpChain DpChain;

/* REDACTOR may be NULL (no redaction); EMITTER receives the records. */
DpChain *dp_chain_new(DpConfig *cfg, DpRedactor *redactor, DpEmitter *emitter);
void dp_chain_free(DpChain *chain);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpChain, dp_chain_free)

/* Passwords to try on encrypted documents, before [pdf] passwords (copied). */
void dp_chain_set_passwords(DpChain *chain, const char *const *passwords);

/* Worker threads for the messages of a mailbox (0: one per CPU). */
void dp_chain_set_threads(DpChain *chain, guint threads);

/*
 * Whether records carry ids from the input's SHA-256 and a sha256 for
 * every part (the default).  FALSE when nothing downstream shows them
 * (text on standard output): nothing is then hashed but what libmagic's
 * cache needs, which spares SHA-256 over the input, every message and
 * every part, about a tenth of a mailbox's CPU.  The text is the same.
 */
void dp_chain_set_hashes(DpChain *chain, gboolean hashes);

/*
 * Convert one input.  A bad document is reported on stderr in one line and
 * counted in *EXIT_CODE (merged); FALSE only when output failed.
 */
gboolean dp_chain_run(DpChain *chain, const char *path, int *exit_code, GError **error);

/*
 * Called with every record after redaction, before it is emitted (the batch
 * workers take statuses, hashes and redaction counts from it).  FN must not
 * keep REC.
 */
typedef void (*DpChainObserver)(const DpRecord *rec, gpointer user);
void dp_chain_set_observer(DpChain *chain, DpChainObserver fn, gpointer user);

#endif
