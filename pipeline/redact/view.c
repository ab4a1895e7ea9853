/*
 * view.c: the normalized view the detectors match on, with a map back
 * to the original byte offsets.
 *
 * Extraction leaves values broken in ways a pattern cannot foresee: a line
 * break or a hyphen at a line end inside an address, soft hyphens and
 * zero-width characters, full-width digits, no-break spaces.  The view
 * undoes all that once, in one pass; every rule then matches on the view
 * and the redactor replaces the ORIGINAL span the map gives back.
 *
 * The map is a short list of marks: from a mark on, view and original
 * advance together, so plain ASCII text costs nothing but the copy.
 */
#include "redact/internal.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/banned.h"

/* C_PLAIN and C_SOLID share bit 0: text the view copies. */
enum { C_OTHER = 0, C_PLAIN = 1, C_SPACE = 2, C_SOLID = 3 };

/* Byte classes: printable ASCII and ' ' copy through; whitespace collapses. */
static guint8 byte_class[256];

static void
init_classes(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		for (int c = 0x21; c < 0x7F; c++)
			byte_class[c] = C_SOLID;
		byte_class[' '] = C_PLAIN;
		byte_class['\t'] = byte_class['\n'] = byte_class['\r'] = C_SPACE;
		byte_class['\f'] = byte_class['\v'] = C_SPACE;
		g_once_init_leave(&done, 1);
	}
}

void
dp_view_init(DpView *view)
{
	memset(view, 0, sizeof *view);
	view->marks = g_array_new(FALSE, FALSE, sizeof(DpViewMark));
}

void
dp_view_clear(DpView *view)
{
	g_free(view->text);
	if (view->marks)
		g_array_unref(view->marks);
	memset(view, 0, sizeof *view);
}

void
dp_prefault(void *p, gsize n)
{
#ifdef MADV_POPULATE_WRITE
	/*
	 * A page at a time, each fault costs a trap (several microseconds in
	 * a virtual machine): the 4 MB blocks of docpipe-redact --text, their
	 * views and outputs were 5,600 faults, the same at 20 MB as at 100.
	 * Pages already there cost a look at their page table entries.
	 */
	if (n < DP_PREFAULT_MIN)
		return;
	gsize page = (gsize)sysconf(_SC_PAGESIZE);
	guintptr s = ((guintptr)p + page - 1) & ~(guintptr)(page - 1), e = ((guintptr)p + n) & ~(guintptr)(page - 1);
	if (e > s)
		(void)madvise((void *)s, e - s, MADV_POPULATE_WRITE); /* only a hint: an old kernel says EINVAL */
#else
	(void)p;
	(void)n;
#endif
}

static inline void
reserve(DpView *view, gsize more)
{
	if (G_LIKELY(view->len + more + 1 <= view->cap))
		return;
	gsize cap = view->cap ? view->cap : 256;
	while (cap < view->len + more + 1)
		cap *= 2;
	view->text = g_realloc(view->text, cap);
	view->cap = cap;
	/* The part about to be written, not the doubling's spare room. */
	dp_prefault(view->text + view->len, more + 1);
}

/* From view offset V on, the original is at O (drop redundant marks). */
static void
add_mark(DpView *view, gsize v, gsize o)
{
	DpViewMark *last = &g_array_index(view->marks, DpViewMark, view->marks->len - 1);
	if (last->v == v) {
		last->o = o;
		return;
	}
	if (o - v == last->o - last->v)
		return;
	DpViewMark m = { v, o };
	g_array_append_val(view->marks, m);
}

static gboolean
is_invisible(gunichar ch)
{
	switch (ch) {
	case 0x00AD: /* soft hyphen */
	case 0x034F: /* combining grapheme joiner */
	case 0x180E: /* Mongolian vowel separator */
	case 0x200B:
	case 0x200C:
	case 0x200D: /* zero-width space, (non-)joiner */
	case 0x2060:
	case 0x2061:
	case 0x2062:
	case 0x2063:
	case 0x2064:
	case 0xFEFF: /* zero-width no-break space (a BOM inside text) */ return TRUE;
	default: return FALSE;
	}
}

