/*
 * corpus-test.c: MinHash signatures, LSH candidates and duplicate groups
 * (corpus/minhash.c, corpus/dups.c), and threads (corpus/threads.c), on
 * texts and messages made here; the LSH rows of the corpus database
 * (corpus/corpusdb.c), which are written when a transaction commits.
 */
#include "corpus/corpusdb.h"
#include "corpus/dups.h"
#include "corpus/minhash.h"
#include "corpus/threads.h"
#include "util/hash.h"

#include "unit.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

/* A text of N words from a small deterministic generator; SEED picks the words. */
static GString *
words(guint seed, guint n)
{
	static const char *const vocab[] = { "budget", "meeting", "report",  "tomorrow", "state", "office", "call",
		                             "draft",  "review",  "policy",  "minister", "press", "brief",  "agenda",
		                             "note",   "memo",    "release", "travel",   "visit", "cable" };
	GString *s = g_string_new(NULL);
	guint32 x = seed * 2654435761u + 1;
	for (guint i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		g_string_append_printf(s, "%s%s%u", i ? " " : "", vocab[(x >> 16) % G_N_ELEMENTS(vocab)],
		                       (x >> 8) % 97);
	}
	return s;
}

static void
sign(const char *text, DpMinhash *h)
{
	g_autoptr(GString) norm = dp_minhash_normalize(text, strlen(text));
	g_assert_true(dp_minhash_sign(norm->str, 5, h));
}

static void
test_normalize(void)
{
	const char *in = "Hello,  WORLD!\n\fÉtat-major 42";
	g_autoptr(GString) n = dp_minhash_normalize(in, strlen(in));
	g_assert_cmpstr(n->str, ==, "hello world \xc3\xa9tat major 42");
	DpMinhash h;
	g_assert_false(dp_minhash_sign("", 5, &h));
}

static void
test_similarity_estimates_jaccard(void)
{
	/* 200 words; B changes 4 words in the middle: 20 of 196 shingles differ on each side. */
	g_autoptr(GString) a = words(1, 200);
	g_auto(GStrv) w = g_strsplit(a->str, " ", -1);
	for (guint i = 50; i < 200; i += 40)
		w[i][0] = 'X';
	g_autofree char *b = g_strjoinv(" ", w);
	DpMinhash ha, hb, hc;
	sign(a->str, &ha);
	sign(b, &hb);
	g_assert_cmpfloat(dp_minhash_similarity(&ha, &ha), ==, 1.0);
	double truth = 176.0 / 216.0;
	g_assert_cmpfloat(fabs(dp_minhash_similarity(&ha, &hb) - truth), <, 0.12);
	g_autoptr(GString) c = words(2, 200);
	sign(c->str, &hc);
	g_assert_cmpfloat(dp_minhash_similarity(&ha, &hc), <, 0.1);
	/* The bands of the same text agree; of unrelated texts, almost never. */
	guint same = 0;
	for (guint band = 0; band < DP_MINHASH_BANDS; band++) {
		g_assert_cmpuint(dp_minhash_band(&ha, band), ==, dp_minhash_band(&ha, band));
		same += dp_minhash_band(&ha, band) == dp_minhash_band(&hc, band);
	}
	g_assert_cmpuint(same, ==, 0);
	/* Round trips. */
	g_autofree char *s = dp_minhash_to_string(&ha);
	DpMinhash back;
	g_assert_true(dp_minhash_from_string(s, &back));
	g_assert_cmpmem(&back, sizeof back, &ha, sizeof ha);
	g_assert_false(dp_minhash_from_string("AAAA", &back));
}

static void
test_groups_exact_near_and_apart(void)
{
	/* 0,1: same text; 2: 0 with one word changed in 300 (near); 3: unrelated; 4: no text. */
	g_autoptr(GString) t0 = words(7, 300);
	g_autoptr(GString) t2 = g_string_new(t0->str);
	t2->str[t2->len / 2] = 'Q';
	g_autoptr(GString) t3 = words(8, 300);
	DpMinhash h0, h2, h3;
	sign(t0->str, &h0);
	sign(t2->str, &h2);
	sign(t3->str, &h3);
	DpDupItem items[] = {
		{ 10, "aaa", &h0, 3, NULL, NULL }, { 11, "aaa", &h0, 1, NULL, NULL }, { 12, "bbb", &h2, 2, NULL, NULL },
		{ 13, "ccc", &h3, 0, NULL, NULL }, { 14, NULL, NULL, 4, NULL, NULL },
	};
	guint64 compared = 0;
	g_autoptr(GPtrArray) groups = dp_dups_group(items, G_N_ELEMENTS(items), 0.9, &compared);
	g_assert_cmpuint(groups->len, ==, 1);
	DpDupGroup *g = groups->pdata[0];
	g_assert_true(g->near);
	g_assert_cmpint(g->rep, ==, 11);
	g_assert_cmpuint(g->members->len, ==, 3);
	g_assert_cmpint(g_array_index(g->members, DpDupMember, 1).id, ==, 12);
	g_assert_cmpfloat(g_array_index(g->members, DpDupMember, 1).similarity, >=, 0.9);
	g_assert_cmpfloat(g_array_index(g->members, DpDupMember, 2).similarity, ==, 1.0);
	/* The unrelated text was never compared with the others. */
	g_assert_cmpuint(compared, <=, 1);
}

