/*
 * text-test: charset decoding and text normalization.
 */
#include "core/text.h"

#include <string.h>

#include "unit.h"

#include "util/banned.h"

static void
check_norm(const char *in, gsize len, const char *want)
{
	g_autoptr(GString) out = dp_text_normalize(in, len);
	g_assert_cmpstr(out->str, ==, want);
	/* Idempotent. */
	g_autoptr(GString) again = dp_text_normalize(out->str, out->len);
	g_assert_cmpstr(again->str, ==, want);
}

/*
 * The straightforward normalizer (per character, NFC on everything non-
 * ASCII) that dp_text_normalize's fast paths must agree with.
 */
static GString *
reference_normalize(const char *in, gsize len)
{
	g_autoptr(GString) valid = g_string_sized_new(len + 1);
	const char *p = in, *end = in + len;
	while (p < end) {
		const char *valid_end;
		if (g_utf8_validate(p, end - p, &valid_end)) {
			g_string_append_len(valid, p, end - p);
			break;
		}
		g_string_append_len(valid, p, valid_end - p);
		if (*valid_end != '\0')
			g_string_append(valid, "\xef\xbf\xbd");
		p = valid_end + 1;
	}
	g_autofree char *nfc = g_utf8_normalize(valid->str, (gssize)valid->len, G_NORMALIZE_NFC);
	GString *out = g_string_new(NULL);
	gsize line_start = 0, content_end = 0;
	guint blank_run = 0;
	gboolean any = FALSE;
	for (const char *q = nfc; *q;) {
		gunichar c = g_utf8_get_char(q);
		const char *next = g_utf8_next_char(q);
		if (c == '\r') {
			c = '\n';
			if (*next == '\n')
				next++;
		}
		if (c == 0x2028 || c == 0x2029 || c == 0x85)
			c = '\n';
		if (c == '\n' || c == '\f') {
			g_string_truncate(out, MAX(content_end, line_start));
			gboolean blank = out->len == line_start;
			if (c == '\f') {
				while (out->len >= 2 && out->str[out->len - 1] == '\n' &&
				       out->str[out->len - 2] == '\n')
					g_string_truncate(out, out->len - 1);
				if (out->len > 0 && out->str[out->len - 1] != '\n' && out->str[out->len - 1] != '\f')
					g_string_append_c(out, '\n');
				g_string_append(out, "\f");
				line_start = out->len;
				blank_run = 1;
				any = TRUE;
				q = next;
				continue;
			}
			if (blank) {
				if (any && blank_run == 0) {
					g_string_append_c(out, '\n');
					line_start = out->len;
				}
				blank_run++;
			} else {
				g_string_append_c(out, '\n');
				line_start = out->len;
				blank_run = 0;
			}
			q = next;
			continue;
		}
		if (c == 0xFEFF || (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
			q = next;
			continue;
		}
		g_string_append_len(out, q, next - q);
		if (c != '\t' && g_unichar_type(c) != G_UNICODE_SPACE_SEPARATOR) {
			any = TRUE;
			content_end = out->len;
		}
		q = next;
	}
	g_string_truncate(out, MAX(content_end, line_start));
	while (out->len > 0 && out->str[out->len - 1] == '\n')
		g_string_truncate(out, out->len - 1);
	if (out->len > 0)
		g_string_append_c(out, '\n');
	return out;
}

/* Random texts from pieces that exercise every branch, against the reference. */
static void
test_normalize_random(void)
{
	static const char *pieces[] = {
		"a",
		"word",
		" ",
		"  ",
		"\t",
		"\n",
		"\n\n",
		"\r\n",
		"\r",
		"\f",
		"\x01",
		"\x7f",
		"\0",
		"\xff",
		"\xc3",
		"\xc3\xa9",
		"e\xcc\x81",
		"\xcc\x81",
		"\xc2\xa0",
		"\xc2\x85",
		"\xe2\x80\xa8",
		"\xef\xbb\xbf",
		"\xe3\x80\x80",
		"\xe4\xb8\xad",
		"\xea\xb0\x80",
		"\xe1\x86\xa8",
		"\xd0\x99",
		"\xe2\x80\x94",
		"\xf0\x9f\x98\x80",
		"\xe2\x84\xa6",
		"\xcd\x84",
		"0123456789abcdef",
		"long line of plain ASCII text, more than eight bytes",
		"\xc2\x9f",
		"\xe0\xae\xbe",
	};
	GRand *rng = g_rand_new_with_seed(4);
	for (guint iter = 0; iter < 20000; iter++) {
		g_autoptr(GString) in = g_string_new(NULL);
		guint n = (guint)g_rand_int_range(rng, 0, 24);
		for (guint k = 0; k < n; k++) {
			const char *pc = pieces[g_rand_int_range(rng, 0, G_N_ELEMENTS(pieces))];
			g_string_append_len(in, pc, *pc ? (gssize)strlen(pc) : 1);
		}
		g_autoptr(GString) want = reference_normalize(in->str, in->len);
		g_autoptr(GString) got = dp_text_normalize(in->str, in->len);
		if (!g_string_equal(want, got)) {
			g_autofree char *e = g_strescape(in->str, NULL);
			g_error("normalize differs from the reference on \"%s\" (%" G_GSIZE_FORMAT " bytes)", e,
			        in->len);
		}
		/*
		 * The fast check never claims a text is normalized when it is not
		 * (against the reference: dp_text_normalize() itself trusts it).
		 */
		if (dp_text_is_normal(in->str, in->len))
			g_assert_true(g_string_equal(want, in));
		/* Normalized output takes the fast path, page breaks and all. */
		gboolean fast = TRUE;
		for (const char *q = got->str; *q; q = g_utf8_next_char(q))
			fast = fast && dp_text_nfc_stable(g_utf8_get_char(q));
		if (fast && !dp_text_is_normal(got->str, got->len)) {
			g_autofree char *e = g_strescape(got->str, NULL);
			g_error("normalized text not taken as normal: \"%s\"", e);
		}
	}
	g_rand_free(rng);
	g_assert_true(dp_text_is_normal("", 0));
	g_assert_true(dp_text_is_normal("a\n\nb\n", 5));
	g_assert_true(dp_text_is_normal("caf\xc3\xa9\n", 6));
	/* Page breaks as dp_text_normalize() writes them. */
	g_assert_true(dp_text_is_normal("a\n\fb\n", 5));
	g_assert_true(dp_text_is_normal("\fa\n\f\fb\n", 7));
	g_assert_true(dp_text_is_normal("a\n\f\n", 4));
	g_assert_true(dp_text_is_normal("a\n\nb\n\fc\n", 8));
	g_assert_false(dp_text_is_normal("a\fb\n", 4));
	g_assert_false(dp_text_is_normal("a\n\n\fb\n", 6));
	g_assert_false(dp_text_is_normal("a \n\fb\n", 6));
	g_assert_false(dp_text_is_normal("a\n\f\nb\n", 6));
	g_assert_false(dp_text_is_normal("a\n\f", 3));
	g_assert_false(dp_text_is_normal("a\n\f\n\n", 5));
	g_assert_false(dp_text_is_normal("a \n", 3));
	g_assert_false(dp_text_is_normal("a\xc2\xa0\n", 4));
	g_assert_false(dp_text_is_normal("a\n\n", 3));
	g_assert_false(dp_text_is_normal("a\n\n\nb\n", 6));
	g_assert_false(dp_text_is_normal("\na\n", 3));
	g_assert_false(dp_text_is_normal("a", 1));
	g_assert_false(dp_text_is_normal("a\r\n", 3));
	g_assert_false(dp_text_is_normal("e\xcc\x81\n", 4));
	g_assert_false(dp_text_is_normal("0123456789\x7f"
	                                 "abcdef\n",
	                                 18));
}

/*
 * Every code point dp_text_nfc_stable accepts: combining class 0, its own
 * NFC, and never the second half of a canonical pair (checked over all
 * code points, Hangul included).
 */
static void
test_nfc_stable(void)
{
	guint8 *second = g_malloc0(0x110000);
	for (gunichar c = 0; c < 0x110000; c++) {
		gunichar a, b;
		if (g_unichar_decompose(c, &a, &b) && b != 0)
			second[b] = 1;
	}
	guint n = 0;
	for (gunichar c = 1; c < 0x110000; c++) {
		if (!dp_text_nfc_stable(c))
			continue;
		n++;
		if (c >= 0xD800 && c < 0xE000)
			g_error("U+%04X: a surrogate", c);
		char buf[8];
		gint len = g_unichar_to_utf8(c, buf);
		g_autofree char *nfc = g_utf8_normalize(buf, len, G_NORMALIZE_NFC);
		if (g_unichar_combining_class(c) != 0 || second[c] || nfc == NULL || strlen(nfc) != (gsize)len ||
		    memcmp(nfc, buf, (gsize)len) != 0)
			g_error("U+%04X is not NFC-stable", c);
	}
	g_assert_cmpuint(n, >, 0x300);
	g_free(second);
}

static void
test_normalize(void)
{
	check_norm("", 0, "");
	check_norm("   \n\n  ", 7, "");
	check_norm("a", 1, "a\n");
	check_norm("a  \nb\t\n", 7, "a\nb\n");
	check_norm("a\r\nb\rc", 7, "a\nb\nc\n");
	check_norm("\n\n\na\n\n\n\nb\n\n", 11, "a\n\nb\n");
	check_norm("a\x01"
	           "b\x7f"
	           "c",
	           5, "abc\n");
	/* NFC: e + combining acute becomes one character. */
	check_norm("e\xcc\x81", 3, "\xc3\xa9\n");
	/* Invalid UTF-8 becomes U+FFFD; NUL is dropped. */
	check_norm("a\xff"
	           "b\0c",
	           5,
	           "a\xef\xbf\xbd"
	           "bc\n");
	/* Page breaks survive, blank lines around them do not pile up. */
	check_norm("p1\n\n\fp2\f\fp4", 11, "p1\n\fp2\n\f\fp4\n");
	check_norm("\tindented", 9, "\tindented\n");
	/* C1 controls and BOM go; U+2028 is a line break. */
	check_norm("\xef\xbb\xbf"
	           "a\xc2\x85"
	           "b\xe2\x80\xa8"
	           "c",
	           12, "a\nb\nc\n");
}

static void
check_decode(const char *data, gsize len, const char *declared, const char *want, const char *want_cs)
{
	g_autofree char *used = NULL;
	gsize outlen;
	g_autofree char *out = dp_text_decode((const guint8 *)data, len, declared, "windows-1252", &outlen, &used);
	g_assert_cmpstr(out, ==, want);
	g_assert_cmpuint(outlen, ==, strlen(want));
	g_assert_cmpstr(used, ==, want_cs);
}

static void
test_decode(void)
{
	check_decode("caf\xc3\xa9", 5, NULL, "caf\xc3\xa9", "utf-8");
	check_decode("caf\xe9", 4, NULL, "caf\xc3\xa9", "windows-1252");
	check_decode("\x93quoted\x94", 8, "iso-8859-1", "\xe2\x80\x9cquoted\xe2\x80\x9d", "windows-1252");
	check_decode("\xef\xbb\xbf"
	             "abc",
	             6, "koi8-r", "abc", "utf-8");
	check_decode("\xff\xfe"
	             "a\0b\0",
	             6, NULL, "ab", "utf-16le");
	check_decode("\xfe\xff\0a\0b", 6, NULL, "ab", "utf-16be");
	check_decode("\xff\xfe\0\0"
	             "a\0\0\0",
	             8, NULL, "a", "utf-32le");
	check_decode("\0\0\xfe\xff\0\0\0a", 8, NULL, "a", "utf-32be");
	/* UTF-16 without a BOM is recognised by its NULs. */
	check_decode("h\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0", 22, NULL, "hello world", "utf-16le");
	/* A declared charset iconv does not know falls back. */
	check_decode("abc", 3, "x-no-such-charset", "abc", "utf-8");
	/* "charset=unicode" on ASCII bytes is a lie. */
	check_decode("abc", 3, "unicode", "abc", "utf-8");
	check_decode("\xf0\xd2\xc9", 3, "KOI8-R", "\xd0\x9f\xd1\x80\xd0\xb8", "koi8-r");
	/* Truncated UTF-16 and bad UTF-8 never fail. */
	check_decode("\xff\xfe"
	             "a\0b",
	             5, NULL, "a\xef\xbf\xbd", "utf-16le");
	check_decode("a\xc3", 2, "utf-8", "a\xef\xbf\xbd", "utf-8");
	/* ASCII shortcut: only for charsets where ASCII bytes mean ASCII. */
	check_decode("plain ascii", 11, "us-ascii", "plain ascii", "windows-1252");
	check_decode("a+AOk-b", 7, "utf-7",
	             "a\xc3\xa9"
	             "b",
	             "utf-7");
}

/*
 * The per-character definition of dp_text_append_clean(): what the XML
 * writer, the record writer and the decoder each did with their own loop.
 */
static GString *
reference_clean(const char *s, gsize len, DpCleanFlags how, gsize max)
{
	GString *out = g_string_new(NULL);
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *put = p, *next;
		gsize n;
		gunichar c = *p == '\0' ? 0 : g_utf8_get_char_validated(p, end - p);
		gboolean xml_char = c == '\t' || c == '\n' ||
		                    (c >= 0x20 && c < 0xFFFE && !(c >= 0xD800 && c < 0xE000)) ||
		                    (c >= 0x10000 && c <= 0x10FFFF);
		if (c == (gunichar)-1 || c == (gunichar)-2 ||
		    (c == 0 && (how & (DP_CLEAN_XML | DP_CLEAN_CONTROLS_TO_SPACE)))) {
			put = "\xef\xbf\xbd", n = 3, next = p + 1;
		} else {
			next = g_utf8_next_char(p);
			n = (gsize)(next - p);
			if ((how & DP_CLEAN_XML_ESCAPE) && c == '&')
				put = "&amp;", n = 5;
			else if ((how & DP_CLEAN_XML_ESCAPE) && c == '<')
				put = "&lt;", n = 4;
			else if ((how & DP_CLEAN_XML_ESCAPE) && c == '>')
				put = "&gt;", n = 4;
			else if ((how & DP_CLEAN_XML_ESCAPE) && c == '"')
				put = "&quot;", n = 6;
			else if ((how & DP_CLEAN_XML) && !xml_char)
				n = 0;
			else if ((how & DP_CLEAN_CONTROLS_TO_SPACE) && (c < 0x20 || c == 0x7f))
				put = " ", n = 1;
			else if ((how & DP_CLEAN_DROP_NUL) && c == 0)
				n = 0;
		}
		if (out->len + n > max)
			break;
		g_string_append_len(out, put, (gssize)n);
		p = next;
	}
	return out;
}

