/*
 * emit.h: the final stage: normalized text and XML, to a stream or a tree.
 */
#ifndef DOCPIPE_EMIT_H
#define DOCPIPE_EMIT_H

#include <stdio.h>
#include <glib.h>
#include "core/msgindex.h"
#include "core/record.h"

typedef enum {
	DP_EMIT_TEXT = 1 << 0,
	DP_EMIT_XML = 1 << 1,
} DpEmitFormat;

typedef struct DpEmitter DpEmitter;

/*
 * An emitter writing FORMATS.  With OUTDIR NULL everything goes to OUT (text
 * or XML, not both); HEADERS puts a "==> SOURCE <==" line before each
 * top-level document in text mode.  With OUTDIR, every top-level document
 * is written atomically to OUTDIR/<source>.txt and .xml.
 */
DpEmitter *dp_emitter_new(int formats, const char *outdir, FILE *out, gboolean headers);
void dp_emitter_free(DpEmitter *em);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpEmitter, dp_emitter_free)

/*
 * DURABLE (the default) fsyncs every output file before renaming it into
 * place.  FALSE leaves that to the caller: `docpipe run` calls syncfs()
 * once before it records a batch of outputs in its ledger, instead of
 * paying one fsync per file.  The rename stays atomic either way.
 */
void dp_emitter_set_durable(DpEmitter *em, gboolean durable);

/*
 * HASH makes the emitter compute the SHA-256 of every output file as it
 * writes it (FALSE, the default, saves that work), for
 * dp_emitter_output_sha256().
 */
void dp_emitter_set_hash_outputs(DpEmitter *em, gboolean hash);

/*
 * The lowercase hex SHA-256 of the FORMAT output (DP_EMIT_TEXT or
 * DP_EMIT_XML) of the current top-level document, once it is committed
 * (dp_emitter_finish(), or the next document's start); NULL before that,
 * without an output directory, or when hashing is off.  Valid until the
 * next document begins.
 */
const char *dp_emitter_output_sha256(const DpEmitter *em, DpEmitFormat format);

/*
 * The name (no extension, relative to OUTDIR) of the next top-level
 * document's outputs, instead of its source (the chain gives it the
 * redacted one).  UNIQUE: when this emitter already wrote outputs under
 * that name, "~2", "~3", ... follow it, so that two inputs whose redacted
 * names are the same do not overwrite each other.
 */
void dp_emitter_set_output_name(DpEmitter *em, const char *name, gboolean unique);

/* Take the next record (parents before children, as extract emits them). */
/* Also give every record added to IX (the message index; not owned, may be NULL). */
void dp_emitter_set_messages(DpEmitter *em, DpMsgIndex *ix);

gboolean dp_emitter_add(DpEmitter *em, const DpRecord *rec, GError **error);
/* Finish the last document. */
gboolean dp_emitter_finish(DpEmitter *em, GError **error);
/*
 * Drop the open document instead of finishing it: with an output
 * directory, its temporaries and any older files under its final names
 * are removed, so that nothing is left for an input whose outputs are
 * wrong (it shrank while it was read).  On a stream, what was written is
 * gone already: the document is finished instead, so that XML stays
 * well-formed.  A no-op when no document is open.
 */
void dp_emitter_discard(DpEmitter *em);

/* The exit code the statuses seen so far add up to. */
int dp_emitter_exit_code(const DpEmitter *em);
/*
 * The exit code of the current (last) top-level document, and in *PROBLEM
 * its first failing part as "PATH: STATUS: ERROR" (already redacted).
 */
int dp_emitter_doc_exit(const DpEmitter *em, const char **problem);
/* Documents (records) seen and top-level documents written. */
guint64 dp_emitter_n_records(const DpEmitter *em);

/*
 * The output path for SOURCE below OUTDIR: "/" and "." segments dropped,
 * ".." segments and empty names replaced so that the result is always inside
 * OUTDIR.  Returns a path without extension.
 */
char *dp_emit_output_base(const char *outdir, const char *source);

/* Write DATA to PATH atomically: temporary file, fsync, rename. */
gboolean dp_write_atomic(const char *path, const char *data, gsize len, GError **error);

#endif