static void
test_groups_never_join_a_part_to_its_container(void)
{
	/* A document holding one printed message, and the message: near, but one is inside the other. */
	g_autoptr(GString) t0 = words(9, 300);
	g_autoptr(GString) t1 = g_string_new(t0->str);
	g_string_append(t1, " From Sent To Subject");
	DpMinhash h0, h1;
	sign(t0->str, &h0);
	sign(t1->str, &h1);
	DpDupItem items[] = {
		{ 1, "doc", &h1, 0, "a.pdf", "" },
		{ 2, "msg", &h0, 1, "a.pdf", "message 1" },
		{ 3, "msg2", &h0, 2, "b.pdf", "message 1" },
	};
	g_autoptr(GPtrArray) apart = dp_dups_group(items, 2, 0.9, NULL);
	g_assert_cmpuint(apart->len, ==, 0);
	/* A copy elsewhere still joins both. */
	g_autoptr(GPtrArray) joined = dp_dups_group(items, 3, 0.9, NULL);
	g_assert_cmpuint(joined->len, ==, 1);
}

static void
test_groups_are_subquadratic(void)
{
	/* 3000 unrelated texts, 200 of them with a near copy: candidates only, not 5 million pairs. */
	guint n = 3200;
	DpMinhash *h = g_new(DpMinhash, n);
	DpDupItem *items = g_new0(DpDupItem, n);
	char **hashes = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++) {
		g_autoptr(GString) t = words(i < 3000 ? 1000 + i : 1000 + (i - 3000) * 7, 80);
		if (i >= 3000)
			t->str[0] = 'Z';
		sign(t->str, &h[i]);
		hashes[i] = g_strdup_printf("%u", i);
		items[i] = (DpDupItem){ i, hashes[i], &h[i], i, NULL, NULL };
	}
	guint64 compared = 0;
	g_autoptr(GPtrArray) groups = dp_dups_group(items, n, 0.9, &compared);
	g_assert_cmpuint(groups->len, ==, 200);
	g_assert_cmpuint(compared, <, 2000);
	g_strfreev(hashes);
	g_free(items);
	g_free(h);
}