static gboolean
is_space_char(gunichar ch)
{
	return ch == 0x2028 || ch == 0x2029 || ch == 0x85 || g_unichar_type(ch) == G_UNICODE_SPACE_SEPARATOR;
}

static inline gboolean
is_alnum(char c)
{
	return g_ascii_isalnum(c);
}

/*
 * A whitespace run (ASCII and Unicode spaces, invisible characters) starts
 * at IN+I.  Collapse it to one space, or a newline when it holds a
 * paragraph break, or nothing when a line break splits a value.  Returns
 * the offset after the run.
 */
static gsize
whitespace_run(DpView *view, const char *in, gsize len, gsize i, gboolean after_shy)
{
	guint nl = 0;
	gboolean para = FALSE;
	gsize j = i;
	while (j < len) {
		guchar c = (guchar)in[j];
		if (byte_class[c] == C_SPACE || c == ' ') {
			if (c == '\n' || (c == '\r' && (j + 1 >= len || in[j + 1] != '\n')))
				nl++;
			else if (c == '\f' || c == '\v')
				para = TRUE;
			j++;
			continue;
		}
		if (c < 0x80)
			break;
		gunichar ch = g_utf8_get_char_validated(in + j, (gssize)(len - j));
		if (ch == (gunichar)-1 || ch == (gunichar)-2)
			break;
		if (ch == 0x2029)
			para = TRUE;
		else if (ch == 0x2028 || ch == 0x85)
			nl++;
		else if (!is_space_char(ch) && !is_invisible(ch))
			break;
		j = (gsize)(g_utf8_next_char(in + j) - in);
	}
	const char *repl = " ";
	if (para || nl >= 2) {
		repl = "\n";
	} else if (nl == 1 && view->len > 0) {
		char prev = view->text[view->len - 1];
		char prev2 = view->len > 1 ? view->text[view->len - 2] : ' ';
		char next = j < len ? in[j] : ' ';
		if (after_shy && is_alnum(next)) {
			repl = ""; /* "exam<shy>\nple": a hyphenation point */
		} else if (prev == '-' && is_alnum(prev2) && is_alnum(next)) {
			/*
			 * "exam-\nple": a word hyphenated at the line end loses the
			 * hyphen; between digits ("202-555-\n0143") or before a
			 * capital ("Ben-\nAli") the hyphen is real and stays.
			 */
			repl = "";
			if (!(g_ascii_isdigit(prev2) && g_ascii_isdigit(next)) && !g_ascii_isupper(next)) {
				view->len--;
				add_mark(view, view->len, j);
			}
		} else if (prev == '@' || next == '@' || prev == '_') {
			repl = "";
		} else if (prev == '.' && is_alnum(prev2) && (g_ascii_islower(next) || g_ascii_isdigit(next))) {
			repl = ""; /* "example.\ncom", "192.168.\n1.1" */
		}
	}
	gsize rl = strlen(repl);
	reserve(view, rl);
	memcpy(view->text + view->len, repl, rl);
	view->len += rl;
	add_mark(view, view->len, j);
	return j;
}

