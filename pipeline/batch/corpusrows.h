/*
 * corpusrows.h: what a worker tells the corpus database about one input
 * (batch/corpusrows.c): one row per record (document or part) and one
 * per message, with hashes and signatures taken before redaction and
 * every other value after it.  The rows travel in the worker's result
 * after the message index rows; the parent stores them
 * (corpus/corpusdb.c).
 */
#ifndef DOCPIPE_BATCH_CORPUSROWS_H
#define DOCPIPE_BATCH_CORPUSROWS_H

#include <glib.h>

#include "core/record.h"
#include "redact/redact.h"

typedef struct DpCorpusRows DpCorpusRows;

/* Rows for a run whose redactor is RD (for the hashes) and shingles SHINGLE words long. */
DpCorpusRows *dp_corpus_rows_new(const DpRedactor *rd, guint shingle);
void dp_corpus_rows_free(DpCorpusRows *c);

/* REC before redaction (the chain's pre-observer), then the same REC after it (its observer). */
void dp_corpus_rows_before(DpCorpusRows *c, const DpRecord *rec);
void dp_corpus_rows_after(DpCorpusRows *c, const DpRecord *rec);

/*
 * The characters of S's first MAX bytes, exactly as g_utf8_strlen(S, MAX)
 * counts them (up to a NUL; a character cut by MAX not counted; invalid
 * bytes stepped over as GLib's g_utf8_skip does), eight ASCII bytes at a
 * time.
 */
glong dp_corpus_rows_count_chars(const char *s, gsize max);

/* The rows of the records seen since the last call, taken over by the caller. */
GString *dp_corpus_rows_take(DpCorpusRows *c);

#endif
