/*
 * dups.h: groups of exact and near duplicates, from text hashes and
 * MinHash signatures (corpus/minhash.h).  No I/O: the corpus database
 * (corpus/corpusdb.c) chooses the items and stores the groups.
 */
#ifndef DOCPIPE_CORPUS_DUPS_H
#define DOCPIPE_CORPUS_DUPS_H

#include <glib.h>

#include "corpus/minhash.h"

/* One document or part to group. */
typedef struct {
	gint64 id;             /* the caller's (doc_id) */
	const char *text_hash; /* of its normalized text; NULL: no text, never grouped */
	const DpMinhash *sig;  /* NULL: no signature (exact groups only) */
	guint rank;            /* lower is a better representative; ties by position */
	const char *source;    /* its input, and its part ("" for the input itself); NULL: unrelated to all */
	const char *part;
} DpDupItem;

/* One member of a group, and one group. */
typedef struct {
	gint64 id;
	double similarity; /* to the representative: 1.0 for the same text */
} DpDupMember;

typedef struct {
	gboolean near;   /* FALSE: every member has the same text */
	gint64 rep;      /* the representative's id (the member of lowest rank) */
	GArray *members; /* of DpDupMember, the representative first, then by rank */
} DpDupGroup;

void dp_dup_group_free(DpDupGroup *g);

/*
 * The groups (of two members or more) of the N ITEMS: items with the same
 * text hash are exact duplicates; items whose signatures' estimated
 * similarity is at least THRESHOLD, found through shared LSH buckets
 * only, are near duplicates, and groups are closed under both (a chain
 * of near duplicates is one group).  A part is never joined as a near
 * duplicate of the input or part that contains it (a document holding a
 * single printed message is not a copy of it).  Returns a GPtrArray of DpDupGroup,
 * in the order of their representatives' ranks.  *COMPARED, if not NULL,
 * gets the number of signature pairs compared.
 */
GPtrArray *dp_dups_group(const DpDupItem *items, gsize n, double threshold, guint64 *compared);

#endif
