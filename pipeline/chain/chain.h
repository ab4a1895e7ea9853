/*
 * chain.h: detect -> extract -> redact -> emit in one process, as used by
 * `docpipe convert` and the batch workers.  The stage executables run the
 * same functions one at a time over the record stream.  An input's detect
 * record is dp_detect_input() (core/detect.h), included here for the
 * callers of the chain that also detect on their own.
 */
#ifndef DOCPIPE_CHAIN_H
#define DOCPIPE_CHAIN_H

#include <glib.h>
#include "core/config.h"
#include "core/detect.h"
#include "core/emit.h"
#include "core/record.h"
#include "redact/redact.h"

typedef struct DpChain DpChain;

/* REDACTOR may be NULL (no redaction); EMITTER receives the records. */
DpChain *dp_chain_new(DpConfig *cfg, DpRedactor *redactor, DpEmitter *emitter);
void dp_chain_free(DpChain *chain);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpChain, dp_chain_free)

/*
 * The key that tells apart the outputs of inputs whose redacted names are
 * the same, when no pseudonym key is configured (`docpipe run` keeps one
 * in OUT/.docpipe); referenced.  Without either, `convert -o` numbers them.
 */
void dp_chain_set_name_key(DpChain *chain, GBytes *key);

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
 * Whether the extractor module an input needs is loaded here, before the
 * sandboxed child is forked (the default), so that every later input's
 * child finds it loaded.  `docpipe convert` of a single input turns it
 * off: its only child loads the module itself, which spares the fork the
 * copying of Poppler's mappings (about 1 ms of a 30 KB PDF's 21 ms).
 */
void dp_chain_set_preload(DpChain *chain, gboolean preload);

/*
 * The next input dp_chain_run() converts must be the file DEV:INO (as a
 * walk saw it): a regular file checked on the descriptor it is read from,
 * so that a link swapped in since the walk is refused (exit 66), never
 * followed out of the tree.  For the next input only.
 */
void dp_chain_expect_input(DpChain *chain, guint64 dev, guint64 ino);
/* Whether the last input dp_chain_run() was given was refused as not the file expected. */
gboolean dp_chain_input_replaced(const DpChain *chain);

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

/*
 * Called with every record before redaction (the batch workers hash and
 * sign the text there, batch/corpusrows.c); then the observer above is
 * called with the same record redacted.  FN must not keep REC.
 */
void dp_chain_set_pre_observer(DpChain *chain, DpChainObserver fn, gpointer user);

#endif
