/*
 * text.c: charset decoding, text normalization, and the UTF-8 cleaning
 * that every writer of text (XML, records) uses, on GLib's iconv and
 * Unicode tables.
 */
#include "core/text.h"

#include <errno.h>
#include <string.h>

#include "util/banned.h"

const char *
dp_text_bom_charset(const guint8 *d, gsize len, gsize *bom_len)
{
	/* UTF-32LE must be tested before UTF-16LE: its BOM starts the same. */
	if (len >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0) {
		*bom_len = 4;
		return "utf-32le";
	}
	if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF) {
		*bom_len = 4;
		return "utf-32be";
	}
	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
		*bom_len = 3;
		return "utf-8";
	}
	if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
		*bom_len = 2;
		return "utf-16le";
	}
	if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
		*bom_len = 2;
		return "utf-16be";
	}
	*bom_len = 0;
	return NULL;
}

char *
dp_text_canonical_charset(const char *label)
{
	g_autofree char *l = g_ascii_strdown(label, -1);
	g_strstrip(l);
	/* Strip quotes some producers put around the name. */
	g_strdelimit(l, "\"'", ' ');
	g_strstrip(l);
	static const struct {
		const char *label, *name;
	} aliases[] = {
		/* WHATWG: these labels all mean windows-1252. */
		{ "iso-8859-1", "windows-1252" },
		{ "iso8859-1", "windows-1252" },
		{ "latin1", "windows-1252" },
		{ "latin-1", "windows-1252" },
		{ "l1", "windows-1252" },
		{ "us-ascii", "windows-1252" },
		{ "ascii", "windows-1252" },
		{ "cp1252", "windows-1252" },
		{ "iso_8859-1", "windows-1252" },
		{ "utf8", "utf-8" },
		{ "unicode-1-1-utf-8", "utf-8" },
		{ "x-sjis", "shift_jis" },
		{ "gb2312", "gbk" },
		{ "ks_c_5601-1987", "euc-kr" },
		{ "unicode", "utf-16le" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(aliases); i++)
		if (g_str_equal(l, aliases[i].label))
			return g_strdup(aliases[i].name);
	return g_steal_pointer(&l);
}

/*
 * Converters to UTF-8, kept open per thread and per charset.  Opening one
 * costs a dlopen() of the gconv module, and glibc unloads the module again
 * when the last converter closes: per mail part, that churn was several
 * percent of a mailbox run.  At most CONV_CACHE_MAX charsets are kept (a
 * hostile input may declare many); the rest are opened and closed as
 * before.
 */
#define CONV_CACHE_MAX 32
#define CONV_NONE ((GIConv)-1)

static void
conv_close(gpointer p)
{
	GIConv cd = p;
	if (cd != CONV_NONE)
		g_iconv_close(cd);
}

static void
conv_cache_free(gpointer p)
{
	g_hash_table_unref(p);
}

static GPrivate conv_cache = G_PRIVATE_INIT(conv_cache_free);

/* A converter from CS, reset to its initial state, or CONV_NONE. *OWNED: close it after use. */
static GIConv
conv_get(const char *cs, gboolean *owned)
{
	GHashTable *cache = g_private_get(&conv_cache);
	if (cache == NULL) {
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, conv_close);
		g_private_set(&conv_cache, cache);
	}
	*owned = FALSE;
	gpointer v;
	if (g_hash_table_lookup_extended(cache, cs, NULL, &v)) {
		GIConv cd = v;
		if (cd != CONV_NONE)
			g_iconv(cd, NULL, NULL, NULL, NULL);
		return cd;
	}
	GIConv cd = g_iconv_open("UTF-8", cs);
	if (g_hash_table_size(cache) < CONV_CACHE_MAX)
		g_hash_table_insert(cache, g_strdup(cs), cd);
	else
		*owned = cd != CONV_NONE;
	return cd;
}

static gboolean
charset_known(const char *cs)
{
	gboolean owned;
	GIConv cd = conv_get(cs, &owned);
	if (owned)
		g_iconv_close(cd);
	return cd != CONV_NONE;
}

/* Width of one code unit, to skip an undecodable one. */
static gsize
unit_width(const char *cs)
{
	if (g_str_has_prefix(cs, "utf-32"))
		return 4;
	if (g_str_has_prefix(cs, "utf-16"))
		return 2;
	return 1;
}

