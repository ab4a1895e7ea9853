/*
 * reportdb.h: the corpus database of a run (OUT/corpus.sqlite), opened
 * read-only for the report.  Its tables are filled by `docpipe run`; the
 * report reads them through plain SQL and never writes.
 */
#ifndef DOCPIPE_REPORTDB_H
#define DOCPIPE_REPORTDB_H

#include <glib.h>

#define DP_REPORT_DB_FILE "corpus.sqlite"

typedef struct DpReportDb DpReportDb;

/*
 * Open PATH read-only.  A missing PATH fails with DP_EXIT_NOINPUT, a file
 * that is not an SQLite database with DP_EXIT_IOERR.
 */
DpReportDb *dp_reportdb_open(const char *path, GError **error);
void dp_reportdb_close(DpReportDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpReportDb, dp_reportdb_close)

/* PRAGMA user_version of the database. */
int dp_reportdb_version(DpReportDb *db);

/* TRUE when the database has a table named TABLE. */
gboolean dp_reportdb_has_table(DpReportDb *db, const char *table);

/*
 * The rows of SQL, each a GStrv of its columns as text (SQL NULL is the
 * empty string); NULL and ERROR (DP_EXIT_IOERR, with SQLite's message)
 * when it cannot be run.
 */
GPtrArray *dp_reportdb_rows(DpReportDb *db, const char *sql, GError **error);

#endif
