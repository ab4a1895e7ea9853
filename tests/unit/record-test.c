/*
 * record-test: the record stream reader and writer on good, truncated,
 * oversized and garbage input.
 */
#include "core/record.h"
#include "util/exitcode.h"

#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "util/banned.h"

static GString *
serialize(const DpRecord *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	g_assert_nonnull(fp);
	g_assert_true(dp_record_write(rec, fp, NULL));
	fclose(fp);
	GString *s = g_string_new_len(buf, (gssize)len);
	free(buf);
	return s;
}

static DpRecord *
sample_record(void)
{
	DpRecord *rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, "0123456789abcdef");
	dp_record_set(rec, DP_F_SOURCE, "inbox/a file.html");
	dp_record_set(rec, DP_F_TYPE, "text/html");
	dp_record_add(rec, "meta.author", "Jos\xc3\xa9");
	dp_record_add(rec, "meta.author", "Second");
	dp_record_set_body(rec, "line one\nline two\n\0nul", 22);
	return rec;
}

static void
test_roundtrip(void)
{
	g_autoptr(DpRecord) rec = sample_record();
	g_autoptr(GString) s = serialize(rec);
	g_assert_true(g_str_has_prefix(s->str, DP_RECORD_MAGIC "\nid: 0123456789abcdef\n"));
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s->str, s->len, &recs, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(recs->len, ==, 1);
	DpRecord *back = recs->pdata[0];
	g_assert_cmpstr(dp_record_get(back, DP_F_SOURCE), ==, "inbox/a file.html");
	g_assert_cmpstr(dp_record_get(back, "meta.author"), ==, "Jos\xc3\xa9");
	g_assert_cmpuint(back->fields->len, ==, 5);
	g_assert_cmpuint(back->body->len, ==, 22);
	g_assert_cmpmem(back->body->str, 22, rec->body->str, 22);
}

static void
test_two_records_and_empty(void)
{
	g_autoptr(DpRecord) a = sample_record();
	g_autoptr(DpRecord) b = dp_record_new();
	g_autoptr(GString) s = serialize(a);
	g_autoptr(GString) t = serialize(b);
	g_string_append_len(s, t->str, (gssize)t->len);
	g_autoptr(GPtrArray) recs = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s->str, s->len, &recs, NULL));
	g_assert_cmpuint(recs->len, ==, 2);
	g_assert_cmpuint(((DpRecord *)recs->pdata[1])->body->len, ==, 0);

	g_autoptr(GPtrArray) none = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)"", 0, &none, NULL));
	g_assert_cmpuint(none->len, ==, 0);
}

/* Every proper prefix of a valid stream is a clean protocol error. */
static void
test_truncated_everywhere(void)
{
	g_autoptr(DpRecord) rec = sample_record();
	g_autoptr(GString) s = serialize(rec);
	for (gsize n = 1; n < s->len; n++) {
		/* A private copy of exactly N bytes, so ASan sees any over-read. */
		guint8 *copy = g_memdup2(s->str, n);
		g_autoptr(GPtrArray) recs = NULL;
		g_autoptr(GError) error = NULL;
		gboolean ok = dp_record_parse_buffer(copy, n, &recs, &error);
		g_assert_false(ok);
		g_assert_error(error, DP_ERROR, DP_EXIT_PROTOCOL);
		g_free(copy);
	}
}

static void
expect_bad(const char *data, gsize len, const char *what)
{
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	guint8 *copy = g_memdup2(data, len);
	g_assert_false(dp_record_parse_buffer(copy, len, &recs, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_PROTOCOL);
	if (strstr(error->message, what) == NULL)
		g_error("'%s' not in '%s'", what, error->message);
	g_free(copy);
}

static void
test_garbage(void)
{
	expect_bad("hello\n", 6, "expected");
	expect_bad(DP_RECORD_MAGIC "\nno colon here\n", strlen(DP_RECORD_MAGIC) + 15, "without");
	expect_bad(DP_RECORD_MAGIC "\nBad-Key: x\nbody: 0\n\n", strlen(DP_RECORD_MAGIC) + 21, "invalid header key");
	expect_bad(DP_RECORD_MAGIC "\nbody: 12x\n\n", strlen(DP_RECORD_MAGIC) + 12, "invalid body length");
	expect_bad(DP_RECORD_MAGIC "\nbody: -1\n\n", strlen(DP_RECORD_MAGIC) + 11, "invalid body length");
	expect_bad(DP_RECORD_MAGIC "\nbody: 99999999999999999999\n\n", strlen(DP_RECORD_MAGIC) + 29,
	           "invalid body length");
	expect_bad(DP_RECORD_MAGIC "\nbody: 2\nabc\n", strlen(DP_RECORD_MAGIC) + 13, "longer than its declared");
	expect_bad(DP_RECORD_MAGIC "\nk: \xff\xfe\nbody: 0\n\n", strlen(DP_RECORD_MAGIC) + 16, "not UTF-8");
	const char nul[] = DP_RECORD_MAGIC "\nk: a\0b\nbody: 0\n\n";
	expect_bad(nul, sizeof nul - 1, "not UTF-8");
	/* A huge announced body on a short stream allocates nothing big. */
	expect_bad(DP_RECORD_MAGIC "\nbody: 1000000000\nabc", strlen(DP_RECORD_MAGIC) + 21, "truncated body");
}

static void
test_limits(void)
{
	/* An endless header line. */
	gsize n = DP_RECORD_MAX_LINE * 2;
	g_autoptr(GString) s = g_string_new(DP_RECORD_MAGIC "\nk: ");
	while (s->len < n)
		g_string_append_c(s, 'a');
	g_string_append(s, "\nbody: 0\n\n");
	expect_bad(s->str, s->len, "too long");

	/* Too many header lines. */
	g_string_assign(s, DP_RECORD_MAGIC "\n");
	for (guint i = 0; i <= DP_RECORD_MAX_FIELDS; i++)
		g_string_append(s, "k: v\n");
	g_string_append(s, "body: 0\n\n");
	expect_bad(s->str, s->len, "too many");

	/* A body over the reader's limit. */
	int fds[2];
	g_assert_cmpint(pipe(fds), ==, 0);
	const char *big = DP_RECORD_MAGIC "\nbody: 100\n";
	g_assert_cmpint(write(fds[1], big, strlen(big)), ==, (gssize)strlen(big));
	close(fds[1]);
	g_autoptr(DpReader) rd = dp_reader_new(fds[0], "pipe");
	dp_reader_set_max_body(rd, 10);
	g_autoptr(DpRecord) rec = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_false(dp_reader_next(rd, &rec, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_PROTOCOL);
	g_assert_nonnull(strstr(error->message, "'pipe'"));
	close(fds[0]);
}

/* The writer never produces a stream its own reader rejects. */
static void
test_writer_cleans(void)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, "meta.title",
	              "a\nb\rc\td\x01"
	              "e\xff"
	              "f");
	g_autoptr(GString) big = g_string_new(NULL);
	while (big->len < DP_RECORD_MAX_LINE * 2)
		g_string_append(big, "\xc3\xa9");
	dp_record_set(rec, "meta.long", big->str);
	g_autoptr(GString) s = serialize(rec);
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s->str, s->len, &recs, &error));
	DpRecord *back = recs->pdata[0];
	g_assert_cmpstr(dp_record_get(back, "meta.title"), ==,
	                "a b c d e\xef\xbf\xbd"
	                "f");
	const char *l = dp_record_get(back, "meta.long");
	g_assert_true(g_utf8_validate(l, -1, NULL));
	g_assert_cmpuint(strlen(l), <, DP_RECORD_MAX_LINE);
}