/* Convert with iconv, turning every undecodable unit into U+FFFD. */
static GString *
convert_lossy(const guint8 *data, gsize len, const char *cs)
{
	GString *out = g_string_sized_new(len + len / 2 + 16);
	gboolean owned;
	GIConv cd = conv_get(cs, &owned);
	g_assert(cd != CONV_NONE);
	char buf[16384];
	char *in = (char *)data;
	gsize inleft = len;
	gsize w = unit_width(cs);
	while (inleft > 0) {
		char *o = buf;
		gsize oleft = sizeof buf;
		gsize r = g_iconv(cd, &in, &inleft, &o, &oleft);
		g_string_append_len(out, buf, (gssize)(o - buf));
		if (r != (gsize)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated sequence at the end): skip a unit. */
		g_string_append(out, "\xef\xbf\xbd");
		gsize skip = MIN(w, inleft);
		in += skip;
		inleft -= skip;
		g_iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* Flush any shift state. */
	char *o = buf;
	gsize oleft = sizeof buf;
	g_iconv(cd, NULL, NULL, &o, &oleft);
	g_string_append_len(out, buf, (gssize)(o - buf));
	if (owned)
		g_iconv_close(cd);
	return out;
}

/*
 * UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte.
 * Returns the byte order, or NULL.
 */
static const char *
sniff_utf16(const guint8 *d, gsize len)
{
	gsize n = MIN(len, 4096) & ~(gsize)1, even = 0, odd = 0;
	if (n < 8)
		return NULL;
	for (gsize i = 0; i < n; i += 2) {
		even += d[i] == 0;
		odd += d[i + 1] == 0;
	}
	if (odd > n / 2 * 7 / 10 && even <= n / 2 / 20)
		return "utf-16le";
	if (even > n / 2 * 7 / 10 && odd <= n / 2 / 20)
		return "utf-16be";
	return NULL;
}

/*
 * Charsets in which every ASCII byte stands for itself, so that ASCII-only
 * data decodes to the same bytes without iconv.  (Not UTF-7, HZ or the
 * EBCDIC code pages: their ASCII bytes mean something else.)
 */
static gboolean
ascii_compatible(const char *cs)
{
	static const char *prefixes[] = { "utf-8",   "windows-", "iso-8859-", "koi8-", "gbk",
		                          "gb18030", "big5",     "shift_jis", "euc-",  "us-ascii" };
	for (guint i = 0; i < G_N_ELEMENTS(prefixes); i++)
		if (g_str_has_prefix(cs, prefixes[i]))
			return TRUE;
	return FALSE;
}

gboolean
dp_text_utf8_valid(const char *s, gsize len)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), high = ones * 0x80;
	gsize i = 0;
	for (; i + 8 <= len; i += 8) {
		guint64 w;
		memcpy(&w, s + i, 8);
		/* A NUL or a byte >= 0x80 sets its high bit. */
		if ((((w - ones) & ~w) | w) & high)
			break;
	}
	return g_utf8_validate_len(s + i, len - i, NULL);
}

static gboolean
all_ascii(const guint8 *d, gsize len)
{
	guint8 acc = 0;
	for (gsize i = 0; i < len; i++)
		acc |= d[i];
	return (acc & 0x80) == 0;
}

/*
 * dp_text_append_clean(): one loop that makes bytes valid UTF-8 for every
 * writer of text (the decoder, normalization, XML output, record header
 * values), each keeping what its format can carry.  Most text is plain
 * ASCII that needs nothing, so the loop looks for the bytes that do need
 * something eight at a time, and copies what it passes over in one append;
 * measured on mail, that was the largest cost of XML output.
 */

/* What happens to one valid character. */
typedef enum { CLEAN_KEEP, CLEAN_DROP, CLEAN_SPACE, CLEAN_INVALID } CleanAction;

/* The entity text content writes for B, as xmlEncodeSpecialChars() does; NULL for the rest. */
static inline const char *
xml_entity(guchar b)
{
	switch (b) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	}
	return NULL;
}