static void
check_clean(const char *s, gsize len, DpCleanFlags how, gsize max)
{
	g_autoptr(GString) want = reference_clean(s, len, how, max);
	g_autoptr(GString) got = g_string_new("x");
	dp_text_append_clean(got, s, len, how, max);
	if (got->len - 1 != want->len || memcmp(got->str + 1, want->str, want->len) != 0) {
		g_autofree char *in = g_strescape(g_strndup(s, len), NULL);
		g_error("mode %d, max %" G_GSIZE_FORMAT ": '%s' gives '%s', want '%s'", how, max, in,
		        g_strescape(got->str + 1, NULL), g_strescape(want->str, NULL));
	}
}

static void
test_clean(void)
{
	static const DpCleanFlags modes[] = { DP_CLEAN_UTF8, DP_CLEAN_DROP_NUL, DP_CLEAN_XML,
		                              DP_CLEAN_XML | DP_CLEAN_XML_ESCAPE, DP_CLEAN_CONTROLS_TO_SPACE };
	/* Bytes that each mode treats differently, ASCII runs for the word path. */
	static const char *const pieces[] = { "a",
		                              "plain ascii text",
		                              "&",
		                              "<",
		                              ">",
		                              "\"",
		                              "\t",
		                              "\n",
		                              "\r",
		                              "\x01",
		                              "\x7f",
		                              "\0",
		                              "\xc3\xa9",
		                              "\xc2\x85",
		                              "\xef\xbf\xbe",
		                              "\xef\xbf\xbf",
		                              "\xf0\x9f\x98\x80",
		                              "\xff",
		                              "\xc3",
		                              "\xe2\x82",
		                              "\xed\xa0\x80",
		                              "\xc0\x80",
		                              "\xf8\x88\x80\x80\x80" };
	GRand *r = g_rand_new_with_seed(13);
	for (guint i = 0; i < 20000; i++) {
		g_autoptr(GString) in = g_string_new(NULL);
		guint n = (guint)g_rand_int_range(r, 0, 12);
		for (guint k = 0; k < n; k++)
			g_string_append(in, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
		/* "\0" pieces append nothing as strings: put real NULs in. */
		if (g_rand_boolean(r) && in->len > 0)
			in->str[g_rand_int_range(r, 0, (gint32)in->len)] = '\0';
		gsize max = g_rand_boolean(r) ? G_MAXSIZE : (gsize)g_rand_int_range(r, 0, 40);
		for (guint m = 0; m < G_N_ELEMENTS(modes); m++)
			check_clean(in->str, in->len, modes[m], max);
	}
	g_rand_free(r);
	/* What each writer relies on. */
	g_autoptr(GString) x = g_string_new(NULL);
	dp_text_append_clean(x, "a<b & \"c\"\r\x01\xff\n", 13, DP_CLEAN_XML | DP_CLEAN_XML_ESCAPE, G_MAXSIZE);
	g_assert_cmpstr(x->str, ==, "a&lt;b &amp; &quot;c&quot;\xef\xbf\xbd\n");
	g_string_truncate(x, 0);
	g_assert_cmpuint(dp_text_append_clean(x,
	                                      "ab\tc\xc3\xa9"
	                                      "d",
	                                      7, DP_CLEAN_CONTROLS_TO_SPACE, 5),
	                 ==, 4);
	g_assert_cmpstr(x->str, ==, "ab c");
	g_string_truncate(x, 0);
	dp_text_append_clean(x, "a\0b\xff", 4, DP_CLEAN_DROP_NUL, G_MAXSIZE);
	g_assert_cmpstr(x->str, ==, "ab\xef\xbf\xbd");
}

static void
test_one_line(void)
{
	g_autofree char *a = dp_text_one_line("  a \n\t b  ");
	g_assert_cmpstr(a, ==, "a b");
}

DP_UNIT_MAIN("text", test_normalize, test_normalize_random, test_nfc_stable, test_decode, test_clean, test_one_line)
