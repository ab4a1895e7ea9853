/*
 * run-test: the pieces of `docpipe run` that are plain functions: the walk
 * and --files-from checks, shards, the ledger, JSON strings, the corpus
 * rows' character count.
 */
#include "batch/corpusrows.h"
#include "batch/ledger.h"
#include "batch/walk.h"
#include "util/exitcode.h"
#include "util/json.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "unit.h"

#include "util/banned.h"

static guint n_warnings;

static void
count_warning(const char *msg)
{
	n_warnings++;
}

static void
put(const char *root, const char *rel, const char *text)
{
	g_autofree char *p = g_build_filename(root, rel, NULL);
	g_autofree char *dir = g_path_get_dirname(p);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0777), ==, 0);
	g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static char *
rels(GPtrArray *inputs)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < inputs->len; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", ((DpInput *)inputs->pdata[i])->rel);
	return g_string_free(s, FALSE);
}

static void
test_shard(void)
{
	/* Values fixed by the definition: SHA-256 of the path, first 8 bytes big-endian, mod N, plus 1. */
	g_assert_cmpuint(dp_shard_of("a/b.txt", 3), ==, 3);
	g_assert_cmpuint(dp_shard_of("a/b.txt", 7), ==, 1);
	g_assert_cmpuint(dp_shard_of("x", 3), ==, 1);
	g_assert_cmpuint(dp_shard_of("dir/sub/file.pdf", 7), ==, 5);
	g_assert_cmpuint(dp_shard_of("anything", 1), ==, 1);
}

static void
test_inside(void)
{
	g_assert_true(dp_path_is_inside("/a/b", "/a/b"));
	g_assert_true(dp_path_is_inside("/a/b", "/a/b/c"));
	g_assert_false(dp_path_is_inside("/a/b", "/a/bc"));
	g_assert_false(dp_path_is_inside("/a/b", "/a"));
	g_assert_true(dp_path_is_inside("/", "/x"));
}