static void
test_threads_jwz_and_printed(void)
{
	const char *r1[] = { "m1", NULL };
	const char *r2[] = { "m1", "m2", NULL };
	const char *rx[] = { "gone", NULL };
	DpThreadMsg m[] = {
		/* A real thread m1 <- m2 <- m3, m3 given first. */
		{ .id = 1, .mid = "m3", .refs = r2, .date = "2014-01-03T10:00Z" },
		{ .id = 2, .mid = "m1", .date = "2014-01-01T10:00Z", .subject_key = "s" },
		{ .id = 3, .mid = "m2", .refs = r1, .date = "2014-01-02T10:00Z" },
		/* Two replies to a message never found: one thread, under the earlier. */
		{ .id = 4, .mid = "a", .refs = rx, .date = "2014-02-02T00:00Z" },
		{ .id = 5, .mid = "b", .refs = rx, .date = "2014-02-01T00:00Z" },
		/* A printed chain p2 <- p1 in doc A, and p1 again alone in doc B. */
		{ .id = 6, .printed = TRUE, .node_key = "k2", .doc = "A", .seq = 1 },
		{ .id = 7, .printed = TRUE, .node_key = "k1", .doc = "A", .seq = 2 },
		{ .id = 8, .printed = TRUE, .node_key = "k1", .doc = "B", .seq = 1 },
		/* Same subject, not a reply: its own thread. */
		{ .id = 9, .mid = "z", .subject_key = "s", .date = "2014-01-05T00:00Z" },
	};
	DpThreadPlace p[G_N_ELEMENTS(m)];
	g_autoptr(GArray) t = dp_threads_build(m, G_N_ELEMENTS(m), 0.5, p);
	g_assert_cmpuint(t->len, ==, 4);
	g_assert_cmpint(p[0].parent, ==, 3);
	g_assert_cmpuint(p[0].depth, ==, 2);
	g_assert_cmpint(p[1].parent, ==, -1);
	g_assert_cmpuint(p[0].thread, ==, p[1].thread);
	g_assert_cmpint(g_array_index(t, DpThread, p[0].thread).root, ==, 2);
	g_assert_cmpuint(g_array_index(t, DpThread, p[0].thread).nodes, ==, 3);
	g_assert_cmpint(p[3].parent, ==, 5);
	g_assert_cmpint(p[4].parent, ==, -1);
	g_assert_cmpint(p[5].parent, ==, 7);
	g_assert_cmpint(p[7].node, ==, 7);
	g_assert_cmpuint(p[7].thread, ==, p[5].thread);
	g_assert_cmpuint(g_array_index(t, DpThread, p[5].thread).nodes, ==, 2);
	g_assert_cmpuint(p[8].thread, !=, p[1].thread);
	gboolean reply;
	g_autofree char *s = dp_threads_subject("RE: Fwd:  Re[2]: The  Budget", &reply);
	g_assert_true(reply);
	g_assert_cmpstr(s, ==, "the budget");
}

static void
test_threads_subject_fallback(void)
{
	/* Replies without ids join the latest message before them with their subject, never a later one. */
	DpThreadMsg m[] = {
		{ .id = 1, .subject_key = "x", .date = "2014-01-01T00:00Z" },
		{ .id = 2, .subject_key = "x", .date = "2014-01-03T00:00Z" },
		{ .id = 3, .subject_key = "x", .reply = TRUE, .date = "2014-01-04T00:00Z" },
		{ .id = 4, .subject_key = "x", .reply = TRUE, .date = "2014-01-02T00:00Z" },
		{ .id = 5, .subject_key = "x", .reply = TRUE, .date = "2013-12-31T00:00Z" },
	};
	DpThreadPlace p[G_N_ELEMENTS(m)];
	g_autoptr(GArray) t = dp_threads_build(m, G_N_ELEMENTS(m), 0.5, p);
	g_assert_cmpint(p[2].parent, ==, 2);
	g_assert_cmpint(p[3].parent, ==, 1);
	g_assert_cmpint(p[4].parent, ==, -1);
	g_assert_cmpint(p[1].parent, ==, -1);
	g_assert_cmpuint(t->len, ==, 3);
}

static void
test_threads_printed_keys(void)
{
	/* Three unrelated bodies, and near copies of two of them (a word changed, as OCR does). */
	static const char *const texts[] = {
		"the minister will see the delegation on tuesday after the briefing at the embassy and before the "
		"dinner with the press corps in the old town hall near the river",
		"the minister will see the delegation on tuesday after the brieflng at the embassy and before the "
		"dinner with the press corps in the old town hall near the river",
		"parking passes for the garage on c street are ready at the front desk of the annex and must be "
		"returned by friday evening to the security office on the second floor",
		"budget figures for the third quarter show the travel line over by a tenth while the training line "
		"stays under its ceiling for the whole of the fiscal year ahead of us",
		"budget figures for the third quarter show the travel line over by a tenth while the training line "
		"stays under its ceiling for the whole of the fiscal year ahead of you",
	};
	DpMinhash h[G_N_ELEMENTS(texts)];
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
		sign(texts[i], &h[i]);
	DpThreadMsg m[] = {
		{ .id = 1, .printed = TRUE, .node_key = "k", .minute_key = "w", .doc = "A", .seq = 1, .sig = &h[0] },
		/* The same key, a near body: the same message. */
		{ .id = 2, .printed = TRUE, .node_key = "k", .minute_key = "w", .doc = "B", .seq = 1, .sig = &h[1] },
		/* OCR damaged the subject: the same sender and minute, the same body. */
		{ .id = 3, .printed = TRUE, .node_key = "k2", .minute_key = "w", .doc = "C", .seq = 1, .sig = &h[0] },
		/* The same sender and minute, another subject and body: another message. */
		{ .id = 4, .printed = TRUE, .node_key = "k3", .minute_key = "w", .doc = "D", .seq = 1, .sig = &h[2] },
		/* The same key but a clearly different body: another message. */
		{ .id = 5, .printed = TRUE, .node_key = "k", .minute_key = "w", .doc = "E", .seq = 1, .sig = &h[3] },
		/* Two candidates under the key: the body picks the nearer. */
		{ .id = 6, .printed = TRUE, .node_key = "k", .minute_key = "w", .doc = "F", .seq = 1, .sig = &h[4] },
		/* No signature: the key alone decides. */
		{ .id = 7, .printed = TRUE, .node_key = "k3", .minute_key = "w", .doc = "G", .seq = 1 },
	};
	DpThreadPlace p[G_N_ELEMENTS(m)];
	g_autoptr(GArray) t = dp_threads_build(m, G_N_ELEMENTS(m), 0.5, p);
	g_assert_cmpint(p[1].node, ==, 1);
	g_assert_cmpint(p[2].node, ==, 1);
	g_assert_cmpint(p[3].node, ==, 4);
	g_assert_cmpint(p[4].node, ==, 5);
	g_assert_cmpint(p[5].node, ==, 5);
	g_assert_cmpint(p[6].node, ==, 4);
	g_assert_cmpuint(t->len, ==, 3);
}

