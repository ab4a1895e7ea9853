/*
 * ocrwords-test.c: the ocr-words lines of the record stream
 * (core/ocrwords.c) and their redaction (redact/redact.c): a round trip,
 * a dense page split over lines within the limits, hostile values, and
 * words withheld when a match touches them, across words and lines.
 */
#include "core/config.h"
#include "core/ocrwords.h"
#include "core/record.h"
#include "redact/redact.h"
#include "unit.h"

static void
add_word(GArray *words, guint x, DpWordBreak brk, const char *text)
{
	DpWord w = { x, 20, 305, 100, 91, brk, g_strdup(text), NULL };
	g_array_append_val(words, w);
}

static void
test_roundtrip(void)
{
	g_autoptr(GArray) words = dp_words_new();
	add_word(words, 0, DP_WORD_SPACE, "Hello");
	add_word(words, 725, DP_WORD_SPACE, "100%");
	add_word(words, 1000, DP_WORD_LINE, "caf\xc3\xa9,:#/");
	add_word(words, 1500, DP_WORD_PARA, "a\tb");
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	g_assert_cmpuint(dp_words_encode(lines, 7, "pt", words), ==, 1);
	g_assert_cmpstr(lines->pdata[0], ==,
	                "7 pt 0,2,30.5,10,91:Hello 72.5,2,30.5,10,91:100%25 /100,2,30.5,10,91:caf\xc3\xa9,:#/ "
	                "//150,2,30.5,10,91:a%09b");
	g_autoptr(GArray) back = dp_words_new();
	guint page = 0;
	const char *unit = NULL;
	g_assert_true(dp_words_decode(lines->pdata[0], &page, &unit, back));
	g_assert_cmpuint(page, ==, 7);
	g_assert_cmpstr(unit, ==, "pt");
	g_assert_cmpuint(back->len, ==, words->len);
	for (guint i = 0; i < back->len; i++) {
		const DpWord *a = &g_array_index(words, DpWord, i), *b = &g_array_index(back, DpWord, i);
		g_assert_cmpstr(a->text, ==, b->text);
		g_assert_cmpuint(a->x, ==, b->x);
		g_assert_cmpuint(a->w, ==, b->w);
		g_assert_cmpuint(a->conf, ==, b->conf);
		g_assert_cmpint(a->brk, ==, b->brk);
	}
}

/* A page of 20,000 words takes several lines, each within the limit, and loses none. */
static void
test_dense_page(void)
{
	g_autoptr(GArray) words = dp_words_new();
	for (guint i = 0; i < 20000; i++) {
		g_autofree char *t = g_strdup_printf("word%u", i);
		add_word(words, i * 10, i % 12 == 0 ? DP_WORD_LINE : DP_WORD_SPACE, t);
	}
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	guint n = dp_words_encode(lines, 3, "px", words);
	g_assert_cmpuint(n, >, 1);
	g_autoptr(DpRecord) rec = dp_record_new();
	for (guint i = 0; i < lines->len; i++) {
		g_assert_cmpuint(strlen(lines->pdata[i]) + strlen(DP_F_OCR_WORDS) + 3, <=, DP_WORDS_LINE_MAX);
		dp_record_add(rec, DP_F_OCR_WORDS, lines->pdata[i]);
	}
	/* Through the record stream's writer and reader, unchanged. */
	g_autoptr(GString) bytes = g_string_new(NULL);
	dp_record_append(rec, bytes);
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)bytes->str, bytes->len, &recs, &error));
	g_assert_cmpuint(recs->len, ==, 1);
	const DpRecord *got = recs->pdata[0];
	g_autoptr(GArray) back = dp_words_new();
	for (guint i = 0; i < got->fields->len; i++) {
		const DpField *f = got->fields->pdata[i];
		guint page = 0;
		const char *unit = NULL;
		g_assert_true(dp_words_decode(f->value, &page, &unit, back));
		g_assert_cmpuint(page, ==, 3);
	}
	g_assert_cmpuint(back->len, ==, 20000);
	g_assert_cmpstr(g_array_index(back, DpWord, 19999).text, ==, "word19999");
	g_ptr_array_set_free_func(recs, (GDestroyNotify)dp_record_free);
}