/* Fold the character CH (CLEN bytes in the original) into the view. */
static void
fold_char(DpView *view, gunichar ch, gsize o, gsize clen)
{
	char buf[8 * G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	gsize k = 0;
	gunichar map = 0;
	if ((ch >= 0x2010 && ch <= 0x2015) || ch == 0x2212 || ch == 0xFE63 || ch == 0xFF0D)
		map = '-';
	else if (ch == 0x2018 || ch == 0x2019 || ch == 0x201B || ch == 0x2032)
		map = '\'';
	else if (ch == 0x201C || ch == 0x201D || ch == 0x201F)
		map = '"';
	else if (ch == 0xFF20 || ch == 0xFE6B)
		map = '@';
	if (map != 0) {
		buf[k++] = (char)map;
	} else {
		gunichar dec[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
		gsize n = g_unichar_fully_decompose(ch, TRUE, dec, G_N_ELEMENTS(dec));
		for (gsize d = 0; d < n; d++) {
			if (g_unichar_ismark(dec[d]) || is_invisible(dec[d]))
				continue; /* diacritics do not matter */
			gunichar u = dec[d];
			/* Compatibility spaces and controls must not slip in. */
			if (u < 0x20 || u == 0x7F || is_space_char(u))
				u = ' ';
			k += (gsize)g_unichar_to_utf8(u, buf + k);
		}
	}
	gsize p = view->len;
	reserve(view, k);
	memcpy(view->text + p, buf, k);
	view->len += k;
	if (k == clen)
		return;
	if (k > clen) {
		/* An expansion: every extra byte still maps inside the character. */
		add_mark(view, p, o);
		for (gsize b = clen; b < k; b++)
			add_mark(view, p + b, o + clen - 1);
	}
	add_mark(view, p + k, o + clen);
}

/*
 * The fast path: most text is printable ASCII with single spaces and
 * single line breaks, which the view copies as they are (a lone line break
 * becomes a space of the same length).  copy_run copies such a run from
 * IN+I into the view and returns where it stopped: at a byte that needs the
 * slow path (a control or non-ASCII byte, a space followed by more
 * whitespace, a line break that a joining rule of whitespace_run may
 * remove).  With SSE2, 16 bytes are classified per step.
 */
static inline gboolean
solid_at(const char *in, gsize len, gsize j)
{
	return j < len && byte_class[(guchar)in[j]] == C_SOLID;
}

/* A lone line break at IN+J inside a run: a space in the view, unless it may join a value. */
static inline gboolean
plain_newline(const char *in, gsize len, gsize i, gsize j)
{
	if (j == i || in[j] != '\n' || !solid_at(in, len, j + 1))
		return FALSE;
	char p = in[j - 1], next = in[j + 1];
	return !(p == '-' || p == '@' || p == '_' || p == '.' || next == '@');
}

static gsize
copy_run(DpView *view, const char *in, gsize len, gsize i)
{
	reserve(view, len - i + 16);
	char *dst = view->text + view->len - i; /* dst[j] is the view byte of in[j] */
	gsize j = i;
	for (;;) {
#ifdef __SSE2__
		const __m128i lo = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
		while (j + 16 <= len) {
			__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(in + j));
			_mm_storeu_si128((__m128i *)(void *)(dst + j), c);
			/* Signed compare: bytes >= 0x80 are negative, so "< 0x20" takes them too. */
			unsigned np =
			    (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(c, lo), _mm_cmpeq_epi8(c, del)));
			unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, lo));
			/* Stop at a non-plain byte or at a space before whitespace; bit 15's next byte is unknown. */
			unsigned bad = (np | (sp & ((sp | np) >> 1))) & 0x7FFF;
			if (bad == 0) {
				j += 15;
				continue;
			}
			j += (gsize)__builtin_ctz(bad);
			goto stop;
		}
#endif
		while (j < len) {
			char c = in[j];
			if (byte_class[(guchar)c] == C_SOLID) {
				dst[j++] = c;
			} else if (c == ' ' && solid_at(in, len, j + 1)) {
				dst[j] = c;
				dst[j + 1] = in[j + 1];
				j += 2;
			} else {
				break;
			}
		}
#ifdef __SSE2__
	stop:
#endif
		if (j >= len || !plain_newline(in, len, i, j))
			break;
		dst[j++] = ' ';
	}
	view->len += j - i;
	return j;
}