/* Store TEXT as input SOURCE of DB, as a run stores a worker's rows. */
static void
db_put(DpCorpusDb *db, const char *source, const char *text)
{
	g_autoptr(GString) norm = dp_minhash_normalize(text, strlen(text));
	DpMinhash h;
	g_assert_true(dp_minhash_sign(norm->str, 5, &h));
	g_autofree char *hash = dp_sha256_hex(norm->str, norm->len);
	g_autofree char *sig = dp_minhash_to_string(&h);
	g_autofree char *rows =
	    g_strdup_printf("D\t\ttext/plain\tok\t\t\t\t\t%u\t\t\t%s\t%s\t1\n", (guint)strlen(text), hash, sig);
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_corpus_db_put_input(db, source, "ok", NULL, NULL, rows, &error));
	g_assert_no_error(error);
}

static gint64
db_count(DpCorpusDb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	g_assert_cmpint(sqlite3_prepare_v2(dp_corpus_db_sqlite(db), sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	gint64 n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_db_lsh_rows_once_per_document(void)
{
	g_autofree char *dir = g_dir_make_tmp("corpus-test.XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "corpus.sqlite", NULL);
	g_autoptr(GString) t0 = words(7, 300);
	g_autoptr(GString) t1 = g_string_new(t0->str);
	t1->str[t1->len / 2] = 'Q';
	g_autoptr(GError) error = NULL;
	DpCorpusDb *db = dp_corpus_db_open(path, TRUE, NULL, &error);
	g_assert_no_error(error);
	/*
	 * The same input twice in one transaction: its first rows are still
	 * pending when it is replaced, and its new row may take the same
	 * doc_id; it must keep one set of buckets, not two.
	 */
	db_put(db, "a.txt", t0->str);
	db_put(db, "a.txt", t0->str);
	db_put(db, "b.txt", t1->str);
	g_assert_true(dp_corpus_db_commit(db, &error));
	g_assert_true(dp_corpus_db_update(db, 90, 5, NULL, &error));
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM lsh"), ==, 2 * DP_MINHASH_BANDS);
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('lsh_bucket', 'lsh_doc')"), ==,
	                2);
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM dup_members"), ==, 2);
	/* An update adds to the indexes as they are, and finds its candidate through them. */
	db_put(db, "c.txt", t0->str);
	g_assert_true(dp_corpus_db_commit(db, &error));
	g_assert_true(dp_corpus_db_update(db, 90, 5, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM lsh"), ==, 3 * DP_MINHASH_BANDS);
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM dup_groups"), ==, 1);
	g_assert_cmpint(db_count(db, "SELECT count(*) FROM dup_members"), ==, 3);
	dp_corpus_db_close(db);
	for (const char *const *s = (const char *const[]){ "", "-wal", "-shm", NULL }; *s != NULL; s++) {
		g_autofree char *f = g_strconcat(path, *s, NULL);
		g_unlink(f);
	}
	g_rmdir(dir);
}

DP_UNIT_MAIN("corpus", test_normalize, test_similarity_estimates_jaccard, test_groups_exact_near_and_apart,
             test_groups_never_join_a_part_to_its_container, test_groups_are_subquadratic, test_threads_jwz_and_printed,
             test_threads_subject_fallback, test_threads_printed_keys, test_db_lsh_rows_once_per_document)
