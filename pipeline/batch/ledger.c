/*
 * ledger.c: the batch ledger in SQLite, OUT/.docpipe/ledger.sqlite.
 *
 * One row per input, keyed by its path relative to IN: what it was (size,
 * mtime, inode, SHA-256), what it was converted with (configuration
 * fingerprint, docpipe version) and what came of it (status, error,
 * redaction counts, output hashes).  The run's parent is the only writer
 * (workers never open the ledger); `docpipe status` opens it read-only and
 * refuses a database whose user_version is not the ledger's.
 *
 * WAL mode lets `docpipe status` read while a run writes; the run groups
 * its results into transactions (synchronous=NORMAL: a power cut may lose
 * the last transaction, which only means those inputs are processed again;
 * the outputs themselves were fsynced before they were renamed into place).
 * Every value, paths and error messages included, goes in as a bound
 * parameter of a prepared statement: no SQL is ever built from a name.
 *
 * Schema versions (PRAGMA user_version): 1, the first; 2 adds the column
 * ocr_pages.  A run opening a ledger of version 1 migrates it in one
 * transaction (its rows get 0 OCR'd pages: they were not counted), so an
 * OUT written by an older docpipe goes on incrementally; `docpipe status`,
 * which never writes, reads a version 1 ledger as it is, with 0 for the
 * column it lacks.  A version newer than this code knows is refused.
 */
#include "batch/ledger.h"

#include "util/exitcode.h"

#include <sqlite3.h>

#include "util/banned.h"

#define LEDGER_SCHEMA_VERSION 2

struct DpLedger {
	sqlite3 *db;
	char *path;
	int schema; /* the user_version of the database as opened */
	sqlite3_stmt *put, *del;
};

/*
 * The columns of the inputs table and the DpLedgerEntry member each is
 * kept in (of the same name): the one list that the SELECT, the INSERT
 * and dp_ledger_entry_free() follow.
 */
typedef enum {
	COL_TEXT,  /* char *, NULL as NULL */
	COL_INT,   /* gint64 or guint64, bit for bit */
	COL_COUNT, /* guint64, stored within 0 .. G_MAXINT64 */
} ColumnKind;

static const struct {
	const char *name;
	gsize offset;
	ColumnKind kind;
	int since; /* the schema version that added it: an older ledger is read with 0 in its place */
} columns[] = {
	{ "path", G_STRUCT_OFFSET(DpLedgerEntry, path), COL_TEXT, 1 },
	{ "size", G_STRUCT_OFFSET(DpLedgerEntry, size), COL_INT, 1 },
	{ "mtime_ns", G_STRUCT_OFFSET(DpLedgerEntry, mtime_ns), COL_INT, 1 },
	{ "inode", G_STRUCT_OFFSET(DpLedgerEntry, inode), COL_INT, 1 },
	{ "sha256", G_STRUCT_OFFSET(DpLedgerEntry, sha256), COL_TEXT, 1 },
	{ "config", G_STRUCT_OFFSET(DpLedgerEntry, config), COL_TEXT, 1 },
	{ "version", G_STRUCT_OFFSET(DpLedgerEntry, version), COL_TEXT, 1 },
	{ "status", G_STRUCT_OFFSET(DpLedgerEntry, status), COL_TEXT, 1 },
	{ "error", G_STRUCT_OFFSET(DpLedgerEntry, error), COL_TEXT, 1 },
	{ "duration_ms", G_STRUCT_OFFSET(DpLedgerEntry, duration_ms), COL_INT, 1 },
	{ "redactions", G_STRUCT_OFFSET(DpLedgerEntry, redactions), COL_TEXT, 1 },
	{ "txt_sha256", G_STRUCT_OFFSET(DpLedgerEntry, txt_sha256), COL_TEXT, 1 },
	{ "xml_sha256", G_STRUCT_OFFSET(DpLedgerEntry, xml_sha256), COL_TEXT, 1 },
	{ "updated", G_STRUCT_OFFSET(DpLedgerEntry, updated), COL_INT, 1 },
	{ "ocr_pages", G_STRUCT_OFFSET(DpLedgerEntry, ocr_pages), COL_COUNT, 2 },
};

