/*
 * NAME
 *	corpusdb.c - the corpus database: its tables, and storing the rows
 *	of inputs and shards
 *
 * DESCRIPTION
 *	OUT/corpus.sqlite (PRAGMA user_version 1) holds the tables of README
 *	"The corpus database" and, for the updates, three of its own: lsh
 *	(one row per document and LSH band: the bucket, so that a new
 *	document finds its candidates with an index lookup instead of a
 *	pass over the corpus), touched (documents added since the last
 *	grouping) and touched_groups (groups that lost a member).
 *	dp_corpus_db_put_input() replaces an input's rows in one go, as the
 *	ledger replaces its row; corpusidx.c does the grouping and threading
 *	when the run ends.  The LSH rows of a transaction are kept in memory
 *	and written sorted when it commits (dp_corpus_db_flush_lsh).
 *
 *	Like the ledger, the database is written by one process (the run's
 *	parent, which holds the lock on OUT), in WAL mode so that readers
 *	(docpipe dups, threads, report) can read meanwhile; every value goes
 *	in as a bound parameter.
 *
 * SECURITY
 *	The rows come from a worker, which is not trusted: they are parsed
 *	field by field, a row of the wrong shape is skipped, numbers are
 *	read with bounds, a signature must decode to its exact size.  They
 *	hold redacted values and hashes only (batch/corpusrows.c); nothing
 *	here names an input by its real path.
 */
#include "corpus/corpusdb.h"

#include "corpus/dbint.h"
#include "corpus/minhash.h"
#include "util/exitcode.h"
#include "util/order.h"

#include <string.h>
#include <unistd.h>

#include "util/banned.h"

/* The indexes of table lsh, apart: a bulk store makes them again (dp_corpus_db_flush_lsh). */
static const char lsh_index_sql[] = "CREATE INDEX IF NOT EXISTS lsh_bucket ON lsh(band, bucket);"
                                    "CREATE INDEX IF NOT EXISTS lsh_doc ON lsh(doc_id);";

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS documents (doc_id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
    " part TEXT NOT NULL DEFAULT '', type TEXT, status TEXT, error TEXT, pages INTEGER, ocr_pages INTEGER,"
    " ocr_confidences TEXT, chars INTEGER, redactions TEXT, exemptions TEXT, date TEXT, text_hash TEXT,"
    " minhash BLOB, has_text_layer INTEGER, UNIQUE(source, part));"
    "CREATE INDEX IF NOT EXISTS documents_text_hash ON documents(text_hash);"
    "CREATE TABLE IF NOT EXISTS messages (msg_id INTEGER PRIMARY KEY, doc_id INTEGER, source TEXT, part TEXT,"
    " kind TEXT, \"from\" TEXT, \"to\" TEXT, cc TEXT, date TEXT, subject TEXT, thread_id INTEGER,"
    " parent_id INTEGER, depth INTEGER, node_id INTEGER, mid TEXT, refs TEXT, node_key TEXT, subject_key TEXT,"
    " reply INTEGER, chain TEXT, seq INTEGER);"
    "CREATE INDEX IF NOT EXISTS messages_source ON messages(source);"
    "CREATE TABLE IF NOT EXISTS dup_groups (group_id INTEGER PRIMARY KEY, kind TEXT, representative INTEGER,"
    " members INTEGER);"
    "CREATE TABLE IF NOT EXISTS dup_members (group_id INTEGER, doc_id INTEGER, similarity REAL,"
    " PRIMARY KEY(group_id, doc_id));"
    "CREATE INDEX IF NOT EXISTS dup_members_doc ON dup_members(doc_id);"
    "CREATE TABLE IF NOT EXISTS threads (thread_id INTEGER PRIMARY KEY, root_msg INTEGER, subject TEXT,"
    " messages INTEGER, depth INTEGER, participants TEXT, first_date TEXT, last_date TEXT);"
    "CREATE TABLE IF NOT EXISTS lsh (band INTEGER, bucket INTEGER, doc_id INTEGER);"
    "CREATE TABLE IF NOT EXISTS touched (doc_id INTEGER PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS touched_groups (group_id INTEGER PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);";

gboolean
dp_corpus_db_fail(DpCorpusDb *db, const char *what, GError **error)
{
	g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "corpus database '%s': %s: %s", db->path, what,
	            sqlite3_errmsg(db->db));
	return FALSE;
}

