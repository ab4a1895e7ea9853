/*
 * threads.h: messages into threads.  Real messages by JWZ threading over
 * their ids (hashed), printed messages by their order in the documents
 * that print them; the same message in several places is one node.  No
 * I/O: the corpus database (corpus/corpusdb.c) loads and stores.
 */
#ifndef DOCPIPE_CORPUS_THREADS_H
#define DOCPIPE_CORPUS_THREADS_H

#include <glib.h>

#include "corpus/minhash.h"

typedef struct {
	gint64 id;               /* the caller's (msg_id) */
	gboolean printed;        /* printed in a document's text (no ids) */
	const char *mid;         /* hash of its Message-ID; NULL: none */
	const char *const *refs; /* hashes of References then In-Reply-To (the parent last); NULL: none */
	const char *node_key;    /* printed: hash of sender, date to the minute and subject; NULL: none */
	const char *minute_key;  /* printed: hash of sender and date to the minute only; NULL: none */
	const char *subject_key; /* hash of the subject without Re:/Fwd:; NULL: no subject */
	gboolean reply;          /* the subject had a Re:/Fwd: prefix */
	const char *date;        /* ISO 8601 (compared as text); NULL: unknown */
	const char *doc;         /* printed: the document it was printed in (its chain) */
	guint seq;               /* printed: its place in DOC, 1 for the first printed (newest) */
	const DpMinhash *sig;    /* printed: its text's signature (tie-breaker); NULL: none */
} DpThreadMsg;

/* What threading made of each message (same index as the input). */
typedef struct {
	gint64 node;   /* the id of the first message (in input order) that is the same message */
	gint64 parent; /* the node of its parent; -1 for a root */
	guint depth;   /* 0 for a root */
	guint thread;  /* index into the threads */
} DpThreadPlace;

typedef struct {
	gint64 root; /* the root's node (a message id) */
	guint depth; /* of its deepest message */
	guint nodes; /* distinct messages */
	guint first; /* index of the root message in the input */
} DpThread;

/*
 * Thread the N messages MSGS, given in a deterministic order (the first
 * of several copies of a message is its node).  PLACES gets N entries;
 * returns the threads (a GArray of DpThread) in the order of their roots'
 * first appearance in MSGS.  A printed message is the same as the earlier
 * one with the same node key whose signature is the most similar, unless
 * even that one is below DP_THREADS_DIFFERENT (a signature missing counts
 * as exactly that); failing that, the same as the earlier one with the
 * same minute key (its subject damaged by OCR) whose signature is the most
 * similar and at least SAME similar (both signatures needed).
 */
/*
 * Two printed messages with the same sender, minute and subject are
 * different messages only when their bodies are clearly different: the
 * estimated Jaccard similarity of unrelated texts over 128 MinHash values
 * stays near 0.02, while a quoted copy with OCR errors keeps most of its
 * 5-word shingles, so the floor sits well above chance and far below a copy.
 */
#define DP_THREADS_DIFFERENT 0.1

GArray *dp_threads_build(const DpThreadMsg *msgs, gsize n, double same, DpThreadPlace *places);

/*
 * The subject key's input: SUBJECT without its leading reply and forward
 * prefixes (Re:, RE:, Fwd:, FW:, AW:, also repeated, "Re[2]:") and with
 * white space collapsed, case-folded; *REPLY says whether it had one.
 */
char *dp_threads_subject(const char *subject, gboolean *reply);

#endif
