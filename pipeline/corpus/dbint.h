/*
 * dbint.h: the corpus database's insides, shared by corpusdb.c (storing)
 * and corpusidx.c (grouping and threading).  Not for other folders.
 */
#ifndef DOCPIPE_CORPUS_DBINT_H
#define DOCPIPE_CORPUS_DBINT_H

#include <glib.h>
#include <sqlite3.h>

#include "corpus/corpusdb.h"

struct DpCorpusDb {
	sqlite3 *db;
	char *path;
	gboolean in_tx;
	/* Prepared once, for the many inputs of a run (corpusdb.c). */
	sqlite3_stmt *doc, *msg, *lsh, *touch, *pending_q;
	sqlite3_stmt *del[7];
	/*
	 * LSH rows of the documents stored in this transaction, written sorted
	 * by bucket when it commits (dp_corpus_db_flush_lsh): inserted one
	 * document at a time they land at random places in the bucket index.
	 */
	GArray *pending_lsh; /* of DpLshRow */
	gint64 pending_min;  /* the smallest doc_id in it */
};

typedef struct {
	gint64 bucket, doc_id;
	int band;
} DpLshRow;

/* SQL without parameters; FALSE and ERROR (naming the database) when it fails. */
gboolean dp_corpus_db_exec(DpCorpusDb *db, const char *sql, GError **error);
/* A prepared statement, or NULL and ERROR. */
sqlite3_stmt *dp_corpus_db_prepare(DpCorpusDb *db, const char *sql, GError **error);
/* ERROR from the database's last error, after WHAT failed. */
gboolean dp_corpus_db_fail(DpCorpusDb *db, const char *what, GError **error);
/* The pending LSH rows into table lsh, in bucket order; TRUE when there are none. */
gboolean dp_corpus_db_flush_lsh(DpCorpusDb *db, GError **error);
/* The meta table: VALUE of KEY (NULL when unset), and setting it. */
char *dp_corpus_db_get_meta(DpCorpusDb *db, const char *key);
gboolean dp_corpus_db_set_meta(DpCorpusDb *db, const char *key, const char *value, GError **error);

#endif