/* What HOW does with the valid character C (entities aside). */
static inline CleanAction
clean_action(gunichar c, guint how)
{
	/*
	 * XML and header values never had NULs: GLib's validation, which
	 * they were cleaned with first, calls a NUL invalid (U+FFFD).
	 */
	if (c == 0 && (how & (DP_CLEAN_XML | DP_CLEAN_CONTROLS_TO_SPACE)))
		return CLEAN_INVALID;
	if (how & DP_CLEAN_XML) {
		/* XML 1.0's Char production. */
		if (c == '\t' || c == '\n' || (c >= 0x20 && c < 0xFFFE && !(c >= 0xD800 && c < 0xE000)) ||
		    (c >= 0x10000 && c <= 0x10FFFF))
			return CLEAN_KEEP;
		return CLEAN_DROP;
	}
	if ((how & DP_CLEAN_CONTROLS_TO_SPACE) && (c < 0x20 || c == 0x7f))
		return CLEAN_SPACE;
	if ((how & DP_CLEAN_DROP_NUL) && c == 0)
		return CLEAN_DROP;
	return CLEAN_KEEP;
}

/* An ASCII byte HOW copies as it is. */
static inline gboolean
clean_byte_plain(guchar b, guint how)
{
	if (b >= 0x80 || ((how & DP_CLEAN_XML_ESCAPE) && xml_entity(b) != NULL))
		return FALSE;
	return clean_action(b, how) == CLEAN_KEEP;
}

/*
 * Whether all eight bytes of W are clean_byte_plain(), or FALSE when one
 * may not be: none with the high bit; with XML or controls to space, none
 * below space (tab and newline included: the byte test takes them); with
 * controls to space no DEL, with NULs dropped no NUL; with escapes none of
 * & < > ".  Each test is exact as a yes or no.
 */
static inline gboolean
clean_word_plain(guint64 w, guint how)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), high = ones * 0x80;
	guint64 m = w;
	if (how & (DP_CLEAN_XML | DP_CLEAN_CONTROLS_TO_SPACE))
		m |= (w - ones * 0x20) & ~w;
	else if (how & DP_CLEAN_DROP_NUL)
		m |= (w - ones) & ~w;
	if (how & DP_CLEAN_CONTROLS_TO_SPACE) {
		guint64 x = w ^ (ones * 0x7f);
		m |= (x - ones) & ~x;
	}
	if (how & DP_CLEAN_XML_ESCAPE) {
		static const guchar special[] = { '&', '<', '>', '"' }; /* xml_entity()'s */
		for (guint i = 0; i < G_N_ELEMENTS(special); i++) {
			guint64 x = w ^ (ones * special[i]);
			m |= (x - ones) & ~x;
		}
	}
	return (m & high) == 0;
}

/*
 * The loop, inlined into one copy per mode so that the tests on HOW
 * vanish.  [RUN, P) is input that goes to OUT as it is, appended when
 * something else must be written or at the end; ROOM is what MAX still
 * allows beyond it.
 */
static inline __attribute__((always_inline)) gsize
clean_loop(GString *out, const char *s, gsize len, guint how, gsize max)
{
	const char *p = s, *run = s, *end = s + len;
	gsize room = max;
	while (p < end) {
		/* The run may grow to LIM; past it there is no room. */
		const char *lim = (gsize)(end - run) > room ? run + room : end;
		for (;;) {
			guint64 w;
			while (lim - p >= 8 && (memcpy(&w, p, 8), clean_word_plain(w, how)))
				p += 8;
			if (p < lim && clean_byte_plain((guchar)*p, how))
				p++;
			else
				break;
		}
		if (p == lim)
			break;
		/* One character that is not plain ASCII, or must change. */
		guchar b = (guchar)*p;
		const char *put = (how & DP_CLEAN_XML_ESCAPE) ? xml_entity(b) : NULL;
		const char *next = p + 1;
		if (put == NULL) {
			gunichar c = b < 0x80 ? b : g_utf8_get_char_validated(p, end - p);
			CleanAction act = c == (gunichar)-1 || c == (gunichar)-2 ? CLEAN_INVALID : clean_action(c, how);
			if (act != CLEAN_INVALID)
				next = p + g_utf8_skip[b];
			if (act == CLEAN_KEEP) {
				if (next > lim)
					break;
				p = next;
				continue;
			}
			/* Dropped, a space, or U+FFFD for a byte that starts no valid sequence. */
			put = act == CLEAN_DROP ? "" : act == CLEAN_SPACE ? " " : "\xef\xbf\xbd";
		}
		/* Write the run, then PUT in place of [P, NEXT). */
		gsize put_len = strlen(put);
		g_string_append_len(out, run, p - run);
		room -= (gsize)(p - run);
		run = p;
		if (put_len > room)
			break;
		g_string_append_len(out, put, (gssize)put_len);
		room -= put_len;
		p = run = next;
	}
	g_string_append_len(out, run, p - run);
	return (gsize)(p - s);
}

