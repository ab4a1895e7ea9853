/*
 * furniture-lazy-test: the furniture patterns compiled on first use
 * (foia/furniture.c) give the same results as all of them compiled at
 * once.
 *
 * Each text is read by a DpFurniture fresh from dp_furniture_new(), whose
 * built-in patterns compile as the text's lines ask for them, and by one
 * whose patterns were all compiled by dp_furniture_compile_all(); the two
 * records must be byte for byte the same, with the furniture kept and
 * taken out.  The texts are our own snippets in the layout of the State
 * Department's releases, and, when $DP_RELEASE_TEXTS names a folder, the
 * release texts under it (the public corpus's state-release-text).
 */
#include "foia/furniture.h"

#include "core/record.h"

#include <glib/gstdio.h>
#include <string.h>

#include "unit.h"

#include "util/banned.h"

static const char *const snippets[] = {
	/* A banner, a release stamp in the margin, a code beside the text. */
	"      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
	"\n"
	"                                                                                RELEASE IN PART\n"
	"                                                                                B6\n"
	"From:                             H <someone@example.org>\n"
	"Subject:                          Re: Note\n"
	"\n"
	"Let's do it.                                                                    B6\n"
	"\f"
	"      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
	"Per discussion\n",
	/* The banner over several lines, production stamps, a Bates number. */
	"UNCLASSIFIED                              STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.\n"
	"U.S. Department of State       SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.\n"
	"Case No. F-2015-04841\n"
	"Doc No. C05739559\n"
	"Date: 05/13/2015\n"
	"RELEASE IN FULL\n"
	"Text of the message.\n"
	"STATE-SCB0045123\n",
	/* A classification block and a marking. */
	"CONFIDENTIAL\n"
	"Classified by: Jane Roe, Director\n"
	"Reason: 1.4(B), 1.4(D)\n"
	"Declassify on: 03/12/2034\n"
	"The meeting went well.\n"
	"RELEASE WITHHELD IN FULL B1, 1.4(D)\n",
	/* Prose and numbers: no furniture, weak codes left alone. */
	"A line of a one-kilobyte memo: call 030 1234567 or mail a.b@example.org.\n"
	"Table 84 shows B6 rows.\n"
	"84\n"
	"                                                                                          B6\n",
	/* Hostile: invalid UTF-8, a long line, nothing but blanks. */
	"\xff\xfe RELEASE IN PART B6\n"
	"                                                                    \n"
	"\f\f\f",
};

/* REC's record as written, with the return value of the pass in front. */
static char *
applied(const DpFurniture *f, const char *text, gsize len, gboolean keep)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set_body(rec, text, len);
	gboolean any = dp_furniture_apply(f, rec, keep);
	GString *out = g_string_new(any ? "any\n" : "none\n");
	dp_record_append(rec, out);
	return g_string_free(out, FALSE);
}

/* TEXT reads the same through a fresh, lazily compiled DpFurniture as through ALL. */
static void
assert_same(const DpFurniture *all, const char *text, gsize len)
{
	for (int keep = 0; keep <= 1; keep++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(DpFurniture) lazy = dp_furniture_new(NULL, &error);
		g_assert_no_error(error);
		g_autofree char *a = applied(lazy, text, len, keep);
		g_autofree char *b = applied(all, text, len, keep);
		g_assert_cmpstr(a, ==, b);
	}
}

static DpFurniture *
compiled_all(void)
{
	g_autoptr(GError) error = NULL;
	DpFurniture *f = dp_furniture_new(NULL, &error);
	g_assert_no_error(error);
	g_assert_true(dp_furniture_compile_all(f, &error));
	g_assert_no_error(error);
	return f;
}

static void
test_builtin_patterns_compile(void)
{
	g_autoptr(DpFurniture) f = compiled_all();
	g_assert_nonnull(f);
}

