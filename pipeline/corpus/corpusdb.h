/*
 * corpusdb.h: the corpus database, OUT/corpus.sqlite (README "The corpus
 * database"): documents, messages, duplicate groups and threads, written
 * by the parent of `docpipe run` (batch/run.c) and by `docpipe merge`,
 * read by `docpipe dups`, `threads` and `report`.  Only redacted values
 * and hashes are stored.
 */
#ifndef DOCPIPE_CORPUS_CORPUSDB_H
#define DOCPIPE_CORPUS_CORPUSDB_H

#include <glib.h>

#define DP_CORPUS_DB_FILE "corpus.sqlite"
#define DP_CORPUS_DB_VERSION 1

typedef struct DpCorpusDb DpCorpusDb;

/*
 * Open PATH: for writing (made with its tables when absent; *EXISTED, if
 * not NULL, says whether it was there) or read-only.
 */
DpCorpusDb *dp_corpus_db_open(const char *path, gboolean write, gboolean *existed, GError **error);
void dp_corpus_db_close(DpCorpusDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpCorpusDb, dp_corpus_db_close)

/* Transactions: the run commits the database with the ledger. */
gboolean dp_corpus_db_begin(DpCorpusDb *db, GError **error);
gboolean dp_corpus_db_commit(DpCorpusDb *db, GError **error);

/*
 * The rows of input SOURCE (its redacted name, as its outputs are named)
 * replace those it had: ROWS are a worker's (batch/corpusrows.c), NULL
 * for an input that failed without any; STATUS, ERROR and REDACTIONS are
 * the ledger's, for its own row.  Its documents are marked for grouping.
 */
gboolean dp_corpus_db_put_input(DpCorpusDb *db, const char *source, const char *status, const char *error_msg,
                                const char *redactions, const char *rows, GError **error);

/* Remove SOURCE's rows (a pruned input); the groups it was in are marked for grouping again. */
gboolean dp_corpus_db_delete_input(DpCorpusDb *db, const char *source, GError **error);

/*
 * Copy every document and message of the database at PATH (a shard's)
 * into DB, in a transaction of DB's.  An input in both keeps DB's.
 */
gboolean dp_corpus_db_merge_from(DpCorpusDb *db, const char *path, GError **error);

/*
 * Bring groups and threads up to date: the documents marked since the
 * last update are grouped with their LSH candidates and the groups those
 * are in (everything when THRESHOLD or SHINGLE changed), threads are
 * made again when messages changed; ids are renumbered in the order of
 * the data.  STATS, if not NULL, gets a line of what was done.
 */
gboolean dp_corpus_db_update(DpCorpusDb *db, int threshold_pct, int shingle, GString *stats, GError **error);

/* The open database, for the commands that only read it (docpipe dups, threads). */
struct sqlite3;
struct sqlite3 *dp_corpus_db_sqlite(DpCorpusDb *db);

#endif