gsize
dp_text_append_clean(GString *out, const char *s, gsize len, DpCleanFlags how, gsize max)
{
	switch ((guint)how) {
	case DP_CLEAN_UTF8: return clean_loop(out, s, len, DP_CLEAN_UTF8, max);
	case DP_CLEAN_DROP_NUL: return clean_loop(out, s, len, DP_CLEAN_DROP_NUL, max);
	case DP_CLEAN_XML: return clean_loop(out, s, len, DP_CLEAN_XML, max);
	case DP_CLEAN_XML | DP_CLEAN_XML_ESCAPE:
		return clean_loop(out, s, len, DP_CLEAN_XML | DP_CLEAN_XML_ESCAPE, max);
	case DP_CLEAN_CONTROLS_TO_SPACE: return clean_loop(out, s, len, DP_CLEAN_CONTROLS_TO_SPACE, max);
	default: return clean_loop(out, s, len, how, max);
	}
}

char *
dp_text_decode(const guint8 *data, gsize len, const char *declared, const char *fallback, gsize *out_len, char **used)
{
	GString *out = dp_text_decode_string(data, len, declared, fallback, used);
	if (out_len)
		*out_len = out->len;
	return g_string_free(out, FALSE);
}

GString *
dp_text_decode_string(const guint8 *data, gsize len, const char *declared, const char *fallback, char **used)
{
	/* An empty GBytes gives NULL: no pointer arithmetic on that (UB). */
	static const guint8 nothing[1];
	if (data == NULL) {
		data = nothing;
		len = 0;
	}
	gsize bom = 0;
	g_autofree char *cs = NULL;
	const char *b = dp_text_bom_charset(data, len, &bom);
	if (b != NULL) {
		cs = g_strdup(b);
	} else if (declared != NULL && *declared != '\0') {
		cs = dp_text_canonical_charset(declared);
		/* A declared UTF-16 on bytes without NULs is a lie (HTML says UTF-8). */
		if (g_str_has_prefix(cs, "utf-16") && sniff_utf16(data, len) == NULL) {
			g_free(cs);
			cs = NULL;
		} else if (!charset_known(cs)) {
			g_free(cs);
			cs = NULL;
		}
	}
	gboolean plain = FALSE; /* the bytes are the UTF-8 text as they are */
	if (cs == NULL) {
		const char *u16 = sniff_utf16(data, len);
		if (u16 != NULL)
			cs = g_strdup(u16);
		else if ((plain = dp_text_utf8_valid((const char *)data, len)))
			cs = g_strdup("utf-8");
		else
			cs = dp_text_canonical_charset(fallback ? fallback : "windows-1252");
	}
	data += bom;
	len -= bom;
	/* ASCII in an ASCII-compatible charset: nothing to convert or repair. */
	if (!plain && len > 0 && ascii_compatible(cs) && all_ascii(data, len) && memchr(data, '\0', len) == NULL)
		plain = TRUE;
	GString *out;
	if (plain) {
		out = g_string_new_len((const char *)data, (gssize)len);
	} else if (g_str_equal(cs, "utf-8")) {
		/* Fast path: copy, replacing invalid sequences. */
		out = g_string_sized_new(len + 1);
		dp_text_append_clean(out, (const char *)data, len, DP_CLEAN_UTF8, G_MAXSIZE);
	} else {
		out = convert_lossy(data, len, cs);
	}
	if (used)
		*used = g_steal_pointer(&cs);
	return out;
}

/*
 * Code points whose NFC is themselves whatever surrounds them: canonical
 * combining class 0, unchanged by NFC, and never the second half of a
 * canonical composition (so nothing before them can absorb them).  A text
 * made only of these is already NFC, and g_utf8_normalize, the costly step,
 * can be skipped.  The ranges are conservative (whole blocks where every
 * assigned character qualifies); tests/unit/text-test.c checks every code
 * point in them against GLib's own tables.
 */
