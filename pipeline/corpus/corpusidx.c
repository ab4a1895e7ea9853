/*
 * NAME
 *	corpusidx.c - the corpus database's groups and threads, brought up
 *	to date after a run or a merge
 *
 * DESCRIPTION
 *	dp_corpus_db_update() regroups only what changed.  The documents
 *	stored since the last update (table touched) are taken with their
 *	candidates: the documents that share one of their LSH buckets (table
 *	lsh, an index lookup per band) or their text hash; then the groups
 *	any of those are in, and the groups that lost a member (table
 *	touched_groups), with all their members.  That set is grouped again
 *	(corpus/dups.c) and its old groups replaced: adding 100 documents to
 *	100,000 reads a few hundred signatures, not the corpus.  A change of
 *	[corpus] near-threshold or shingle (recorded in meta "grouped")
 *	regroups everything.
 *
 *	Threads (corpus/threads.c) are made again from the messages table
 *	whenever a message came or went: they need only a few short columns
 *	per message (hashes and dates; the signature of printed ones), so
 *	even a large corpus is threaded in seconds.
 *
 *	Group and thread ids are then renumbered in the order of their
 *	representative's or root's source and part, so that the same inputs
 *	give the same ids whichever run, shard or merge stored them.
 */
#include "corpus/corpusdb.h"

#include "corpus/dbint.h"
#include "corpus/dups.h"
#include "corpus/minhash.h"
#include "corpus/threads.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* Printed messages with the same key are the same message when their texts are at least this similar. */
#define SAME_PRINTED 0.5

/* Takes the row ST stands on into DATA. */
typedef void (*RowFunc)(sqlite3_stmt *st, gpointer data);

/*
 * Runs SQL (no parameters) and hands every row to FN; FALSE and ERROR
 * ("cannot read WHAT") when the query fails.  The rows are taken into
 * growing arrays, so pointers into them are made only after this returns.
 */
static gboolean
each_row(DpCorpusDb *db, const char *sql, const char *what, RowFunc fn, gpointer data, GError **error)
{
	sqlite3_stmt *st = dp_corpus_db_prepare(db, sql, error);
	if (st == NULL)
		return FALSE;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(st, data);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		g_autofree char *msg = g_strconcat("cannot read ", what, NULL);
		return dp_corpus_db_fail(db, msg, error);
	}
	return TRUE;
}

/* The documents to group again, into temp table regroup_docs; old groups into regroup_groups. */
static gboolean
select_affected(DpCorpusDb *db, gboolean all, GError **error)
{
	if (!dp_corpus_db_exec(db,
	                       "CREATE TEMP TABLE IF NOT EXISTS regroup_docs (doc_id INTEGER PRIMARY KEY);"
	                       "CREATE TEMP TABLE IF NOT EXISTS regroup_groups (group_id INTEGER PRIMARY KEY);"
	                       "DELETE FROM regroup_docs; DELETE FROM regroup_groups;",
	                       error))
		return FALSE;
	if (all)
		return dp_corpus_db_exec(
		    db,
		    "INSERT INTO regroup_docs SELECT doc_id FROM documents WHERE text_hash IS NOT NULL;"
		    "INSERT INTO regroup_groups SELECT group_id FROM dup_groups;",
		    error);
	return dp_corpus_db_exec(
	    db,
	    "INSERT OR IGNORE INTO regroup_docs SELECT t.doc_id FROM touched t JOIN documents d USING (doc_id);"
	    "INSERT OR IGNORE INTO regroup_docs SELECT l2.doc_id FROM touched t JOIN lsh l1 ON l1.doc_id = t.doc_id"
	    " JOIN lsh l2 ON l2.band = l1.band AND l2.bucket = l1.bucket;"
	    "INSERT OR IGNORE INTO regroup_docs SELECT d2.doc_id FROM touched t JOIN documents d1 ON"
	    " d1.doc_id = t.doc_id JOIN documents d2 ON d2.text_hash = d1.text_hash;"
	    "INSERT OR IGNORE INTO regroup_groups SELECT group_id FROM touched_groups;"
	    "INSERT OR IGNORE INTO regroup_groups SELECT m.group_id FROM regroup_docs r JOIN dup_members m USING"
	    " (doc_id);"
	    "INSERT OR IGNORE INTO regroup_docs SELECT m.doc_id FROM regroup_groups g JOIN dup_members m USING"
	    " (group_id);",
	    error);
}

