/*
 * lazylib-test: util/lazylib.c and util/lazy-sqlite.c, SQLite opened on
 * first use: a library that is there opens once and gives its symbols; one
 * that is not gives an error naming it, every time; and the wrappers run
 * real SQLite (a statement over an in-memory database).
 */
#include "util/lazylib.h"

#include <sqlite3.h>

#include "unit.h"

#include "util/banned.h"

static void
test_open_present(void)
{
	static DpLazyLib lib = DP_LAZYLIB_INIT("libsqlite3.so.0");
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_lazylib_open(&lib, &error));
	g_assert_no_error(error);
	g_assert_nonnull(dp_lazylib_sym(&lib, "sqlite3_libversion"));
	g_assert_null(dp_lazylib_message(&lib));
	/* Once: a second open answers the same, with the same handle. */
	void *handle = lib.handle;
	g_assert_true(dp_lazylib_open(&lib, NULL));
	g_assert_true(lib.handle == handle);
}

static void
test_open_missing(void)
{
	static DpLazyLib lib = DP_LAZYLIB_INIT("libdocpipe-no-such-library.so.0");
	for (int i = 0; i < 2; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(dp_lazylib_open(&lib, &error));
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, "cannot load libdocpipe-no-such-library.so.0"));
	}
	g_assert_null(dp_lazylib_sym(&lib, "anything"));
	g_assert_nonnull(dp_lazylib_message(&lib));
}

static void
test_sqlite_wrappers(void)
{
	sqlite3 *db = NULL;
	g_assert_cmpint(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==,
	                SQLITE_OK);
	g_assert_nonnull(db);
	char *msg = NULL;
	g_assert_cmpint(sqlite3_exec(db, "CREATE TABLE t(a INTEGER, b TEXT)", NULL, NULL, &msg), ==, SQLITE_OK);
	g_assert_null(msg);
	sqlite3_stmt *st = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?)", -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_bind_int64(st, 1, G_GINT64_CONSTANT(1) << 40), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_bind_text(st, 2, "docpipe", -1, SQLITE_TRANSIENT), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_DONE);
	g_assert_cmpint(sqlite3_finalize(st), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_last_insert_rowid(db), ==, 1);
	g_assert_cmpint(sqlite3_prepare_v2(db, "SELECT a, b FROM t", -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	g_assert_cmpint(sqlite3_column_int64(st, 0), ==, G_GINT64_CONSTANT(1) << 40);
	g_assert_cmpstr((const char *)sqlite3_column_text(st, 1), ==, "docpipe");
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_DONE);
	g_assert_cmpint(sqlite3_finalize(st), ==, SQLITE_OK);
	/* A bad statement: SQLite's own message comes back through the wrapper. */
	g_assert_cmpint(sqlite3_exec(db, "SELECT a FROM nowhere", NULL, NULL, &msg), !=, SQLITE_OK);
	g_assert_nonnull(strstr(sqlite3_errmsg(db), "nowhere"));
	sqlite3_free(msg);
	/* NULL handles, as on a failed open's clean-up path, are harmless. */
	g_assert_cmpint(sqlite3_finalize(NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

DP_UNIT_MAIN("lazylib", test_open_present, test_open_missing, test_sqlite_wrappers)