DpLedgerEntry *
dp_ledger_entry_new(void)
{
	return g_new0(DpLedgerEntry, 1);
}

void
dp_ledger_entry_free(DpLedgerEntry *e)
{
	if (e == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(columns); i++)
		if (columns[i].kind == COL_TEXT)
			g_free(G_STRUCT_MEMBER(char *, e, columns[i].offset));
	g_free(e);
}

gboolean
dp_ledger_status_failed(const char *status)
{
	return dp_status_exit_code(status) != DP_EXIT_OK;
}

static gboolean
db_fail(DpLedger *l, GError **error, const char *what)
{
	g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "ledger '%s': %s: %s", l->path, what, sqlite3_errmsg(l->db));
	return FALSE;
}

static gboolean
db_exec(DpLedger *l, const char *sql, GError **error)
{
	char *msg = NULL;
	if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "ledger '%s': %s", l->path, msg ? msg : "error");
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

static const char create_sql[] =
    "CREATE TABLE IF NOT EXISTS inputs ("
    " path TEXT PRIMARY KEY NOT NULL, size INTEGER, mtime_ns INTEGER, inode INTEGER,"
    " sha256 TEXT, config TEXT, version TEXT, status TEXT NOT NULL, error TEXT,"
    " duration_ms INTEGER, redactions TEXT, txt_sha256 TEXT, xml_sha256 TEXT, updated INTEGER,"
    " ocr_pages INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);"
    /* The message index (README "The message index"): one row per message of an input, in order. */
    "CREATE TABLE IF NOT EXISTS messages ("
    " path TEXT NOT NULL, n INTEGER NOT NULL, part TEXT, foia_case TEXT, foia_doc TEXT, foia_date TEXT,"
    " foia_release TEXT, foia_exemptions TEXT, \"from\" TEXT, \"to\" TEXT, cc TEXT, date TEXT, subject TEXT,"
    " length INTEGER, PRIMARY KEY (path, n));";

/* The columns of a message index row (core/msgindex.h) after its source, which is the input's path. */
#define MESSAGE_COLUMNS 12

/*
 * The columns separated by commas, named as a ledger of version SCHEMA
 * has them (0 for those it lacks), or with PLACEHOLDERS a "?" each.
 * Built from the table above, never from data.
 */
static char *
column_list(int schema, gboolean placeholders)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(columns); i++) {
		if (i > 0)
			g_string_append(s, ", ");
		g_string_append(s, placeholders ? "?" : columns[i].since <= schema ? columns[i].name : "0");
	}
	return g_string_free(s, FALSE);
}

/* Version 1 to 2: the count of OCR'd pages. */
static const char migrate_v1_sql[] = "BEGIN IMMEDIATE;"
                                     "ALTER TABLE inputs ADD COLUMN ocr_pages INTEGER NOT NULL DEFAULT 0;"
                                     "PRAGMA user_version=2;"
                                     "COMMIT;";

static gboolean
version_refused(DpLedger *l, int uv, GError **error)
{
	if (uv > LEDGER_SCHEMA_VERSION)
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR,
		            "'%s' is a ledger of version %d, written by a newer docpipe (this one reads 1 to %d)",
		            l->path, uv, LEDGER_SCHEMA_VERSION);
	else
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "'%s' is not a docpipe ledger (version %d)", l->path, uv);
	return FALSE;
}

