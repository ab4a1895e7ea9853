/*
 * corpusdb.h: the corpus database of a run (OUT/corpus.sqlite), opened
 * read-only for the report.  Its tables are filled by `docpipe run`; the
 * report reads them through plain SQL and never writes.
 */
#ifndef DOCPIPE_CORPUSDB_H
#define DOCPIPE_CORPUSDB_H

#include <glib.h>

#define DP_CORPUSDB_FILE "corpus.sqlite"

typedef struct DpCorpusDb DpCorpusDb;

/*
 * Open PATH read-only.  A missing PATH fails with DP_EXIT_NOINPUT, a file
 * that is not an SQLite database with DP_EXIT_IOERR.
 */
DpCorpusDb *dp_corpusdb_open(const char *path, GError **error);
void dp_corpusdb_close(DpCorpusDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpCorpusDb, dp_corpusdb_close)

/* PRAGMA user_version of the database. */
int dp_corpusdb_version(DpCorpusDb *db);

/* TRUE when the database has a table named TABLE. */
gboolean dp_corpusdb_has_table(DpCorpusDb *db, const char *table);

/*
 * The rows of SQL, each a GStrv of its columns as text (SQL NULL is the
 * empty string); NULL and ERROR (DP_EXIT_IOERR, with SQLite's message)
 * when it cannot be run.
 */
GPtrArray *dp_corpusdb_rows(DpCorpusDb *db, const char *sql, GError **error);

#endif