/* The signatures and hashes of the documents to group, best representative first. */
typedef struct {
	GArray *items;             /* of DpDupItem */
	DpMinhash *sigs;           /* one per item */
	GPtrArray *hashes, *names; /* text hashes; sources and parts, two per item */
} Loaded;

static void
loaded_clear(Loaded *l)
{
	if (l->items)
		g_array_unref(l->items);
	g_free(l->sigs);
	if (l->hashes)
		g_ptr_array_unref(l->hashes);
	if (l->names)
		g_ptr_array_unref(l->names);
}

/* The columns of the documents as they are read, before Loaded points into them. */
typedef struct {
	Loaded *l;
	GArray *sigs; /* of DpMinhash */
	GArray *has;  /* of gboolean: whether the signature was read */
} LoadRows;

static void
load_row(sqlite3_stmt *st, gpointer data)
{
	LoadRows *r = data;
	Loaded *l = r->l;
	DpDupItem it = { sqlite3_column_int64(st, 0), NULL, NULL, l->items->len, NULL, NULL };
	g_ptr_array_add(l->hashes, g_strdup((const char *)sqlite3_column_text(st, 1)));
	g_ptr_array_add(l->names, g_strdup((const char *)sqlite3_column_text(st, 3)));
	g_ptr_array_add(l->names, g_strdup((const char *)sqlite3_column_text(st, 4)));
	DpMinhash sig = { { 0 } };
	gboolean ok = dp_minhash_from_bytes(sqlite3_column_blob(st, 2), (gsize)sqlite3_column_bytes(st, 2), &sig);
	g_array_append_val(r->sigs, sig);
	g_array_append_val(r->has, ok);
	g_array_append_val(l->items, it);
}

static gboolean
load_items(DpCorpusDb *db, Loaded *l, GError **error)
{
	l->items = g_array_new(FALSE, TRUE, sizeof(DpDupItem));
	l->hashes = g_ptr_array_new_with_free_func(g_free);
	l->names = g_ptr_array_new_with_free_func(g_free);
	LoadRows r = { l, g_array_new(FALSE, FALSE, sizeof(DpMinhash)), g_array_new(FALSE, FALSE, sizeof(gboolean)) };
	gboolean ok = each_row(
	    db,
	    "SELECT d.doc_id, d.text_hash, d.minhash, d.source, d.part FROM regroup_docs r JOIN documents d"
	    " USING (doc_id)"
	    " WHERE d.text_hash IS NOT NULL ORDER BY d.has_text_layer DESC, d.date IS NULL, d.date, d.source, d.part",
	    "documents", load_row, &r, error);
	/* Pointers into the arrays only once they stop growing. */
	l->sigs = (DpMinhash *)g_array_free(r.sigs, FALSE);
	for (guint i = 0; i < l->items->len; i++) {
		DpDupItem *it = &g_array_index(l->items, DpDupItem, i);
		it->text_hash = l->hashes->pdata[i];
		it->source = l->names->pdata[2 * i];
		it->part = l->names->pdata[2 * i + 1] ? l->names->pdata[2 * i + 1] : "";
		it->sig = g_array_index(r.has, gboolean, i) ? &l->sigs[i] : NULL;
	}
	g_array_unref(r.has);
	return ok;
}