DpLedger *
dp_ledger_open(const char *path, gboolean readonly, GError **error)
{
	DpLedger *l = g_new0(DpLedger, 1);
	l->path = g_strdup(path);
	int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (readonly && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "no ledger at '%s' (has 'docpipe run' written there?)",
		            path);
		dp_ledger_close(l);
		return NULL;
	}
	if (sqlite3_open_v2(path, &l->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_fail(l, error, "cannot open");
		dp_ledger_close(l);
		return NULL;
	}
	sqlite3_busy_timeout(l->db, 10000);
	int uv = -1;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		db_fail(l, error, "not a readable database");
		dp_ledger_close(l);
		return NULL;
	}
	uv = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	l->schema = uv;
	if (readonly) {
		if (uv < 1 || uv > LEDGER_SCHEMA_VERSION) {
			version_refused(l, uv, error);
			dp_ledger_close(l);
			return NULL;
		}
		return l;
	}
	if (uv < 0 || uv > LEDGER_SCHEMA_VERSION) {
		version_refused(l, uv, error);
		dp_ledger_close(l);
		return NULL;
	}
	/*
	 * The tables and the version in one transaction: one commit, not one
	 * per statement, when a first run makes the ledger.
	 */
	if (!db_exec(l, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error) ||
	    (uv == 1 && !db_exec(l, migrate_v1_sql, error)) || !db_exec(l, "BEGIN IMMEDIATE", error) ||
	    !db_exec(l, create_sql, error) || !db_exec(l, "PRAGMA user_version=2", error) ||
	    !db_exec(l, "COMMIT", error)) {
		(void)db_exec(l, "ROLLBACK", NULL);
		dp_ledger_close(l);
		return NULL;
	}
	l->schema = LEDGER_SCHEMA_VERSION;
	g_autofree char *names = column_list(LEDGER_SCHEMA_VERSION, FALSE);
	g_autofree char *values = column_list(LEDGER_SCHEMA_VERSION, TRUE);
	g_autofree char *put = g_strdup_printf("INSERT OR REPLACE INTO inputs (%s) VALUES (%s)", names, values);
	if (sqlite3_prepare_v2(l->db, put, -1, &l->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(l->db, "DELETE FROM inputs WHERE path = ?", -1, &l->del, NULL) != SQLITE_OK) {
		db_fail(l, error, "cannot prepare");
		dp_ledger_close(l);
		return NULL;
	}
	return l;
}

void
dp_ledger_close(DpLedger *l)
{
	if (l == NULL)
		return;
	sqlite3_finalize(l->put);
	sqlite3_finalize(l->del);
	if (l->db)
		sqlite3_close(l->db);
	g_free(l->path);
	g_free(l);
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? g_strdup((const char *)t) : NULL;
}

static gboolean
ledger_select(DpLedger *l, GPtrArray *out, GError **error)
{
	g_autofree char *names = column_list(l->schema, FALSE);
	g_autofree char *sql = g_strdup_printf("SELECT %s FROM inputs ORDER BY path", names);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(l, error, "cannot read");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		DpLedgerEntry *e = dp_ledger_entry_new();
		for (guint i = 0; i < G_N_ELEMENTS(columns); i++) {
			gpointer p = G_STRUCT_MEMBER_P(e, columns[i].offset);
			if (columns[i].kind == COL_TEXT)
				*(char **)p = col_text(st, (int)i);
			else if (columns[i].kind == COL_INT)
				*(gint64 *)p = sqlite3_column_int64(st, (int)i);
			else
				*(guint64 *)p = (guint64)MAX(sqlite3_column_int64(st, (int)i), 0);
		}
		if (e->path == NULL || e->status == NULL) {
			dp_ledger_entry_free(e);
			continue;
		}
		g_ptr_array_add(out, e);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(l, error, "cannot read");
	return TRUE;
}

GPtrArray *
dp_ledger_list(DpLedger *l, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)dp_ledger_entry_free);
	if (!ledger_select(l, out, error)) {
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

GHashTable *
dp_ledger_load(DpLedger *l, GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new();
	if (!ledger_select(l, rows, error)) {
		g_ptr_array_set_free_func(rows, (GDestroyNotify)dp_ledger_entry_free);
		return NULL;
	}
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)dp_ledger_entry_free);
	for (guint i = 0; i < rows->len; i++) {
		DpLedgerEntry *e = rows->pdata[i];
		g_hash_table_replace(t, e->path, e);
	}
	return t;
}

gboolean
dp_ledger_begin(DpLedger *l, GError **error)
{
	return db_exec(l, "BEGIN IMMEDIATE", error);
}

