/*
 * NAME
 *	ocrwords.c - the words of an OCR'd page in the record stream
 *
 * DESCRIPTION
 *	With [ocr] words=true each OCR'd page carries its words, with their
 *	boxes and confidences, from the sandboxed extractor to redaction and
 *	emit.  A dense page has thousands of words, more than a header line
 *	of 65,536 bytes holds in any verbose form, so they travel as compact
 *	"ocr-words" lines, one or more per page (RECORD-FORMAT.md):
 *
 *	    ocr-words: PAGE UNIT WORD WORD ...
 *	    WORD = [/ or //]X,Y,W,H,CONF:TEXT   or   [/ or //]X,Y,W,H,CONF#RULE
 *
 *	"/" starts a line of the page's text and "//" a paragraph, so that
 *	redaction can rebuild the page's text from its words and match its
 *	rules across words; "#RULE" marks a word redaction withheld.  TEXT
 *	has "%", the space and control characters as %XX.  Lengths are
 *	decimal with at most one digit after the point.
 *
 * SECURITY
 *	dp_words_decode() parses values that a stage may have read from an
 *	untrusted stream: every number is bounded, every byte is looked at
 *	once, and a malformed word is skipped, never trusted.
 */
#include "core/ocrwords.h"

#include <string.h>

#include "util/banned.h"

/* A length is at most this many tenths (a million pixels or points). */
#define TENTHS_MAX 10000000u

static void
word_clear(gpointer p)
{
	DpWord *w = p;
	g_clear_pointer(&w->text, g_free);
	g_clear_pointer(&w->rule, g_free);
}

GArray *
dp_words_new(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(DpWord));
	g_array_set_clear_func(a, word_clear);
	return a;
}

void
dp_words_format_tenths(char buf[24], guint tenths)
{
	if (tenths % 10 == 0)
		g_snprintf(buf, 24, "%u", tenths / 10);
	else
		g_snprintf(buf, 24, "%u.%u", tenths / 10, tenths % 10);
}

/* WORD's token, its break included. */
static void
append_word(GString *out, const DpWord *word)
{
	if (word->brk == DP_WORD_LINE)
		g_string_append_c(out, '/');
	else if (word->brk == DP_WORD_PARA)
		g_string_append(out, "//");
	char x[24], y[24], w[24], h[24];
	dp_words_format_tenths(x, word->x);
	dp_words_format_tenths(y, word->y);
	dp_words_format_tenths(w, word->w);
	dp_words_format_tenths(h, word->h);
	g_string_append_printf(out, "%s,%s,%s,%s,%u", x, y, w, h, MIN(word->conf, 100u));
	if (word->text == NULL) {
		g_string_append_c(out, '#');
		for (const char *p = word->rule ? word->rule : "redacted"; *p; p++)
			g_string_append_c(out, g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ? *p : '_');
		return;
	}
	g_string_append_c(out, ':');
	for (const guchar *p = (const guchar *)word->text; *p; p++) {
		if (*p == '%' || *p <= ' ' || *p == 0x7f)
			g_string_append_printf(out, "%%%02X", *p);
		else
			g_string_append_c(out, (char)*p);
	}
}

guint
dp_words_encode(GPtrArray *lines, guint page, const char *unit, const GArray *words)
{
	guint added = 0;
	g_autoptr(GString) line = g_string_new(NULL);
	g_autoptr(GString) tok = g_string_new(NULL);
	g_autofree char *head = g_strdup_printf("%u %s", page, unit);
	g_string_append(line, head);
	gboolean any = FALSE;
	for (guint i = 0; i < words->len; i++) {
		const DpWord *word = &g_array_index(words, DpWord, i);
		g_string_truncate(tok, 0);
		append_word(tok, word);
		/* A word too long for any line (a hostile page's "word") is left out. */
		if (strlen(head) + 1 + tok->len + sizeof DP_F_OCR_WORDS + 3 > DP_WORDS_LINE_MAX)
			continue;
		if (any && line->len + 1 + tok->len + sizeof DP_F_OCR_WORDS + 3 > DP_WORDS_LINE_MAX) {
			g_ptr_array_add(lines, g_strdup(line->str));
			added++;
			g_string_assign(line, head);
			any = FALSE;
		}
		g_string_append_c(line, ' ');
		g_string_append_len(line, tok->str, (gssize)tok->len);
		any = TRUE;
	}
	if (any) {
		g_ptr_array_add(lines, g_strdup(line->str));
		added++;
	}
	return added;
}