static void
test_snippets_same(void)
{
	g_autoptr(DpFurniture) all = compiled_all();
	for (gsize i = 0; i < G_N_ELEMENTS(snippets); i++)
		assert_same(all, snippets[i], strlen(snippets[i]));
	/* The furniture of the first two is found: the comparison compares something. */
	g_autofree char *a = applied(all, snippets[0], strlen(snippets[0]), FALSE);
	g_assert_nonnull(strstr(a, "meta.foia.doc"));
	g_autofree char *b = applied(all, snippets[1], strlen(snippets[1]), FALSE);
	g_assert_nonnull(strstr(b, "meta.foia.bates"));
}

/* A body long enough for the JIT copies, built from lazily compiled patterns. */
static void
test_long_body_same(void)
{
	g_autoptr(DpFurniture) all = compiled_all();
	GString *body = g_string_new(NULL);
	while (body->len < 300 * 1024) {
		g_string_append(body, snippets[0]);
		g_string_append_c(body, '\f');
	}
	assert_same(all, body->str, body->len);
	g_string_free(body, TRUE);
}

static void
test_release_texts_same(void)
{
	const char *top = g_getenv("DP_RELEASE_TEXTS");
	if (top == NULL || !g_file_test(top, G_FILE_TEST_IS_DIR)) {
		g_test_skip("DP_RELEASE_TEXTS: no folder of release texts");
		return;
	}
	g_autoptr(DpFurniture) all = compiled_all();
	g_autoptr(GDir) dir = g_dir_open(top, 0, NULL);
	g_assert_nonnull(dir);
	guint n = 0;
	for (const char *sub; (sub = g_dir_read_name(dir)) != NULL;) {
		g_autofree char *path = g_build_filename(top, sub, NULL);
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		for (const char *name; d != NULL && (name = g_dir_read_name(d)) != NULL;) {
			if (!g_str_has_suffix(name, ".txt"))
				continue;
			g_autofree char *file = g_build_filename(path, name, NULL);
			g_autofree char *text = NULL;
			gsize len = 0;
			g_assert_true(g_file_get_contents(file, &text, &len, NULL));
			assert_same(all, text, len);
			n++;
		}
	}
	g_assert_cmpuint(n, >, 0);
}

/* FILE (in the current folder) with TEXT. */
static char *
user_file(const char *name, const char *text)
{
	g_autofree char *cwd = g_get_current_dir();
	char *path = g_build_filename(cwd, name, NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* A user's file is still compiled when read: its errors are configuration errors. */
static void
test_user_file_errors(void)
{
	g_autofree char *bad = user_file("bad-regex.conf", "[mine]\n# a comment\nregex=(unclosed\n");
	const char *files[] = { bad, NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(DpFurniture) f = dp_furniture_new(files, &error);
	g_assert_null(f);
	g_assert_nonnull(error);
	g_autofree char *want = g_strdup_printf("%s:3: [mine] regex: ", bad);
	g_assert_true(g_str_has_prefix(error->message, want));

	g_autofree char *nogroup = user_file("no-group.conf", "[mine]\nregex=(?<x>AB)\ncase=y\n");
	files[0] = nogroup;
	g_clear_error(&error);
	g_autoptr(DpFurniture) g = dp_furniture_new(files, &error);
	g_assert_null(g);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, ":3: [mine] case: the regex has no group named 'y'"));
}

/* A user's pattern that replaces a built-in one by name is the one used. */
static void
test_user_pattern_replaces(void)
{
	g_autofree char *mine = user_file("bates.conf", "[bates]\nregex=(?<b>ZZ[0-9]{4})\nbates=b\n");
	const char *files[] = { mine, NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(DpFurniture) f = dp_furniture_new(files, &error);
	g_assert_no_error(error);
	const char text[] = "Some text.\nZZ1234\n";
	g_autofree char *out = applied(f, text, strlen(text), TRUE);
	g_assert_nonnull(strstr(out, "ZZ1234;ZZ1234"));
}

DP_UNIT_MAIN("furniture-lazy", test_builtin_patterns_compile, test_snippets_same, test_long_body_same,
             test_release_texts_same, test_user_file_errors, test_user_pattern_replaces)