static gboolean
store_groups(DpCorpusDb *db, GPtrArray *groups, GError **error)
{
	if (!dp_corpus_db_exec(db,
	                       "DELETE FROM dup_members WHERE group_id IN (SELECT group_id FROM regroup_groups);"
	                       "DELETE FROM dup_groups WHERE group_id IN (SELECT group_id FROM regroup_groups);",
	                       error))
		return FALSE;
	sqlite3_stmt *g =
	    dp_corpus_db_prepare(db, "INSERT INTO dup_groups (kind, representative, members) VALUES (?, ?, ?)", error);
	sqlite3_stmt *m = g ? dp_corpus_db_prepare(
	                          db, "INSERT INTO dup_members (group_id, doc_id, similarity) VALUES (?, ?, ?)", error)
	                    : NULL;
	gboolean ok = m != NULL;
	for (guint i = 0; ok && i < groups->len; i++) {
		const DpDupGroup *grp = groups->pdata[i];
		sqlite3_reset(g);
		sqlite3_bind_text(g, 1, grp->near ? "near" : "exact", -1, SQLITE_STATIC);
		sqlite3_bind_int64(g, 2, grp->rep);
		sqlite3_bind_int(g, 3, (int)grp->members->len);
		ok = sqlite3_step(g) == SQLITE_DONE || dp_corpus_db_fail(db, "cannot store a group", error);
		gint64 id = sqlite3_last_insert_rowid(db->db);
		for (guint k = 0; ok && k < grp->members->len; k++) {
			const DpDupMember *mem = &g_array_index(grp->members, DpDupMember, k);
			sqlite3_reset(m);
			sqlite3_bind_int64(m, 1, id);
			sqlite3_bind_int64(m, 2, mem->id);
			/* Three decimals: an estimate from 128 values says no more. */
			sqlite3_bind_double(m, 3, (double)(gint64)(mem->similarity * 1000 + 0.5) / 1000);
			ok = sqlite3_step(m) == SQLITE_DONE || dp_corpus_db_fail(db, "cannot store a member", error);
		}
	}
	sqlite3_finalize(g);
	sqlite3_finalize(m);
	return ok;
}

static gboolean
regroup(DpCorpusDb *db, gboolean all, double threshold, GString *stats, GError **error)
{
	if (!select_affected(db, all, error))
		return FALSE;
	Loaded l = { 0 };
	gboolean ok = load_items(db, &l, error);
	guint64 compared = 0;
	g_autoptr(GPtrArray) groups =
	    ok ? dp_dups_group((const DpDupItem *)l.items->data, l.items->len, threshold, &compared) : NULL;
	ok = ok && store_groups(db, groups, error) &&
	     dp_corpus_db_exec(db, "DELETE FROM touched; DELETE FROM touched_groups;", error);
	if (ok && stats != NULL)
		g_string_append_printf(stats,
		                       "grouped %u documents (%" G_GUINT64_FORMAT " pairs compared) into %u groups",
		                       l.items->len, compared, groups->len);
	loaded_clear(&l);
	return ok;
}

/* Group and thread ids in the order of their representative's or root's source and part. */
static gboolean
renumber(DpCorpusDb *db, GError **error)
{
	return dp_corpus_db_exec(
	    db,
	    "DROP TABLE IF EXISTS temp.idmap;"
	    "CREATE TEMP TABLE idmap (old INTEGER PRIMARY KEY, new INTEGER);"
	    "INSERT INTO idmap SELECT g.group_id, row_number() OVER (ORDER BY d.source, d.part, g.group_id)"
	    " FROM dup_groups g LEFT JOIN documents d ON d.doc_id = g.representative;"
	    "UPDATE dup_groups SET group_id = -(SELECT new FROM idmap WHERE old = group_id);"
	    "UPDATE dup_members SET group_id = -(SELECT new FROM idmap WHERE old = group_id);"
	    "UPDATE dup_groups SET group_id = -group_id; UPDATE dup_members SET group_id = -group_id;"
	    "DROP TABLE temp.idmap;",
	    error);
}

/* ---------------------------------------------------------------------- */
/* Threads.                                                               */

