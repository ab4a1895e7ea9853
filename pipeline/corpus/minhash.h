/*
 * minhash.h: near-duplicate signatures of texts (word-shingle MinHash)
 * and the LSH bands that find candidate pairs without comparing all
 * pairs.  No I/O: the worker signs a document's text, the parent groups
 * the signatures (corpus/dups.c).
 */
#ifndef DOCPIPE_CORPUS_MINHASH_H
#define DOCPIPE_CORPUS_MINHASH_H

#include <glib.h>

/* Values in a signature; bands times rows. */
#define DP_MINHASH_K 128
#define DP_MINHASH_BANDS 16
#define DP_MINHASH_ROWS (DP_MINHASH_K / DP_MINHASH_BANDS)

typedef struct {
	guint32 v[DP_MINHASH_K];
} DpMinhash;

/*
 * TEXT's normalized form (LEN bytes of UTF-8): its words (runs of
 * letters and digits), case-folded, separated by one space.  The exact
 * duplicate hash is taken of it.
 */
GString *dp_minhash_normalize(const char *text, gsize len);

/*
 * Sign NORM (from dp_minhash_normalize) over its SHINGLE-word shingles:
 * FALSE when it has no word (no signature).  A text shorter than SHINGLE
 * words is one shingle.
 */
gboolean dp_minhash_sign(const char *norm, guint shingle, DpMinhash *out);

/*
 * For tests: make dp_minhash_sign use the fold NAME ("scalar", "avx2",
 * "avx512") or a narrower one, instead of the widest the CPU has; FALSE
 * (nothing changed) when NAME is unknown or the CPU lacks it.  Every fold
 * gives the same values; not thread-safe, call before signing.
 */
gboolean dp_minhash_use_fold(const char *name);

/* The estimated Jaccard similarity of the shingle sets of A and B, 0 to 1. */
double dp_minhash_similarity(const DpMinhash *a, const DpMinhash *b);

/* The bucket of A in band B (0 <= B < DP_MINHASH_BANDS). */
guint64 dp_minhash_band(const DpMinhash *a, guint b);

/* A as text (base64 of its little-endian values), and back: FALSE if S is not one. */
char *dp_minhash_to_string(const DpMinhash *a);
gboolean dp_minhash_from_bytes(const guint8 *data, gsize len, DpMinhash *out);
gboolean dp_minhash_from_string(const char *s, DpMinhash *out);
/* A's bytes (DP_MINHASH_K little-endian 32-bit values), for a database blob. */
void dp_minhash_to_bytes(const DpMinhash *a, guint8 out[DP_MINHASH_K * 4]);

#endif
