/*
 * fuzz-words.c: libFuzzer target for the "ocr-words" lines
 * (core/ocrwords.c), which a stage reads from an untrusted record stream.
 *
 * The input is one line's value.  dp_words_decode() must give bounded,
 * clean words (valid UTF-8 text without NULs, or a withheld word's rule
 * of the characters a rule name has); dp_words_encode() of them, decoded
 * again, must give the same words back, less those too long for any line
 * (the encoder leaves such a word out on purpose); and the XML writer
 * (core/emit.c, <words>) must take the line as a page's words.
 */
#include "fuzz-common.h"
#include "core/emit.h"
#include "core/ocrwords.h"

#include <string.h>

#include "util/banned.h"

/* A length in tenths is at most this (ocrwords.c: TENTHS_MAX, its last digit after the point). */
#define TENTHS_BOUND (10000000u + 9u)

static void
check_word(const DpWord *w)
{
	g_assert(w->x <= TENTHS_BOUND && w->y <= TENTHS_BOUND && w->w <= TENTHS_BOUND && w->h <= TENTHS_BOUND);
	g_assert(w->conf <= 100);
	g_assert(w->brk == DP_WORD_SPACE || w->brk == DP_WORD_LINE || w->brk == DP_WORD_PARA);
	g_assert((w->text == NULL) != (w->rule == NULL));
	if (w->text != NULL) {
		g_assert(*w->text != '\0');
		g_assert(g_utf8_validate(w->text, -1, NULL));
	} else {
		for (const char *p = w->rule; *p; p++)
			g_assert(g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.');
	}
}

static gboolean
same_word(const DpWord *a, const DpWord *b)
{
	/* The encoder writes an empty rule as nothing after '#': it reads back empty. */
	return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h && a->conf == b->conf && a->brk == b->brk &&
	       g_strcmp0(a->text, b->text) == 0 && g_strcmp0(a->rule, b->rule) == 0;
}

/* Whether WORD alone fits a line: the encoder leaves it out otherwise. */
static gboolean
fits_a_line(guint page, const char *unit, const DpWord *word)
{
	g_autoptr(GArray) one = dp_words_new();
	DpWord copy = *word;
	copy.text = g_strdup(word->text);
	copy.rule = g_strdup(word->rule);
	g_array_append_val(one, copy);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	return dp_words_encode(lines, page, unit, one) == 1;
}

/* Encode WORDS, decode the lines, and compare with those that fit. */
static void
check_round_trip(guint page, const char *unit, const GArray *words)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	dp_words_encode(lines, page, unit, words);
	g_autoptr(GArray) back = dp_words_new();
	for (guint i = 0; i < lines->len; i++) {
		const char *line = lines->pdata[i];
		g_assert(strlen(line) + sizeof DP_F_OCR_WORDS + 3 <= DP_WORDS_LINE_MAX);
		guint p2 = 0;
		const char *u2 = NULL;
		g_assert(dp_words_decode(line, &p2, &u2, back));
		g_assert(p2 == page && g_str_equal(u2, unit));
	}
	guint j = 0;
	for (guint i = 0; i < words->len; i++) {
		const DpWord *w = &g_array_index(words, DpWord, i);
		if (!fits_a_line(page, unit, w))
			continue;
		g_assert(j < back->len);
		g_assert(same_word(w, &g_array_index(back, DpWord, j)));
		j++;
	}
	g_assert(j == back->len);
}

/* The line as the words of page PAGE of a one-page document, written as XML to memory. */
static void
emit_words(const char *value, guint page)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	g_assert(mem != NULL);
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, "0123456789abcdef");
	dp_record_set(rec, DP_F_SOURCE, "fuzz.pdf");
	dp_record_set(rec, DP_F_TYPE, "application/pdf");
	dp_record_set(rec, DP_F_STATUS, "ok");
	dp_record_setf(rec, DP_META_PREFIX "pages", "%u", page);
	dp_record_setf(rec, DP_F_OCR, "%u:90", page);
	dp_record_set(rec, DP_F_OCR_WORDS, value);
	for (guint i = 1; i < page; i++)
		g_string_append_c(rec->body, '\f');
	g_string_append(rec->body, "page text");
	DpEmitter *em = dp_emitter_new(DP_EMIT_XML, NULL, mem, FALSE);
	g_assert(dp_emitter_add(em, rec, NULL));
	g_assert(dp_emitter_finish(em, NULL));
	dp_emitter_free(em);
	g_assert(fclose(mem) == 0);
	g_assert(g_utf8_validate(buf, (gssize)len, NULL));
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A header value: no NUL, no newline (the record reader's rule). */
	g_autofree char *value = g_strndup((const char *)data, size);
	if (strchr(value, '\n') != NULL)
		return 0;
	g_autoptr(GArray) words = dp_words_new();
	guint page = 0;
	const char *unit = NULL;
	if (!dp_words_decode(value, &page, &unit, words)) {
		g_assert(words->len == 0);
		return 0;
	}
	g_assert(page > 0 && (g_str_equal(unit, "pt") || g_str_equal(unit, "px")));
	for (guint i = 0; i < words->len; i++)
		check_word(&g_array_index(words, DpWord, i));
	check_round_trip(page, unit, words);
	/* A page number far beyond the body costs a form feed each: keep it small. */
	if (page <= 64)
		emit_words(value, page);
	return 0;
}