/*
 * The columns of one message as loaded.  The strings are the ThreadRows'
 * chunk's, which holds those of every message and is freed at once; only
 * the REFS array is the message's own.
 */
typedef struct {
	char *mid, *node_key, *minute_key, *subject_key, *date, *doc, *subject;
	char **refs;
	char *people[3]; /* from, to, cc */
	DpMinhash sig;
	gboolean has_sig;
} MsgCols;

static void
msgcols_clear(gpointer p)
{
	g_strfreev(((MsgCols *)p)->refs);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v != NULL && *v != '\0' ? g_strdup(v) : NULL;
}

/* Column I of ST as a string of STRINGS; NULL for NULL or "". */
static char *
col_str(GStringChunk *strings, sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v != NULL && *v != '\0' ? g_string_chunk_insert(strings, v) : NULL;
}

/*
 * The names in an address list: split at ';', and at ',' only after an
 * address ("a@b.org, c@d.org", "X <x@y>, Z"), so that "Mills, Cheryl D"
 * stays one name; "Name <address>" counts as its name.
 */
static void
add_people(GHashTable *set, const char *list)
{
	if (list == NULL)
		return;
	g_autoptr(GString) cur = g_string_new(NULL);
	for (const char *p = list;; p++) {
		gboolean cut = *p == '\0' || *p == ';' ||
		               (*p == ',' && (strchr(cur->str, '@') != NULL || strchr(cur->str, '>') != NULL ||
		                              strchr(cur->str, ']') != NULL));
		if (!cut) {
			g_string_append_c(cur, *p);
			continue;
		}
		g_autofree char *name = g_strstrip(g_strdup(cur->str));
		/* "Name <address>" is its name: the same person printed with and without the address. */
		char *lt = strchr(name, '<');
		if (lt != NULL && lt > name) {
			*lt = '\0';
			g_strstrip(name);
		}
		if (*name != '\0')
			g_hash_table_add(set, g_steal_pointer(&name));
		g_string_truncate(cur, 0);
		if (*p == '\0')
			break;
	}
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(a, b);
}

static char *
join_sorted(GHashTable *set)
{
	g_autoptr(GList) names = g_list_sort(g_hash_table_get_keys(set), cmp_str);
	GString *s = g_string_new(NULL);
	for (GList *l = names; l != NULL; l = l->next)
		g_string_append_printf(s, "%s%s", l == names ? "" : "; ", (const char *)l->data);
	return g_string_free(s, FALSE);
}