void
dp_view_build(DpView *view, const char *in, gsize len)
{
	init_classes();
	view->len = 0;
	view->orig_len = len;
	view->hint = 0;
	g_array_set_size(view->marks, 0);
	DpViewMark m0 = { 0, 0 };
	g_array_append_val(view->marks, m0);
	reserve(view, len + 16);
	gsize i = 0;
	gboolean after_shy = FALSE;
	while (i < len) {
		guchar c = (guchar)in[i];
		if (G_LIKELY(byte_class[c] & C_PLAIN)) {
			gsize j = copy_run(view, in, len, i);
			if (j == i) {
				i = whitespace_run(view, in, len, i, after_shy);
				after_shy = FALSE;
				continue;
			}
			i = j;
			after_shy = FALSE;
			continue;
		}
		if (byte_class[c] == C_SPACE) {
			i = whitespace_run(view, in, len, i, after_shy);
			after_shy = FALSE;
			continue;
		}
		if (c < 0x80) {
			/* NUL and other controls: kept, the detectors ignore them. */
			reserve(view, 1);
			view->text[view->len++] = (char)c;
			i++;
			after_shy = FALSE;
			continue;
		}
		gunichar ch = g_utf8_get_char_validated(in + i, (gssize)(len - i));
		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			/* Invalid UTF-8: one '?' per byte keeps the view valid. */
			reserve(view, 1);
			view->text[view->len++] = '?';
			i++;
			after_shy = FALSE;
			continue;
		}
		gsize clen = (gsize)(g_utf8_next_char(in + i) - (in + i));
		if (is_invisible(ch)) {
			i += clen;
			add_mark(view, view->len, i);
			after_shy = ch == 0x00AD;
			continue;
		}
		if (is_space_char(ch)) {
			i = whitespace_run(view, in, len, i, after_shy);
			after_shy = FALSE;
			continue;
		}
		fold_char(view, ch, i, clen);
		i += clen;
		after_shy = FALSE;
	}
	view->text[view->len] = '\0';
}

/* The original offset of view offset V. */
static gsize
orig_of(DpView *view, gsize v)
{
	const DpViewMark *m = (const DpViewMark *)(void *)view->marks->data;
	guint n = view->marks->len, lo = view->hint < n ? view->hint : 0;
	if (m[lo].v <= v && (lo + 1 >= n || m[lo + 1].v > v)) {
		/* Same stretch as the last lookup. */
	} else {
		/*
		 * Spans come in text order, and most are a few marks on (a long
		 * text has a mark at every paragraph break): look at the next few
		 * before searching all of them.
		 */
		guint k = lo, hi = n;
		if (m[lo].v <= v) {
			while (k + 1 < n && k - lo < 8 && m[k + 1].v <= v)
				k++;
			if (k + 1 >= n || m[k + 1].v > v)
				hi = k + 1; /* found: the binary search below has nothing left to do */
		} else {
			k = 0;
		}
		/* Find the last mark with m.v <= v, in [k, hi). */
		lo = k;
		while (hi - lo > 1) {
			guint mid = (lo + hi) / 2;
			if (m[mid].v <= v)
				lo = mid;
			else
				hi = mid;
		}
	}
	view->hint = lo;
	gsize o = m[lo].o + (v - m[lo].v);
	return MIN(o, view->orig_len);
}