gboolean
dp_ledger_commit(DpLedger *l, GError **error)
{
	return db_exec(l, "COMMIT", error);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

gboolean
dp_ledger_put(DpLedger *l, const DpLedgerEntry *e, GError **error)
{
	sqlite3_stmt *st = l->put;
	sqlite3_reset(st);
	for (guint i = 0; i < G_N_ELEMENTS(columns); i++) {
		gconstpointer p = G_STRUCT_MEMBER_P(e, columns[i].offset);
		int k = (int)i + 1;
		if (columns[i].kind == COL_TEXT)
			bind_text(st, k, *(char *const *)p);
		else if (columns[i].kind == COL_INT)
			sqlite3_bind_int64(st, k, *(const gint64 *)p);
		else
			sqlite3_bind_int64(st, k, (sqlite3_int64)MIN(*(const guint64 *)p, (guint64)G_MAXINT64));
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(l, error, "cannot write");
	return TRUE;
}

gboolean
dp_ledger_delete(DpLedger *l, const char *path, GError **error)
{
	sqlite3_reset(l->del);
	bind_text(l->del, 1, path);
	if (sqlite3_step(l->del) != SQLITE_DONE)
		return db_fail(l, error, "cannot delete");
	return dp_ledger_put_messages(l, path, NULL, error);
}

/* Run SQL (one statement) on PATH alone. */
static gboolean
exec_on_path(DpLedger *l, const char *sql, const char *path, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(l, error, "cannot prepare");
	bind_text(st, 1, path);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || db_fail(l, error, "cannot write");
}

gboolean
dp_ledger_put_messages(DpLedger *l, const char *path, const char *rows, GError **error)
{
	if (!exec_on_path(l, "DELETE FROM messages WHERE path = ?", path, error))
		return FALSE;
	if (rows == NULL || *rows == '\0')
		return TRUE;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db,
	                       "INSERT INTO messages (path, n, part, foia_case, foia_doc, foia_date, foia_release,"
	                       " foia_exemptions, \"from\", \"to\", cc, date, subject, length)"
	                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(l, error, "cannot prepare");
	g_auto(GStrv) lines = g_strsplit(rows, "\n", -1);
	gint64 n = 0;
	gboolean ok = TRUE;
	for (guint i = 0; ok && lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
		/* A row that is not whole (the source, then the columns) is not the worker's: skipped. */
		if (g_strv_length(f) != MESSAGE_COLUMNS + 1 || !g_utf8_validate(lines[i], -1, NULL))
			continue;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		bind_text(st, 1, path);
		sqlite3_bind_int64(st, 2, ++n);
		for (guint c = 1; c < MESSAGE_COLUMNS; c++)
			bind_text(st, (int)c + 2, *f[c] ? f[c] : NULL);
		sqlite3_bind_int64(st, MESSAGE_COLUMNS + 2, g_ascii_strtoll(f[MESSAGE_COLUMNS], NULL, 10));
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok || db_fail(l, error, "cannot write");
}

gboolean
dp_ledger_messages_tsv(DpLedger *l, GString *out, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db,
	                       "SELECT path, part, foia_case, foia_doc, foia_date, foia_release, foia_exemptions,"
	                       " \"from\", \"to\", cc, date, subject, length FROM messages ORDER BY path, n",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(l, error, "cannot prepare");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c <= MESSAGE_COLUMNS; c++) {
			const unsigned char *v = sqlite3_column_text(st, c);
			g_string_append(out, v ? (const char *)v : "");
			g_string_append_c(out, c < MESSAGE_COLUMNS ? '\t' : '\n');
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || db_fail(l, error, "cannot read");
}

char *
dp_ledger_get_meta(DpLedger *l, const char *key)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = col_text(st, 0);
	sqlite3_finalize(st);
	return v;
}

gboolean
dp_ledger_set_meta(DpLedger *l, const char *key, const char *value, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(l, error, "cannot prepare");
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(l, error, "cannot write");
	return TRUE;
}