static gboolean
store_threads(DpCorpusDb *db, const DpThreadMsg *msgs, GArray *cols, gsize n, GArray *threads,
              const DpThreadPlace *places, GError **error)
{
	if (!dp_corpus_db_exec(db, "DELETE FROM threads", error))
		return FALSE;
	sqlite3_stmt *up = dp_corpus_db_prepare(
	    db, "UPDATE messages SET thread_id = ?, parent_id = ?, depth = ?, node_id = ? WHERE msg_id = ?", error);
	sqlite3_stmt *ins = up ? dp_corpus_db_prepare(db,
	                                              "INSERT INTO threads (thread_id, root_msg, subject, messages,"
	                                              " depth, participants, first_date, last_date) VALUES"
	                                              " (?, ?, ?, ?, ?, ?, ?, ?)",
	                                              error)
	                       : NULL;
	gboolean ok = ins != NULL;
	GHashTable **people = g_new0(GHashTable *, threads->len + 1);
	const char **first = g_new0(const char *, threads->len + 1);
	const char **last = g_new0(const char *, threads->len + 1);
	for (gsize i = 0; ok && i < n; i++) {
		const DpThreadPlace *p = &places[i];
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, p->thread + 1);
		if (p->parent >= 0)
			sqlite3_bind_int64(up, 2, p->parent);
		else
			sqlite3_bind_null(up, 2);
		sqlite3_bind_int(up, 3, (int)p->depth);
		sqlite3_bind_int64(up, 4, p->node);
		sqlite3_bind_int64(up, 5, msgs[i].id);
		ok = sqlite3_step(up) == SQLITE_DONE || dp_corpus_db_fail(db, "cannot store a message's thread", error);
		const MsgCols *c = &g_array_index(cols, MsgCols, i);
		if (people[p->thread] == NULL)
			people[p->thread] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (int k = 0; k < 3; k++)
			add_people(people[p->thread], c->people[k]);
		if (c->date != NULL && (first[p->thread] == NULL || strcmp(c->date, first[p->thread]) < 0))
			first[p->thread] = c->date;
		if (c->date != NULL && (last[p->thread] == NULL || strcmp(c->date, last[p->thread]) > 0))
			last[p->thread] = c->date;
	}
	for (guint t = 0; ok && t < threads->len; t++) {
		const DpThread *th = &g_array_index(threads, DpThread, t);
		const MsgCols *root = &g_array_index(cols, MsgCols, th->first);
		g_autofree char *who = people[t] ? join_sorted(people[t]) : g_strdup("");
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, t + 1);
		sqlite3_bind_int64(ins, 2, th->root);
		sqlite3_bind_text(ins, 3, root->subject, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 4, (int)th->nodes);
		sqlite3_bind_int(ins, 5, (int)th->depth);
		sqlite3_bind_text(ins, 6, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, first[t], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, last[t], -1, SQLITE_STATIC);
		ok = sqlite3_step(ins) == SQLITE_DONE || dp_corpus_db_fail(db, "cannot store a thread", error);
	}
	for (guint t = 0; t < threads->len; t++)
		if (people[t])
			g_hash_table_unref(people[t]);
	g_free(people);
	g_free(first);
	g_free(last);
	sqlite3_finalize(up);
	sqlite3_finalize(ins);
	return ok;
}

/* The messages as they are read, before MSGS points into COLS. */
typedef struct {
	GArray *msgs;          /* of DpThreadMsg */
	GArray *cols;          /* of MsgCols */
	GStringChunk *strings; /* the strings of COLS */
} ThreadRows;

static void
thread_row(sqlite3_stmt *st, gpointer data)
{
	ThreadRows *r = data;
	MsgCols c = { 0 };
	c.mid = col_str(r->strings, st, 2);
	g_autofree char *refs = col_dup(st, 3);
	c.refs = refs ? g_strsplit(refs, " ", -1) : NULL;
	c.node_key = col_str(r->strings, st, 4);
	/* "FULL MINUTE": the key, then the sender and minute alone (batch/corpusrows.c). */
	char *space = c.node_key ? strchr(c.node_key, ' ') : NULL;
	if (space != NULL) {
		c.minute_key = g_string_chunk_insert(r->strings, space + 1);
		*space = '\0';
	}
	c.subject_key = col_str(r->strings, st, 5);
	c.date = col_str(r->strings, st, 7);
	g_autofree char *chain = col_dup(st, 8);
	g_autofree char *source = col_dup(st, 15);
	g_autofree char *doc = chain ? g_strconcat(source ? source : "", "\t", chain, NULL) : NULL;
	c.doc = doc ? g_string_chunk_insert(r->strings, doc) : NULL;
	c.has_sig = dp_minhash_from_bytes(sqlite3_column_blob(st, 10), (gsize)sqlite3_column_bytes(st, 10), &c.sig);
	for (int k = 0; k < 3; k++)
		c.people[k] = col_str(r->strings, st, 11 + k);
	c.subject = col_str(r->strings, st, 14);
	DpThreadMsg m = { .id = sqlite3_column_int64(st, 0),
		          .printed = g_strcmp0((const char *)sqlite3_column_text(st, 1), "printed") == 0,
		          .reply = sqlite3_column_int(st, 6) != 0,
		          .seq = (guint)sqlite3_column_int(st, 9) };
	g_array_append_val(r->msgs, m);
	g_array_append_val(r->cols, c);
}