void
dp_view_span(DpView *view, const char *orig, gsize vs, gsize ve, gsize *os, gsize *oe)
{
	g_assert(vs < ve && ve <= view->len);
	const DpViewMark *m = (const DpViewMark *)(void *)view->marks->data;
	guint n = view->marks->len, h = view->hint < n ? view->hint : 0;
	gsize s, e;
	/* Spans come in text order: the next one is most often a mark or two on (a paragraph break). */
	for (guint k = 0; k < 4 && h + 1 < n && m[h + 1].v <= vs; k++)
		h++;
	if (m[h].v <= vs && (h + 1 >= n || m[h + 1].v > ve) && ve < view->len &&
	    m[h].o + (ve - m[h].v) <= view->orig_len) {
		/*
		 * The usual case: the span lies within one stretch, where view
		 * and original advance together, and nothing is cut at the
		 * original's end: what the three lookups below would give, and
		 * the same hint, without a search.
		 */
		s = m[h].o + (vs - m[h].v);
		e = m[h].o + (ve - m[h].v);
		view->hint = h;
	} else {
		s = orig_of(view, vs);
		e = ve >= view->len ? view->orig_len : orig_of(view, ve);
		gsize last = orig_of(view, ve - 1);
		if (e <= last)
			e = last + 1;
	}
	/* Whole characters of the original, never half of one. */
	while (s > 0 && ((guchar)orig[s] & 0xC0) == 0x80)
		s--;
	while (e < view->orig_len && ((guchar)orig[e] & 0xC0) == 0x80)
		e++;
	*os = s;
	*oe = MIN(e, view->orig_len);
}

/*
 * The starts are written straight into OUT's storage, grown by doubling,
 * and OUT is cut to its length at the end: one g_array_append_val() call
 * per run cost more than the vector scan itself.
 */
void
dp_view_digit_runs(const DpView *view, GArray *out)
{
	const char *v = view->text;
	gsize n = view->len, j = 0;
	guint len = out->len, cap = out->len;
	gsize *at = (gsize *)(void *)out->data;
	gboolean prev_digit = FALSE;
#ifdef __SSE2__
	const __m128i below = _mm_set1_epi8('0' - 1), above = _mm_set1_epi8('9' + 1);
	unsigned carry = 0;
	for (; j + 16 <= n; j += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(v + j));
		unsigned d =
		    (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(c, below), _mm_cmplt_epi8(c, above)));
		/* A digit whose predecessor is not one. */
		unsigned starts = d & ~((d << 1) | carry);
		carry = (d >> 15) & 1;
		if (starts == 0)
			continue;
		/* At most 8 starts in 16 bytes. */
		if (len + 8 > cap) {
			cap = MAX(cap * 2, len + 64);
			g_array_set_size(out, cap);
			at = (gsize *)(void *)out->data;
		}
		while (starts != 0) {
			at[len++] = j + (gsize)__builtin_ctz(starts);
			starts &= starts - 1;
		}
	}
	prev_digit = carry != 0;
#endif
	g_array_set_size(out, len);
	for (; j < n; j++) {
		gboolean digit = g_ascii_isdigit(v[j]);
		if (digit && !prev_digit)
			g_array_append_val(out, j);
		prev_digit = digit;
	}
}

/*
 * Is S printable ASCII without a run of spaces?  Then its view is S itself
 * (copy_run() copies every byte, a lone space included), and folding it is
 * a copy: a term list of names is nearly all such lines.
 */
static gboolean
plain_ascii(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((guchar)*p < 0x20 || (guchar)*p >= 0x7F || (p[0] == ' ' && p[1] == ' '))
			return FALSE;
	return TRUE;
}

char *
dp_view_casefold(const char *s, gssize len)
{
	/* Up to LEN bytes or a NUL, as g_utf8_casefold() reads. */
	gsize n = 0;
	for (; (len < 0 || n < (gsize)len) && s[n] != '\0'; n++)
		if ((guchar)s[n] >= 0x80)
			return g_utf8_casefold(s, len);
	/* ASCII: case folding is lowering A-Z, without g_utf8_casefold's per-character GString. */
	char *out = g_malloc(n + 1);
	for (gsize i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + ('a' - 'A') : s[i]);
	out[n] = '\0';
	return out;
}

char *
dp_view_fold(const char *s)
{
	if (plain_ascii(s))
		return g_strstrip(g_strdup(s));
	DpView v;
	dp_view_init(&v);
	dp_view_build(&v, s, strlen(s));
	char *out = g_strndup(v.text, v.len);
	dp_view_clear(&v);
	/* A term is one line: paragraph breaks inside it become spaces. */
	g_strdelimit(out, "\n", ' ');
	return g_strstrip(out);
}
