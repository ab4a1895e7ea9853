/*
 * NAME
 *	reportdb.c - the corpus database, read-only, as rows of text
 *
 * DESCRIPTION
 *	The report only counts and lists, so every value comes back as text
 *	(SQLite converts numbers), in the order the SQL asks for: each query
 *	of the report has an ORDER BY that decides every tie, so the page
 *	does not depend on the order rows happen to be stored in.
 *
 * SECURITY
 *	Opened with SQLITE_OPEN_READONLY: the report never changes the run's
 *	database.  The values are hostile (they come from documents) and are
 *	escaped by the page, not here.
 */
#include "report/reportdb.h"
#include "util/exitcode.h"

#include <sqlite3.h>

#include "util/banned.h"

struct DpReportDb {
	sqlite3 *db;
	char *path;
	int version;
};

void
dp_reportdb_close(DpReportDb *db)
{
	if (db == NULL)
		return;
	sqlite3_close(db->db);
	g_free(db->path);
	g_free(db);
}

DpReportDb *
dp_reportdb_open(const char *path, GError **error)
{
	/* SQLite would say "unable to open database file"; say what is missing. */
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot open '%s': No such file or directory", path);
		return NULL;
	}
	g_autoptr(DpReportDb) db = g_new0(DpReportDb, 1);
	db->path = g_strdup(path);
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot open '%s': %s", path, sqlite3_errmsg(db->db));
		return NULL;
	}
	/* A run may be writing it: wait for its transaction rather than fail. */
	sqlite3_busy_timeout(db->db, 10000);
	/* Opening is lazy; the first statement finds a file that is not a database. */
	g_autoptr(GPtrArray) rows = dp_reportdb_rows(db, "PRAGMA user_version", NULL);
	if (rows == NULL || rows->len != 1) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot read '%s': %s", path, sqlite3_errmsg(db->db));
		return NULL;
	}
	db->version = (int)g_ascii_strtoll(((char **)rows->pdata[0])[0], NULL, 10);
	return g_steal_pointer(&db);
}

int
dp_reportdb_version(DpReportDb *db)
{
	return db->version;
}

gboolean
dp_reportdb_has_table(DpReportDb *db, const char *table)
{
	sqlite3_stmt *st = NULL;
	gboolean found = FALSE;
	if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &st,
	                       NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK)
		found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The current row of ST as a GStrv. */
static char **
row_strv(sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st);
	char **row = g_new0(char *, n + 1);
	for (int i = 0; i < n; i++) {
		const unsigned char *v = sqlite3_column_text(st, i);
		row[i] = g_strdup(v ? (const char *)v : "");
	}
	return row;
}

GPtrArray *
dp_reportdb_rows(DpReportDb *db, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "%s", sqlite3_errmsg(db->db));
		sqlite3_finalize(st);
		return NULL;
	}
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(rows, row_strv(st));
	if (rc != SQLITE_DONE) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "%s", sqlite3_errmsg(db->db));
		sqlite3_finalize(st);
		return NULL;
	}
	sqlite3_finalize(st);
	return g_steal_pointer(&rows);
}