static gboolean
rethread(DpCorpusDb *db, GString *stats, GError **error)
{
	g_autoptr(GArray) msgs = g_array_new(FALSE, TRUE, sizeof(DpThreadMsg));
	g_autoptr(GArray) cols = g_array_new(FALSE, TRUE, sizeof(MsgCols));
	g_array_set_clear_func(cols, msgcols_clear);
	g_autoptr(GStringChunk) strings = g_string_chunk_new(64 << 10);
	ThreadRows r = { msgs, cols, strings };
	/* A printed chain's messages together and in print order; the rest by source and part. */
	if (!each_row(db,
	              "SELECT m.msg_id, m.kind, m.mid, m.refs, m.node_key, m.subject_key, m.reply, m.date, m.chain,"
	              " m.seq, d.minhash, m.\"from\", m.\"to\", m.cc, m.subject, m.source FROM messages m LEFT JOIN"
	              " documents d ON d.doc_id = m.doc_id ORDER BY m.source, coalesce(m.chain, ''), m.seq, m.part,"
	              " m.msg_id",
	              "messages", thread_row, &r, error))
		return FALSE;
	/* Pointers into COLS only once it stops growing. */
	for (guint i = 0; i < msgs->len; i++) {
		DpThreadMsg *m = &g_array_index(msgs, DpThreadMsg, i);
		const MsgCols *c = &g_array_index(cols, MsgCols, i);
		m->mid = c->mid;
		m->refs = (const char *const *)c->refs;
		m->node_key = c->node_key;
		m->minute_key = c->minute_key;
		m->subject_key = c->subject_key;
		m->date = c->date;
		m->doc = c->doc;
		m->sig = c->has_sig ? &c->sig : NULL;
	}
	DpThreadPlace *places = g_new0(DpThreadPlace, msgs->len + 1);
	g_autoptr(GArray) threads = dp_threads_build((const DpThreadMsg *)msgs->data, msgs->len, SAME_PRINTED, places);
	gboolean ok = store_threads(db, (const DpThreadMsg *)msgs->data, cols, msgs->len, threads, places, error);
	g_free(places);
	if (ok && stats != NULL)
		g_string_append_printf(stats, "%sthreaded %u messages into %u threads", stats->len ? "; " : "",
		                       msgs->len, threads->len);
	return ok;
}

/* Whether TABLE (a name from this file) has a row. */
static gboolean
has_rows(DpCorpusDb *db, const char *table)
{
	g_autofree char *sql = g_strdup_printf("SELECT 1 FROM %s LIMIT 1", table);
	sqlite3_stmt *st = dp_corpus_db_prepare(db, sql, NULL);
	gboolean any = st != NULL && sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

gboolean
dp_corpus_db_update(DpCorpusDb *db, int threshold_pct, int shingle, GString *stats, GError **error)
{
	/* The buckets of the documents just stored are the candidates' way in. */
	if (!dp_corpus_db_begin(db, error) || !dp_corpus_db_flush_lsh(db, error))
		return FALSE;
	g_autofree char *params = g_strdup_printf("near-threshold=%d shingle=%d", threshold_pct, shingle);
	g_autofree char *grouped = dp_corpus_db_get_meta(db, "grouped");
	g_autofree char *dirty = dp_corpus_db_get_meta(db, "threads-dirty");
	gboolean all = grouped == NULL || !g_str_equal(grouped, params);
	if (!all && g_strcmp0(dirty, "1") != 0 && !has_rows(db, "touched") && !has_rows(db, "touched_groups"))
		return dp_corpus_db_commit(db, error); /* nothing changed since the last update */
	gboolean ok = regroup(db, all, threshold_pct / 100.0, stats, error) &&
	              (g_strcmp0(dirty, "1") != 0 || rethread(db, stats, error)) && renumber(db, error) &&
	              dp_corpus_db_set_meta(db, "grouped", params, error) &&
	              dp_corpus_db_set_meta(db, "threads-dirty", "0", error);
	return ok && dp_corpus_db_commit(db, error);
}
