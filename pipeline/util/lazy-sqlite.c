/*
 * lazy-sqlite.c: SQLite, loaded by the first command that opens a
 * database.
 *
 * Only `docpipe run` (the ledger, OUT/corpus.sqlite), `report`, `dups`,
 * `threads` and `status` use SQLite, but a program linked with
 * -lsqlite3 has the dynamic linker resolve libsqlite3's ~1,600 symbol
 * relocations at every start: 2.0 million instructions of the 7.5
 * million a `docpipe convert` of an empty file ran (callgrind), the
 * largest single cost of a one-file conversion.  So the programs are not
 * linked with it; each function the code calls is defined here as a
 * wrapper that calls libsqlite3's own, found with dlsym() on first use
 * (util/lazylib.c).
 *
 * sqlite3_open_v2() opens the library: when it cannot, it fails as
 * SQLite does when a database cannot be opened (SQLITE_CANTOPEN and no
 * handle), and sqlite3_errmsg() of that missing handle says why.  Every
 * other wrapper takes a handle or a statement, so it does real work only
 * after a successful open; called on the clean-up path of a failed open
 * (a NULL statement), it does nothing and returns 0, as SQLite does for
 * NULL.  The wrappers are hidden: the programs export their
 * symbols to the modules (-Wl,--export-dynamic), and libsqlite3's calls
 * of its own functions must not come back here.
 *
 * Add a wrapper here when the code calls a SQLite function it does not
 * call yet: the link fails until then.
 */
#pragma GCC visibility push(hidden)
#include <sqlite3.h>
#pragma GCC visibility pop

#include "util/lazylib.h"

#include "util/banned.h"

static DpLazyLib libsqlite = DP_LAZYLIB_INIT("libsqlite3.so.0");

int
sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs)
{
	static int (*volatile fn)(const char *, sqlite3 **, int, const char *);
	if (fn == NULL)
		fn =
		    (int (*)(const char *, sqlite3 **, int, const char *))dp_lazylib_sym(&libsqlite, "sqlite3_open_v2");
	if (fn == NULL) {
		*db = NULL;
		return SQLITE_CANTOPEN;
	}
	return fn(filename, db, flags, vfs);
}

const char *
sqlite3_errmsg(sqlite3 *db)
{
	static const char *(*volatile fn)(sqlite3 *);
	if (fn == NULL)
		fn = (const char *(*)(sqlite3 *))dp_lazylib_sym(&libsqlite, "sqlite3_errmsg");
	/* Without the library, the message says why it could not be opened. */
	return fn != NULL ? fn(db) : dp_lazylib_message(&libsqlite);
}

DP_LAZY_FN(libsqlite, int, sqlite3_close, (sqlite3 * db), (db), 0)
/* clang-format off */
DP_LAZY_FN(libsqlite, int, sqlite3_bind_blob, (sqlite3_stmt *s, int i, const void *v, int n, void (*d)(void *)), (s, i, v, n, d), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_bind_double, (sqlite3_stmt *s, int i, double v), (s, i, v), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_bind_int, (sqlite3_stmt *s, int i, int v), (s, i, v), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_bind_int64, (sqlite3_stmt *s, int i, sqlite3_int64 v), (s, i, v), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_bind_null, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_bind_text, (sqlite3_stmt *s, int i, const char *v, int n, void (*d)(void *)), (s, i, v, n, d), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_clear_bindings, (sqlite3_stmt *s), (s), 0)
DP_LAZY_FN(libsqlite, const void *, sqlite3_column_blob, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_column_bytes, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_column_count, (sqlite3_stmt *s), (s), 0)
DP_LAZY_FN(libsqlite, double, sqlite3_column_double, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_column_int, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, const unsigned char *, sqlite3_column_text, (sqlite3_stmt *s, int i), (s, i), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_exec, (sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **msg), (db, sql, cb, arg, msg), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_finalize, (sqlite3_stmt *s), (s), 0)
DP_LAZY_FN(libsqlite, sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 *db), (db), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_prepare_v2, (sqlite3 *db, const char *sql, int n, sqlite3_stmt **s, const char **tail), (db, sql, n, s, tail), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_reset, (sqlite3_stmt *s), (s), 0)
DP_LAZY_FN(libsqlite, int, sqlite3_step, (sqlite3_stmt *s), (s), 0)
DP_LAZY_VOID(libsqlite, sqlite3_free, (void *p), (p))
/* clang-format on */