/*
 * A value cut to fit its line is followed by KEY-cut, its whole length
 * (RECORD-FORMAT.md); written again, the record keeps that one line; a
 * value that fits has none, and the lines stay under the limit.
 */
static void
test_cut_marker(void)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	g_autoptr(GString) big = g_string_new(NULL);
	while (big->len < DP_RECORD_MAX_LINE + 1000)
		g_string_append(big, "Person <p@example.org>, ");
	dp_record_set(rec, "meta.to", big->str);
	dp_record_set(rec, "meta.cc", "short");
	g_autoptr(GString) s = serialize(rec);
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s->str, s->len, &recs, &error));
	DpRecord *back = recs->pdata[0];
	g_autofree char *whole = g_strdup_printf("%" G_GSIZE_FORMAT, big->len);
	g_assert_cmpstr(dp_record_get(back, "meta.to-cut"), ==, whole);
	g_assert_null(dp_record_get(back, "meta.cc-cut"));
	g_assert_cmpuint(strlen(dp_record_get(back, "meta.to")), <, big->len);
	/* The marker follows its field. */
	g_assert_cmpstr(((DpField *)back->fields->pdata[1])->key, ==, "meta.to-cut");

	/* Made long again (a stage rewrote it) and written again: still one marker, the first length. */
	dp_record_set(back, "meta.to", big->str);
	g_autoptr(GString) s2 = serialize(back);
	g_autoptr(GPtrArray) recs2 = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s2->str, s2->len, &recs2, &error));
	DpRecord *again = recs2->pdata[0];
	guint markers = 0;
	for (guint i = 0; i < again->fields->len; i++)
		markers += strcmp(((DpField *)again->fields->pdata[i])->key, "meta.to-cut") == 0;
	g_assert_cmpuint(markers, ==, 1);
	g_assert_cmpstr(dp_record_get(again, "meta.to-cut"), ==, whole);

	/* Long fields where the record's lines run out: the markers never push it over the line limit. */
	g_autoptr(DpRecord) full = dp_record_new();
	for (guint i = 0; i < DP_RECORD_MAX_FIELDS + 4; i++)
		dp_record_add(full, "meta.x", i + 8 > DP_RECORD_MAX_FIELDS ? big->str : "v");
	g_autoptr(GString) s3 = serialize(full);
	g_autoptr(GPtrArray) recs3 = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)s3->str, s3->len, &recs3, &error));
}

static void
test_set_and_keys(void)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_add(rec, "a", "1");
	dp_record_add(rec, "b", "2");
	dp_record_add(rec, "a", "3");
	dp_record_set(rec, "a", "4");
	g_assert_cmpuint(rec->fields->len, ==, 2);
	g_assert_cmpstr(((DpField *)rec->fields->pdata[0])->value, ==, "4");
	dp_record_set(rec, "a", NULL);
	g_assert_null(dp_record_get(rec, "a"));
	g_assert_true(dp_record_key_valid("meta.x-y_z.1"));
	g_assert_false(dp_record_key_valid("Meta"));
	g_assert_false(dp_record_key_valid(".x"));
	g_assert_false(dp_record_key_valid("a b"));
	g_assert_false(dp_record_key_valid(""));
}

DP_UNIT_MAIN("record", test_roundtrip, test_two_records_and_empty, test_truncated_everywhere, test_garbage, test_limits,
             test_writer_cleans, test_cut_marker, test_set_and_keys)