/* A decimal at *P with at most one digit after the point, in tenths. */
static gboolean
parse_tenths(const char **p, guint *out)
{
	const char *s = *p;
	guint v = 0;
	if (!g_ascii_isdigit(*s))
		return FALSE;
	while (g_ascii_isdigit(*s)) {
		v = v * 10 + (guint)(*s++ - '0');
		if (v > TENTHS_MAX / 10)
			return FALSE;
	}
	v *= 10;
	if (*s == '.') {
		s++;
		if (!g_ascii_isdigit(*s))
			return FALSE;
		v += (guint)(*s++ - '0');
	}
	*out = v;
	*p = s;
	return TRUE;
}

static int
hexval(char c)
{
	return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* One token, S .. END, into WORD; FALSE when malformed. */
static gboolean
parse_word(const char *s, const char *end, DpWord *word)
{
	word->brk = DP_WORD_SPACE;
	if (end - s >= 2 && s[0] == '/' && s[1] == '/') {
		word->brk = DP_WORD_PARA;
		s += 2;
	} else if (s < end && s[0] == '/') {
		word->brk = DP_WORD_LINE;
		s++;
	}
	guint *v[] = { &word->x, &word->y, &word->w, &word->h };
	for (guint i = 0; i < G_N_ELEMENTS(v); i++) {
		if (!parse_tenths(&s, v[i]) || s >= end || *s != ',')
			return FALSE;
		s++;
	}
	guint conf = 0;
	if (!parse_tenths(&s, &conf) || conf % 10 != 0 || conf > 1000 || s >= end)
		return FALSE;
	word->conf = conf / 10;
	if (*s == '#') {
		s++;
		for (const char *p = s; p < end; p++)
			if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.'))
				return FALSE;
		word->rule = g_strndup(s, (gsize)(end - s));
		return TRUE;
	}
	if (*s != ':')
		return FALSE;
	s++;
	GString *t = g_string_sized_new((gsize)(end - s));
	while (s < end) {
		if (*s == '%' && end - s >= 3 && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			g_string_append_c(t, (char)(hexval(s[1]) * 16 + hexval(s[2])));
			s += 3;
		} else {
			g_string_append_c(t, *s++);
		}
	}
	/* The record's text is UTF-8 with no NULs: so is a word's. */
	if (memchr(t->str, '\0', t->len) != NULL || !g_utf8_validate(t->str, (gssize)t->len, NULL) || t->len == 0) {
		g_string_free(t, TRUE);
		return FALSE;
	}
	word->text = g_string_free(t, FALSE);
	return TRUE;
}

gboolean
dp_words_decode(const char *value, guint *page, const char **unit, GArray *words)
{
	const char *s = value;
	guint64 n = 0;
	if (!g_ascii_isdigit(*s))
		return FALSE;
	while (g_ascii_isdigit(*s)) {
		n = n * 10 + (guint64)(*s++ - '0');
		if (n > G_MAXUINT)
			return FALSE;
	}
	if (n == 0)
		return FALSE;
	if (g_str_has_prefix(s, " pt") && (s[3] == ' ' || s[3] == '\0'))
		*unit = "pt";
	else if (g_str_has_prefix(s, " px") && (s[3] == ' ' || s[3] == '\0'))
		*unit = "px";
	else
		return FALSE;
	*page = (guint)n;
	s += 3;
	while (*s == ' ') {
		const char *start = ++s;
		while (*s != '\0' && *s != ' ')
			s++;
		if (s == start)
			continue;
		DpWord word = { 0 };
		if (parse_word(start, s, &word))
			g_array_append_val(words, word);
		else
			word_clear(&word);
	}
	return TRUE;
}