gboolean
dp_corpus_db_exec(DpCorpusDb *db, const char *sql, GError **error)
{
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return TRUE;
	g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "corpus database '%s': %s", db->path, msg ? msg : "error");
	sqlite3_free(msg);
	return FALSE;
}

sqlite3_stmt *
dp_corpus_db_prepare(DpCorpusDb *db, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dp_corpus_db_fail(db, "cannot prepare a statement", error);
		return NULL;
	}
	return st;
}

char *
dp_corpus_db_get_meta(DpCorpusDb *db, const char *key)
{
	sqlite3_stmt *st = dp_corpus_db_prepare(db, "SELECT value FROM meta WHERE key = ?", NULL);
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		v = g_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

gboolean
dp_corpus_db_set_meta(DpCorpusDb *db, const char *key, const char *value, GError **error)
{
	sqlite3_stmt *st = dp_corpus_db_prepare(db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);
	if (st == NULL)
		return FALSE;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	gboolean ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok || dp_corpus_db_fail(db, "cannot write meta", error);
}

void
dp_corpus_db_close(DpCorpusDb *db)
{
	if (db == NULL)
		return;
	if (db->in_tx)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(db->doc);
	sqlite3_finalize(db->msg);
	sqlite3_finalize(db->lsh);
	sqlite3_finalize(db->touch);
	sqlite3_finalize(db->pending_q);
	if (db->pending_lsh != NULL)
		g_array_unref(db->pending_lsh);
	for (guint i = 0; i < G_N_ELEMENTS(db->del); i++)
		sqlite3_finalize(db->del[i]);
	sqlite3_close(db->db);
	g_free(db->path);
	g_free(db);
}

DpCorpusDb *
dp_corpus_db_open(const char *path, gboolean write, gboolean *existed, GError **error)
{
	gboolean there = g_file_test(path, G_FILE_TEST_EXISTS);
	if (existed != NULL)
		*existed = there;
	if (!write && !there) {
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "no corpus database '%s' (made by docpipe run)", path);
		return NULL;
	}
	g_autoptr(DpCorpusDb) db = g_new0(DpCorpusDb, 1);
	db->path = g_strdup(path);
	/*
	 * A reader opens the file read-write when it may (and never writes):
	 * a read-only connection to a database in WAL mode cannot remove the
	 * -wal and -shm files it leaves beside it in OUT.
	 */
	int flags = write                     ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
	            : access(path, W_OK) == 0 ? SQLITE_OPEN_READWRITE
	                                      : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &db->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		dp_corpus_db_fail(db, "cannot open", error);
		return NULL;
	}
	sqlite3_busy_timeout(db->db, 10000);
	sqlite3_stmt *st = dp_corpus_db_prepare(db, "PRAGMA user_version", error);
	if (st == NULL)
		return NULL;
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (version != 0 && version != DP_CORPUS_DB_VERSION) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "corpus database '%s' has version %d, not %d", path,
		            version, DP_CORPUS_DB_VERSION);
		return NULL;
	}
	if (!write) {
		if (version == 0) {
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "'%s' is not a corpus database", path);
			return NULL;
		}
		return g_steal_pointer(&db);
	}
	/*
	 * With SQLite's default 2 MiB page cache, 100,000 documents (170 MB
	 * of database, most of it signatures and LSH rows) make storing
	 * disk-bound and superlinear: a transaction's dirty pages spill to
	 * the WAL and are read back.  256 MiB holds them at that size and
	 * keeps a run's parent well under the 1 GiB of issue 17.
	 */
	if (!dp_corpus_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;",
	                       error))
		return NULL;
	/*
	 * The tables, the index and the version in one transaction: one
	 * commit instead of one per statement (a fresh database is made in
	 * every first run), and never a database with some tables and no
	 * version.  Closing on failure rolls it back.
	 */
	if (!dp_corpus_db_exec(db, "BEGIN IMMEDIATE", error) || !dp_corpus_db_exec(db, schema_sql, error) ||
	    !dp_corpus_db_exec(db, lsh_index_sql, error) ||
	    (version == 0 && !dp_corpus_db_exec(db, "PRAGMA user_version=1", error)) ||
	    !dp_corpus_db_exec(db, "COMMIT", error))
		return NULL;
	return g_steal_pointer(&db);
}