static void
test_walk(void)
{
	g_autofree char *tmp = g_dir_make_tmp("run-test-XXXXXX", NULL);
	g_autofree char *root = g_build_filename(tmp, "in", NULL);
	g_autofree char *out = g_build_filename(root, "out", NULL);
	put(root, "b.txt", "b");
	put(root, "a/z.txt", "z");
	put(root, "a.txt", "a");
	put(root, ".docpipe/skip.txt", "s");
	put(root, "out/skip.txt", "s");
	put(tmp, "secret.txt", "s");
	g_autofree char *loop = g_build_filename(root, "a", "loop", NULL);
	g_autofree char *leak = g_build_filename(root, "leak.txt", NULL);
	g_assert_cmpint(symlink("..", loop), ==, 0);
	g_assert_cmpint(symlink("../secret.txt", leak), ==, 0);
	g_autofree char *real = realpath(root, NULL);
	g_autofree char *real_out = realpath(out, NULL);
	g_autoptr(GError) error = NULL;
	n_warnings = 0;
	g_autoptr(GPtrArray) in = dp_walk(real, real_out, count_warning, &error);
	g_assert_no_error(error);
	g_autofree char *got = rels(in);
	/* Byte order: "a.txt" < "a/z.txt"; the loop back to IN is entered once. */
	g_assert_cmpstr(got, ==, "a.txt,a/z.txt,b.txt");
	g_assert_cmpuint(n_warnings, ==, 1); /* leak.txt */

	const char list[] = "b.txt\0../secret.txt\0/etc/passwd\0a/../../secret.txt\0missing\0in/a.txt\0"
	                    "./b.txt\0out/skip.txt\0.docpipe/skip.txt\0a\0";
	g_autoptr(GBytes) lb = g_bytes_new_static(list, sizeof list - 1);
	guint rejected = 0;
	g_autofree char *given = g_build_filename(tmp, "in", NULL);
	g_autoptr(GPtrArray) l = dp_walk_list(real, "in", lb, real_out, count_warning, &rejected);
	g_autofree char *got2 = rels(l);
	g_assert_cmpstr(got2, ==, "a.txt,b.txt");
	g_assert_cmpuint(rejected, ==, 7);
	/* Newline-separated, absolute paths below IN. */
	g_autofree char *nl = g_strdup_printf("%s/a/z.txt\n\n%s/b.txt\n", given, real);
	g_autoptr(GBytes) lb2 = g_bytes_new(nl, strlen(nl));
	g_autoptr(GPtrArray) l2 = dp_walk_list(real, given, lb2, NULL, count_warning, &rejected);
	g_autofree char *got3 = rels(l2);
	g_assert_cmpstr(got3, ==, "a/z.txt,b.txt");
	g_assert_cmpuint(rejected, ==, 0);
	/* IN/in/q.txt exists: "in/q.txt" is that file, not IN/q.txt. */
	put(root, "in/q.txt", "q");
	const char list3[] = "in/q.txt\n";
	g_autoptr(GBytes) lb3 = g_bytes_new_static(list3, sizeof list3 - 1);
	g_autoptr(GPtrArray) l3 = dp_walk_list(real, "in", lb3, NULL, count_warning, &rejected);
	g_autofree char *got4 = rels(l3);
	g_assert_cmpstr(got4, ==, "in/q.txt");
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_ledger(void)
{
	g_autofree char *tmp = g_dir_make_tmp("run-test-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(tmp, "ledger.sqlite", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_null(dp_ledger_open(path, TRUE, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_NOINPUT);
	g_clear_error(&error);

	g_autoptr(DpLedger) l = dp_ledger_open(path, FALSE, &error);
	g_assert_no_error(error);
	g_autoptr(DpLedgerEntry) e = dp_ledger_entry_new();
	e->path = g_strdup("a/b.txt");
	e->size = 12;
	e->mtime_ns = G_GINT64_CONSTANT(1700000000123456789);
	e->inode = 42;
	e->status = g_strdup("crash");
	e->error = g_strdup("worker killed by signal 11 (Segmentation fault)");
	e->redactions = g_strdup("email=2 phone=1");
	g_assert_true(dp_ledger_begin(l, &error));
	g_assert_true(dp_ledger_put(l, e, &error));
	g_free(e->path);
	e->path = g_strdup("c.txt");
	g_assert_true(dp_ledger_put(l, e, &error));
	g_assert_true(dp_ledger_delete(l, "c.txt", &error));
	g_assert_true(dp_ledger_commit(l, &error));
	g_assert_true(dp_ledger_set_meta(l, "clean", "1", &error));
	g_autofree char *clean = dp_ledger_get_meta(l, "clean");
	g_assert_cmpstr(clean, ==, "1");
	g_autoptr(GHashTable) t = dp_ledger_load(l, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(t), ==, 1);
	const DpLedgerEntry *r = g_hash_table_lookup(t, "a/b.txt");
	g_assert_nonnull(r);
	g_assert_cmpint(r->mtime_ns, ==, e->mtime_ns);
	g_assert_cmpuint(r->inode, ==, 42);
	g_assert_cmpstr(r->error, ==, e->error);
	g_assert_null(r->sha256);
	g_assert_true(dp_ledger_status_failed(r->status));
	g_assert_false(dp_ledger_status_failed("unsupported"));
	g_clear_pointer(&l, dp_ledger_close);

	g_autoptr(DpLedger) ro = dp_ledger_open(path, TRUE, &error);
	g_assert_no_error(error);
	g_autoptr(GPtrArray) rows = dp_ledger_list(ro, &error);
	g_assert_cmpuint(rows->len, ==, 1);

	/* Not a ledger: refused, not overwritten. */
	g_autofree char *junk = g_build_filename(tmp, "junk", NULL);
	g_assert_true(g_file_set_contents(junk, "this is not a database, just text that is long enough", -1, NULL));
	g_assert_null(dp_ledger_open(junk, FALSE, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_IOERR);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmp);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_json(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	dp_json_string(s, "a\"b\\c\nd\te\x01 \xff");
	g_assert_cmpstr(s->str, ==, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xef\xbf\xbd\"");
	g_string_truncate(s, 0);
	dp_json_string(s, NULL);
	g_assert_cmpstr(s->str, ==, "null");
	g_string_truncate(s, 0);
	dp_json_members(s, "path", "a\"b", "error", NULL, NULL);
	g_assert_cmpstr(s->str, ==, "\"path\": \"a\\\"b\", \"error\": null");
}

/* dp_corpus_rows_count_chars() counts as g_utf8_strlen() does, on any bytes and any cut. */
static void
test_count_chars(void)
{
	static const char *const fixed[] = { "",
		                             "a",
		                             "plain ASCII text, longer than eight bytes",
		                             "caf\xc3\xa9 na\xc3\xafve \xe2\x82\xac \xf0\x9f\x98\x80 end",
		                             "bad \x80\xff\xfe\xc3 bytes \xf8\x88\x80\x80\x80 here",
		                             "nul\0after" };
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++) {
		gsize len = strlen(fixed[i]) + (i == G_N_ELEMENTS(fixed) - 1 ? 6 : 0);
		for (gsize max = 0; max <= len; max++)
			g_assert_cmpint(dp_corpus_rows_count_chars(fixed[i], max), ==,
			                g_utf8_strlen(fixed[i], (gssize)max));
	}
	/* Random mixes of ASCII runs, multi-byte characters, stray bytes and NULs, from a fixed seed. */
	GRand *rnd = g_rand_new_with_seed(18);
	static const char *const pieces[] = {
		"abcdefghijklmnop", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x80", "\xff", "\xc3", "\xfc\x80"
	};
	for (int round = 0; round < 2000; round++) {
		g_autoptr(GString) s = g_string_new(NULL);
		int n = g_rand_int_range(rnd, 0, 40);
		for (int k = 0; k < n; k++) {
			const char *piece = pieces[g_rand_int_range(rnd, 0, G_N_ELEMENTS(pieces))];
			g_string_append_len(s, piece, g_rand_int_range(rnd, 1, (gint32)strlen(piece) + 1));
		}
		if (round % 50 == 0 && s->len > 0)
			s->str[g_rand_int_range(rnd, 0, (gint32)s->len)] = '\0';
		gsize max = s->len == 0 ? 0 : (gsize)g_rand_int_range(rnd, 0, (gint32)s->len + 1);
		g_assert_cmpint(dp_corpus_rows_count_chars(s->str, s->len), ==, g_utf8_strlen(s->str, (gssize)s->len));
		g_assert_cmpint(dp_corpus_rows_count_chars(s->str, max), ==, g_utf8_strlen(s->str, (gssize)max));
	}
	g_rand_free(rnd);
}

DP_UNIT_MAIN("run", test_shard, test_inside, test_walk, test_ledger, test_json, test_count_chars)