static const struct {
	gunichar lo, hi;
} nfc_stable_ranges[] = {
	{ 0x0000, 0x02FF },   /* ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers */
	{ 0x0400, 0x0482 },   /* Cyrillic (before the combining marks) */
	{ 0x048A, 0x052F },   /* Cyrillic, Cyrillic Supplement */
	{ 0x2010, 0x2027 },   /* dashes, quotes, bullets, ellipsis */
	{ 0x2030, 0x205E },   /* per mille, primes, more punctuation */
	{ 0x20A0, 0x20C0 },   /* currency signs */
	{ 0x2100, 0x2125 },   /* letterlike symbols (before the Ohm sign) */
	{ 0x2190, 0x21FF },   /* arrows */
	{ 0x2500, 0x27BF },   /* box drawing, shapes, dingbats */
	{ 0x3000, 0x3029 },   /* CJK punctuation (before the tone marks) */
	{ 0x3041, 0x3096 },   /* hiragana */
	{ 0x30A1, 0x30FA },   /* katakana */
	{ 0x4E00, 0x9FFF },   /* CJK unified ideographs */
	{ 0xAC00, 0xD7A3 },   /* Hangul syllables */
	{ 0xFF01, 0xFF60 },   /* full-width forms */
	{ 0x1F300, 0x1FAFF }, /* pictographs and emoji */
};

gboolean
dp_text_nfc_stable(gunichar c)
{
	if (c < 0x300)
		return TRUE;
	for (guint i = 1; i < G_N_ELEMENTS(nfc_stable_ranges); i++)
		if (c >= nfc_stable_ranges[i].lo && c <= nfc_stable_ranges[i].hi)
			return TRUE;
	return FALSE;
}

/* Blank at a line end: tab and the space separators (NBSP, ...). */
static gboolean
is_blank(gunichar c)
{
	return c == ' ' || c == '\t' || (c >= 0x80 && g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR);
}

/* Characters normalization drops (line breaks other than \n aside). */
static gboolean
is_dropped(gunichar c)
{
	return c == 0xFEFF || (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7f ||
	       (c >= 0x80 && c < 0xa0 && c != 0x85);
}

/*
 * Eight bytes at a time: the index of the first byte of W (loaded little
 * endian) that is < 0x20, 0x7f or >= 0x80, or 8 when there is none.  The
 * borrow tricks can flag bytes after a real hit, never before one.
 */
static inline guint
word_special(guint64 w)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), high = ones * 0x80;
	guint64 ctrl = (w - ones * 0x20) & ~w;                             /* a byte < 0x20 */
	guint64 del = ((w ^ (ones * 0x7f)) - ones) & ~(w ^ (ones * 0x7f)); /* a byte == 0x7f */
	guint64 m = (ctrl | del | w) & high;
	return m == 0 ? 8 : (guint)__builtin_ctzll(m) / 8;
}

/*
 * dp_text_is_normal() of a text without page breaks: FALSE, with *PAGED
 * set, at the first form feed.
 */
static gboolean
page_is_normal(const char *str, gsize len, gboolean *paged)
{
	const guchar *s = (const guchar *)str, *p = s, *end = s + len;
	if (len == 0)
		return TRUE;
	/* One final newline, no blank line at the start or the end. */
	if (s[0] == '\n' || s[len - 1] != '\n' || (len >= 2 && s[len - 2] == '\n'))
		return FALSE;
	gboolean validated = FALSE;
	while (p < end) {
		if (end - p >= 8) {
			guint64 w;
			memcpy(&w, p, 8);
			guint skip = word_special(GUINT64_FROM_LE(w));
			p += skip;
			if (skip == 8)
				continue;
		}
		guchar b = *p;
		if (b == '\n') {
			/* No trailing blank, no second blank line in a row. */
			if (p > s) {
				const guchar *prev = p - 1;
				if (*prev == ' ' || *prev == '\t')
					return FALSE;
				if (*prev == '\n' && prev > s && prev[-1] == '\n')
					return FALSE;
				if (*prev >= 0x80) {
					const char *cs = g_utf8_find_prev_char(str, (const char *)p);
					if (cs == NULL || is_blank(g_utf8_get_char(cs)))
						return FALSE;
				}
			}
			p++;
			continue;
		}
		if (b == '\t' || (b >= 0x20 && b < 0x7f)) {
			p++;
			continue;
		}
		if (b < 0x80) {
			*paged = b == '\f';
			return FALSE; /* a control character, DEL, CR, form feed or NUL */
		}
		if (!validated) {
			/* What precedes is ASCII: the rest decides validity. */
			if (!g_utf8_validate_len((const char *)p, (gsize)(end - p), NULL))
				return FALSE;
			validated = TRUE;
		}
		gunichar c = g_utf8_get_char((const char *)p);
		if (!dp_text_nfc_stable(c) || is_dropped(c) || c == 0x85 || c == 0x2028 || c == 0x2029)
			return FALSE;
		p += g_utf8_skip[b];
	}
	return TRUE;
}