struct sqlite3 *
dp_corpus_db_sqlite(DpCorpusDb *db)
{
	return db->db;
}

gboolean
dp_corpus_db_begin(DpCorpusDb *db, GError **error)
{
	if (db->in_tx)
		return TRUE;
	if (!dp_corpus_db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	db->in_tx = TRUE;
	return TRUE;
}

gboolean
dp_corpus_db_commit(DpCorpusDb *db, GError **error)
{
	if (!db->in_tx)
		return TRUE;
	/* On failure the transaction stays open, and closing rolls it back. */
	if (!dp_corpus_db_flush_lsh(db, error))
		return FALSE;
	db->in_tx = FALSE;
	return dp_corpus_db_exec(db, "COMMIT", error);
}

static gboolean stmts_prepare(DpCorpusDb *db, GError **error);

/*
 * Whether the N pending rows are more than the table holds: then its two
 * indexes are dropped and made again after the rows go in (*BULK), a sort
 * of the whole table, which costs less than N inserts at random places in
 * the doc_id index once it outgrows the page cache.
 */
static gboolean
stored_lsh_rows(DpCorpusDb *db, guint n, gboolean *bulk, GError **error)
{
	sqlite3_stmt *st = dp_corpus_db_prepare(db, "SELECT max(rowid) FROM lsh", error);
	if (st == NULL)
		return FALSE;
	int rc = sqlite3_step(st);
	*bulk = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) < (sqlite3_int64)n;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || dp_corpus_db_fail(db, "cannot read LSH buckets", error);
}

static int
lsh_row_cmp(gconstpointer a, gconstpointer b)
{
	const DpLshRow *x = a, *y = b;
	int c = DP_CMP(x->band, y->band);
	if (c == 0)
		c = DP_CMP(x->bucket, y->bucket);
	return c != 0 ? c : DP_CMP(x->doc_id, y->doc_id);
}

/*
 * Sorted by band and bucket, the rows of one transaction go into the
 * bucket index in one sweep instead of at random places, so that storing
 * stays close to linear when the index outgrows the page cache; the
 * doc_id index takes them at its end in any order, new documents having
 * the largest ids.
 */
gboolean
dp_corpus_db_flush_lsh(DpCorpusDb *db, GError **error)
{
	if (db->pending_lsh == NULL || db->pending_lsh->len == 0)
		return TRUE;
	if (!stmts_prepare(db, error))
		return FALSE;
	g_array_sort(db->pending_lsh, lsh_row_cmp);
	gboolean bulk = FALSE;
	if (!stored_lsh_rows(db, db->pending_lsh->len, &bulk, error) ||
	    (bulk && !dp_corpus_db_exec(db, "DROP INDEX IF EXISTS lsh_bucket; DROP INDEX IF EXISTS lsh_doc;", error)))
		return FALSE;
	sqlite3_stmt *st = db->lsh;
	for (guint i = 0; i < db->pending_lsh->len; i++) {
		const DpLshRow *r = &g_array_index(db->pending_lsh, DpLshRow, i);
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, r->band);
		sqlite3_bind_int64(st, 2, r->bucket);
		sqlite3_bind_int64(st, 3, r->doc_id);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dp_corpus_db_fail(db, "cannot store LSH buckets", error);
	}
	sqlite3_reset(st);
	g_array_set_size(db->pending_lsh, 0);
	return !bulk || dp_corpus_db_exec(db, lsh_index_sql, error);
}