static void
test_hostile_values(void)
{
	static const char *const bad_lines[] = { "",     "0 pt 1,1,1,1,1:a",          "1 pq 1,1,1,1,1:a", "1pt",
		                                 "x pt", "99999999999 pt 1,1,1,1,1:a" };
	for (guint i = 0; i < G_N_ELEMENTS(bad_lines); i++) {
		g_autoptr(GArray) w = dp_words_new();
		guint page = 0;
		const char *unit = NULL;
		g_assert_false(dp_words_decode(bad_lines[i], &page, &unit, w));
	}
	/* Malformed words are skipped, the good ones kept. */
	static const char *const bad_words =
	    "2 px 1,1,1,1,101:a 1,1,1:a 99999999,1,1,1,1:a 1,1,1,1,1:%00 1,1,1,1,1:\xff 1,1,1,1,1: "
	    "1,1,1,1,1#e\xc3\xa9 1,1,1,1,1 /// 1.25,1,1,1,1:a 1,1,1,1,1.5:a %41 1,1,1,1,1:%4 1,1,1,1,1#phone ok";
	g_autoptr(GArray) w = dp_words_new();
	guint page = 0;
	const char *unit = NULL;
	g_assert_true(dp_words_decode(bad_words, &page, &unit, w));
	g_assert_cmpuint(w->len, ==, 2);
	g_assert_cmpstr(g_array_index(w, DpWord, 0).text, ==, "%4");
	g_assert_null(g_array_index(w, DpWord, 1).text);
	g_assert_cmpstr(g_array_index(w, DpWord, 1).rule, ==, "phone");
}

/* The words of a page, WORDS ("/" before a word: a new line), as lines of REC at most PER_LINE words each. */
static void
add_page(DpRecord *rec, guint page, const char *words, guint per_line)
{
	g_auto(GStrv) list = g_strsplit(words, " ", -1);
	g_autoptr(GArray) all = dp_words_new();
	for (guint i = 0; list[i] != NULL; i++) {
		gboolean line = list[i][0] == '/';
		add_word(all, i * 100, line ? DP_WORD_LINE : DP_WORD_SPACE, list[i] + line);
	}
	for (guint i = 0; i < all->len; i += per_line) {
		g_autoptr(GArray) some = dp_words_new();
		for (guint j = i; j < all->len && j < i + per_line; j++) {
			DpWord w = g_array_index(all, DpWord, j);
			w.text = g_strdup(w.text);
			g_array_append_val(some, w);
		}
		g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
		dp_words_encode(lines, page, "pt", some);
		for (guint k = 0; k < lines->len; k++)
			dp_record_add(rec, DP_F_OCR_WORDS, lines->pdata[k]);
	}
}

/* Every word of REC's ocr-words lines, "text" or "#rule", joined by spaces. */
static char *
words_of(const DpRecord *rec)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (!g_str_equal(f->key, DP_F_OCR_WORDS))
			continue;
		g_autoptr(GArray) w = dp_words_new();
		guint page = 0;
		const char *unit = NULL;
		g_assert_true(dp_words_decode(f->value, &page, &unit, w));
		for (guint j = 0; j < w->len; j++) {
			const DpWord *x = &g_array_index(w, DpWord, j);
			g_string_append_printf(s, "%s%s%s", s->len ? " " : "", x->text ? "" : "#",
			                       x->text ? x->text : x->rule);
		}
	}
	return g_string_free(s, FALSE);
}

static void
test_redaction_withholds_words(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg = dp_config_load_data("[redact]\ndetectors=email;phone\n", "test", &error);
	g_assert_no_error(error);
	g_autoptr(DpRedactor) rd = dp_redactor_new(cfg, &error);
	g_assert_no_error(error);
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, "0123456789abcdef");
	dp_record_add(rec, "meta.pages", "2");
	/*
	 * Page 1: an e-mail address in one word; a phone number in three,
	 * split over two lines of the record.  Page 2: one alone.
	 */
	add_page(rec, 1, "Write to jane.doe@example.com now. /Call 555 867 5309 today.", 7);
	add_page(rec, 2, "/mail bob@example.org", 10);
	dp_record_set_body(rec, "x", 1);
	dp_redact_record(rd, rec);
	g_autofree char *got = words_of(rec);
	g_assert_cmpstr(got, ==, "Write to #email now. Call #phone #phone #phone today. mail #email");
	/* The words are still in page order, page 2 after page 1 (whose words now fit one line). */
	guint pages = 0;
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (g_str_equal(f->key, DP_F_OCR_WORDS))
			pages = pages * 10 + (guint)g_ascii_strtoull(f->value, NULL, 10);
	}
	g_assert_cmpuint(pages, ==, 12);
}

DP_UNIT_MAIN("ocrwords", test_roundtrip, test_dense_page, test_hostile_values, test_redaction_withholds_words)