/*
 * A text with page breaks, page by page.  dp_text_normalize() starts every
 * page afresh (no blank line at its start) and ends every page but the
 * last with one line end and no blank line before the form feed, which is
 * what page_is_normal() asks of a whole text; a page may be empty (form
 * feeds in a row, or one at the start).  The last page ends the text: a
 * normal text, or a lone line end after a form feed that ended the input.
 */
static gboolean
paged_is_normal(const char *str, gsize len)
{
	const char *p = str, *end = str + len;
	gboolean paged = FALSE;
	for (;;) {
		const char *ff = memchr(p, '\f', (gsize)(end - p));
		if (ff == NULL)
			return (end - p == 1 && *p == '\n') || (end > p && page_is_normal(p, (gsize)(end - p), &paged));
		if (ff > p && !page_is_normal(p, (gsize)(ff - p), &paged))
			return FALSE;
		p = ff + 1;
	}
}

gboolean
dp_text_is_normal(const char *str, gsize len)
{
	/* Page breaks are rare: a text without one is checked in one pass. */
	gboolean paged = FALSE;
	return page_is_normal(str, len, &paged) || (paged && paged_is_normal(str, len));
}

/*
 * The first step of normalization: IN as valid UTF-8 without NULs.  Most
 * text already is; else the cleaned copy is left in *COPY.
 */
static const char *
normalize_valid(const char *in, gsize len, gsize *out_len, GString **copy)
{
	*out_len = len;
	if (dp_text_utf8_valid(in, len))
		return in;
	*copy = g_string_sized_new(len + 1);
	dp_text_append_clean(*copy, in, len, DP_CLEAN_DROP_NUL, G_MAXSIZE);
	*out_len = (*copy)->len;
	return (*copy)->str;
}

/*
 * The second step: SRC in NFC, only when some character could change
 * under it (g_utf8_normalize is the costly part); else the copy is left
 * in *COPY.
 */
static const char *
normalize_nfc(const char *src, gsize len, gsize *out_len, char **copy)
{
	*out_len = len;
	for (const char *q = src, *end = src + len; q < end; q++) {
		if ((guchar)*q < 0x80)
			continue;
		if (!dp_text_nfc_stable(g_utf8_get_char(q))) {
			*copy = g_utf8_normalize(src, (gssize)len, G_NORMALIZE_NFC);
			*out_len = *copy ? strlen(*copy) : 0;
			return *copy ? *copy : "";
		}
		q += g_utf8_skip[(guchar)*q] - 1;
	}
	return src;
}

/*
 * The last step writes lines: where the current one starts and where its
 * last non-blank character ends, so that trailing blanks can be cut when
 * it ends, and how many blank lines were just written.
 */
typedef struct {
	GString *out;
	gsize line_start;  /* start of the current output line */
	gsize content_end; /* end of the last non-blank character on it */
	guint blank_run;   /* blank lines just written */
	gboolean any;      /* any non-blank text written yet */
} Lines;

static gboolean
printable_or_tab(guchar b)
{
	return b == '\t' || (b >= 0x20 && b < 0x7f);
}

/* Copy the run of printable ASCII and tabs at Q in one go; returns its end. */
static const char *
lines_ascii_run(Lines *l, const char *q, const char *end)
{
	const char *r = q, *last = NULL;
	while (r < end && printable_or_tab((guchar)*r)) {
		if (*r != ' ' && *r != '\t')
			last = r;
		r++;
	}
	gsize at = l->out->len;
	g_string_append_len(l->out, q, r - q);
	if (last != NULL) {
		l->any = TRUE;
		l->content_end = at + (gsize)(last - q) + 1;
	}
	return r;
}