static const char *const delete_steps[] = {
	"INSERT OR IGNORE INTO touched_groups SELECT group_id FROM dup_members WHERE doc_id IN"
	" (SELECT doc_id FROM documents WHERE source = ?1)",
	"DELETE FROM dup_members WHERE doc_id IN (SELECT doc_id FROM documents WHERE source = ?1)",
	"DELETE FROM lsh WHERE doc_id IN (SELECT doc_id FROM documents WHERE source = ?1)",
	"DELETE FROM touched WHERE doc_id IN (SELECT doc_id FROM documents WHERE source = ?1)",
	"INSERT OR REPLACE INTO meta (key, value) SELECT 'threads-dirty', '1' WHERE EXISTS"
	" (SELECT 1 FROM messages WHERE source = ?1)",
	"DELETE FROM messages WHERE source = ?1",
	"DELETE FROM documents WHERE source = ?1",
};

gboolean
dp_corpus_db_delete_input(DpCorpusDb *db, const char *source, GError **error)
{
	G_STATIC_ASSERT(G_N_ELEMENTS(delete_steps) == G_N_ELEMENTS(((DpCorpusDb *)NULL)->del));
	/*
	 * An input stored earlier in this transaction has its LSH rows still
	 * pending: they go to the table first, for the steps to remove them.
	 */
	if (db->pending_lsh != NULL && db->pending_lsh->len > 0) {
		if (db->pending_q == NULL &&
		    (db->pending_q = dp_corpus_db_prepare(
		         db, "SELECT 1 FROM documents WHERE source = ?1 AND doc_id >= ?2 LIMIT 1", error)) == NULL)
			return FALSE;
		sqlite3_reset(db->pending_q);
		sqlite3_bind_text(db->pending_q, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_int64(db->pending_q, 2, db->pending_min);
		gboolean mine = sqlite3_step(db->pending_q) == SQLITE_ROW;
		sqlite3_reset(db->pending_q);
		if (mine && !dp_corpus_db_flush_lsh(db, error))
			return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(delete_steps); i++) {
		if (db->del[i] == NULL && (db->del[i] = dp_corpus_db_prepare(db, delete_steps[i], error)) == NULL)
			return FALSE;
		sqlite3_stmt *st = db->del[i];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
		gboolean ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
		if (!ok)
			return dp_corpus_db_fail(db, "cannot remove an input's rows", error);
	}
	return TRUE;
}

/* A field as text (NULL when empty). */
static const char *
nz(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (nz(v) != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* A count field: digits only, or NULL. */
static void
bind_count(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL || *v == '\0' || strlen(v) > 15 || strspn(v, "0123456789") != strlen(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, (sqlite3_int64)g_ascii_strtoull(v, NULL, 10));
}

/* The LSH buckets of document DOC_ID, for the candidates of documents to come: pending until the commit. */
static void
put_lsh(DpCorpusDb *db, gint64 doc_id, const DpMinhash *sig)
{
	if (db->pending_lsh == NULL)
		db->pending_lsh = g_array_new(FALSE, FALSE, sizeof(DpLshRow));
	if (db->pending_lsh->len == 0 || doc_id < db->pending_min)
		db->pending_min = doc_id;
	for (guint b = 0; b < DP_MINHASH_BANDS; b++) {
		DpLshRow r = { (gint64)dp_minhash_band(sig, b), doc_id, (int)b };
		g_array_append_val(db->pending_lsh, r);
	}
}

/* The statements that store rows, prepared on first use and kept. */
static gboolean
stmts_prepare(DpCorpusDb *db, GError **error)
{
	if (db->touch != NULL)
		return TRUE;
	db->doc = dp_corpus_db_prepare(db,
	                               "INSERT OR REPLACE INTO documents (source, part, type, status, error, pages,"
	                               " ocr_pages, ocr_confidences, chars, redactions, exemptions, date, text_hash,"
	                               " minhash, has_text_layer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, ''),"
	                               " ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	                               error);
	db->msg = db->doc
	              ? dp_corpus_db_prepare(db,
	                                     "INSERT INTO messages (doc_id, source, part, kind, \"from\", \"to\", cc,"
	                                     " date, subject, mid, refs, node_key, subject_key, reply, chain, seq)"
	                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	                                     " ?15, ?16)",
	                                     error)
	              : NULL;
	db->lsh =
	    db->msg ? dp_corpus_db_prepare(db, "INSERT INTO lsh (band, bucket, doc_id) VALUES (?, ?, ?)", error) : NULL;
	db->touch =
	    db->lsh ? dp_corpus_db_prepare(db, "INSERT OR IGNORE INTO touched (doc_id) VALUES (?)", error) : NULL;
	return db->touch != NULL;
}

/* One "D" row (F, 14 fields) of SOURCE; the input's own row takes the ledger's STATUS, ERROR and REDACTIONS. */
static gboolean
put_doc(DpCorpusDb *db, const char *source, const char *const *f, const char *status, const char *error_msg,
        const char *redactions, gint64 *doc_id, GError **error)
{
	gboolean top = *f[1] == '\0';
	DpMinhash sig;
	gboolean has_sig = dp_minhash_from_string(nz(f[12]), &sig);
	sqlite3_stmt *st = db->doc;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f[1], -1, SQLITE_STATIC);
	bind_text(st, 3, f[2]);
	bind_text(st, 4, top && status ? status : f[3]);
	bind_text(st, 5, top && status ? error_msg : f[4]);
	bind_count(st, 6, f[5]);
	bind_count(st, 7, f[6]);
	bind_text(st, 8, f[7]);
	bind_count(st, 9, f[8]);
	bind_text(st, 10, top ? redactions : NULL);
	bind_text(st, 11, f[9]);
	bind_text(st, 12, f[10]);
	bind_text(st, 13, f[11]);
	if (has_sig) {
		guint8 raw[DP_MINHASH_K * 4];
		dp_minhash_to_bytes(&sig, raw);
		sqlite3_bind_blob(st, 14, raw, sizeof raw, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int(st, 15, g_strcmp0(f[13], "1") == 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dp_corpus_db_fail(db, "cannot store a document", error);
	*doc_id = sqlite3_last_insert_rowid(db->db);
	if (nz(f[11]) != NULL) {
		sqlite3_reset(db->touch);
		sqlite3_bind_int64(db->touch, 1, *doc_id);
		if (sqlite3_step(db->touch) != SQLITE_DONE)
			return dp_corpus_db_fail(db, "cannot mark a document", error);
	}
	if (has_sig)
		put_lsh(db, *doc_id, &sig);
	return TRUE;
}

/* One "M" row (F, 15 fields) of SOURCE, in document DOC_ID. */
static gboolean
put_msg(DpCorpusDb *db, const char *source, const char *const *f, gint64 doc_id, GError **error)
{
	sqlite3_stmt *st = db->msg;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (doc_id > 0)
		sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, g_str_equal(f[2], "printed") ? "printed" : "mail", -1, SQLITE_STATIC);
	/* from, to, cc, date, subject, mid, refs, node-key, subject-key: parameters 5 to 13. */
	for (int i = 3; i <= 11; i++)
		bind_text(st, i + 2, f[i]);
	sqlite3_bind_int(st, 14, g_strcmp0(f[12], "1") == 0);
	bind_text(st, 15, f[13]);
	bind_count(st, 16, f[14]);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dp_corpus_db_fail(db, "cannot store a message", error);
	return TRUE;
}

gboolean
dp_corpus_db_put_input(DpCorpusDb *db, const char *source, const char *status, const char *error_msg,
                       const char *redactions, const char *rows, GError **error)
{
	if (!dp_corpus_db_begin(db, error) || !dp_corpus_db_delete_input(db, source, error))
		return FALSE;
	gboolean ok = stmts_prepare(db, error);
	gboolean have_top = FALSE, have_msg = FALSE;
	gint64 last_doc = 0;
	g_autofree char *last_part = NULL;
	g_auto(GStrv) lines = g_strsplit(rows ? rows : "", "\n", -1);
	for (guint i = 0; ok && lines[i] != NULL; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
		guint n = g_strv_length(f);
		if (n == 14 && g_str_equal(f[0], "D")) {
			have_top |= *f[1] == '\0';
			ok = put_doc(db, source, (const char *const *)f, status, error_msg, redactions, &last_doc,
			             error);
			g_free(last_part);
			last_part = g_strdup(f[1]);
		} else if (n == 15 && g_str_equal(f[0], "M")) {
			/* A message's row follows its document's. */
			have_msg = TRUE;
			ok = put_msg(db, source, (const char *const *)f, g_strcmp0(last_part, f[1]) == 0 ? last_doc : 0,
			             error);
		}
	}
	if (ok && !have_top) {
		/* A failed input (or one whose rows were cut): its own row from the ledger's. */
		const char *f[14] = { "D", "", NULL, "", "", "", "", "", "", "", "", "", "", "0" };
		ok = put_doc(db, source, f, status, error_msg, redactions, &last_doc, error);
	}
	return ok && (!have_msg || dp_corpus_db_set_meta(db, "threads-dirty", "1", error));
}

/* The LSH buckets of every document with a signature (after a merge). */
static gboolean
rebuild_lsh(DpCorpusDb *db, GError **error)
{
	if (!dp_corpus_db_exec(db,
	                       "DELETE FROM lsh; DELETE FROM touched; INSERT INTO touched SELECT doc_id FROM"
	                       " documents WHERE text_hash IS NOT NULL",
	                       error))
		return FALSE;
	sqlite3_stmt *sel =
	    dp_corpus_db_prepare(db, "SELECT doc_id, minhash FROM documents WHERE minhash IS NOT NULL", error);
	if (sel == NULL)
		return FALSE;
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		DpMinhash sig;
		if (dp_minhash_from_bytes(sqlite3_column_blob(sel, 1), (gsize)sqlite3_column_bytes(sel, 1), &sig))
			put_lsh(db, sqlite3_column_int64(sel, 0), &sig);
	}
	sqlite3_finalize(sel);
	return (rc == SQLITE_DONE || dp_corpus_db_fail(db, "cannot read signatures", error)) &&
	       dp_corpus_db_flush_lsh(db, error);
}

gboolean
dp_corpus_db_merge_from(DpCorpusDb *db, const char *path, GError **error)
{
	/* The shard must be a corpus database of this version: opened once to check. */
	g_autoptr(DpCorpusDb) other = dp_corpus_db_open(path, FALSE, NULL, error);
	if (other == NULL)
		return FALSE;
	g_clear_pointer(&other, dp_corpus_db_close);
	if (!dp_corpus_db_begin(db, error))
		return FALSE;
	sqlite3_stmt *att = dp_corpus_db_prepare(db, "ATTACH DATABASE ? AS shard", error);
	if (att == NULL)
		return FALSE;
	sqlite3_bind_text(att, 1, path, -1, SQLITE_STATIC);
	gboolean ok = sqlite3_step(att) == SQLITE_DONE || dp_corpus_db_fail(db, "cannot attach a shard", error);
	sqlite3_finalize(att);
	if (!ok)
		return FALSE;
	ok = dp_corpus_db_exec(
	         db,
	         "INSERT OR IGNORE INTO main.documents (source, part, type, status, error, pages, ocr_pages,"
	         " ocr_confidences, chars, redactions, exemptions, date, text_hash, minhash, has_text_layer)"
	         " SELECT source, part, type, status, error, pages, ocr_pages, ocr_confidences, chars, redactions,"
	         " exemptions, date, text_hash, minhash, has_text_layer FROM shard.documents s WHERE NOT EXISTS"
	         " (SELECT 1 FROM main.documents d WHERE d.source = s.source) ORDER BY source, part;"
	         "INSERT INTO main.messages (doc_id, source, part, kind, \"from\", \"to\", cc, date, subject, mid,"
	         " refs, node_key, subject_key, reply, chain, seq)"
	         " SELECT (SELECT d.doc_id FROM main.documents d WHERE d.source = m.source AND d.part = m.part),"
	         " source, part, kind, \"from\", \"to\", cc, date, subject, mid, refs, node_key, subject_key, reply,"
	         " chain, seq FROM shard.messages m WHERE NOT EXISTS (SELECT 1 FROM main.messages x WHERE"
	         " x.source = m.source) ORDER BY source, part, msg_id;",
	         error) &&
	     dp_corpus_db_commit(db, error);
	/* ATTACH and DETACH happen outside a transaction. */
	dp_corpus_db_exec(db, "DETACH DATABASE shard", NULL);
	return ok && dp_corpus_db_begin(db, error) && rebuild_lsh(db, error) &&
	       dp_corpus_db_set_meta(db, "threads-dirty", "1", error) &&
	       dp_corpus_db_set_meta(db, "grouped", "", error);
}