/* Drop the trailing blanks of the line just ended; TRUE when it was blank. */
static gboolean
lines_trim(Lines *l)
{
	g_string_truncate(l->out, MAX(l->content_end, l->line_start));
	return l->out->len == l->line_start;
}

/* A line end: at most one blank line in a row, none at the start. */
static void
lines_newline(Lines *l)
{
	if (lines_trim(l)) {
		if (l->any && l->blank_run == 0) {
			g_string_append_c(l->out, '\n');
			l->line_start = l->out->len;
		}
		l->blank_run++;
	} else {
		g_string_append_c(l->out, '\n');
		l->line_start = l->out->len;
		l->blank_run = 0;
	}
}

/* A page break: no blank lines before it, a line end before it. */
static void
lines_page_break(Lines *l)
{
	GString *out = l->out;
	lines_trim(l);
	while (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
		g_string_truncate(out, out->len - 1);
	if (out->len > 0 && out->str[out->len - 1] != '\n' && out->str[out->len - 1] != '\f')
		g_string_append_c(out, '\n');
	g_string_append(out, "\f");
	l->line_start = out->len;
	l->blank_run = 1; /* what follows a page break starts afresh */
	l->any = TRUE;
}

/* Trailing blanks and blank lines at the end go; one final newline. */
static void
lines_finish(Lines *l)
{
	GString *out = l->out;
	lines_trim(l);
	while (out->len > 0 && out->str[out->len - 1] == '\n')
		g_string_truncate(out, out->len - 1);
	if (out->len > 0)
		g_string_append_c(out, '\n');
}

GString *
dp_text_normalize(const char *in, gsize len)
{
	/* Most extracted text already is: a check is far cheaper than the work. */
	if (dp_text_is_normal(in, len))
		return g_string_new_len(in, (gssize)len);

	g_autoptr(GString) valid = NULL;
	g_autofree char *nfc = NULL;
	gsize slen;
	const char *src = normalize_valid(in, len, &slen, &valid);
	src = normalize_nfc(src, slen, &slen, &nfc);

	Lines l = { .out = g_string_sized_new(slen + 2) };
	const char *q = src, *end = src + slen;
	while (q < end) {
		guchar b = (guchar)*q;
		if (printable_or_tab(b)) {
			q = lines_ascii_run(&l, q, end);
			continue;
		}
		gunichar c = g_utf8_get_char(q);
		const char *next = q + g_utf8_skip[b];
		if (c == '\r') {
			/* CR LF and lone CR both end a line. */
			c = '\n';
			if (next < end && *next == '\n')
				next++;
		}
		if (c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85) {
			lines_newline(&l);
		} else if (c == '\f') {
			lines_page_break(&l);
		} else if (!is_dropped(c)) {
			g_string_append_len(l.out, q, next - q);
			/* Tabs and Unicode spaces (NBSP, ...) at a line end are trailing blanks. */
			if (!is_blank(c)) {
				l.any = TRUE;
				l.content_end = l.out->len;
			}
		}
		q = next;
	}
	lines_finish(&l);
	return l.out;
}

char *
dp_text_one_line(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 1);
	gboolean space = FALSE;
	for (const char *p = s; *p;) {
		/*
		 * A run of visible ASCII, nearly all of a header, goes in one
		 * append; else one character (ASCII blanks and controls, all
		 * <= 0x20, are among those that become a space).
		 */
		const char *q = p;
		while ((guchar)*q > 0x20 && (guchar)*q < 0x80)
			q++;
		gboolean run = q > p;
		gunichar c = 0;
		if (!run) {
			c = g_utf8_get_char(p);
			q = g_utf8_next_char(p);
		}
		if (!run && (g_unichar_isspace(c) || c < 0x20)) {
			space = out->len > 0;
		} else {
			if (space)
				g_string_append_c(out, ' ');
			space = FALSE;
			if (run)
				g_string_append_len(out, p, q - p);
			else
				g_string_append_unichar(out, c);
		}
		p = q;
	}
	return g_string_free(out, FALSE);
}
