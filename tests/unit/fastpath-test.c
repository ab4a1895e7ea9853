/*
 * fastpath-test: the word-at-a-time and copy-avoiding fast paths of the
 * mail throughput work agree with the plain per-byte definitions they
 * replace, with the odd byte at every position of a buffer (before, at
 * and after each 8-byte word boundary):
 *   - text sniffing (detect.c looks_like_text, seen through
 *     dp_detect_sniff): no byte < 0x20 but \t \n \r \f ESC, no DEL;
 *   - UTF-8 decoding without a declared charset (text.c): valid UTF-8
 *     without NULs is read as UTF-8, anything else with the fallback;
 *   - one-line header values (dp_text_one_line);
 *   - record header values written and read back (record.c), with
 *     control characters, invalid UTF-8 and the line limit.
 */
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "util/banned.h"

/* What dp_detect_sniff calls text, by the per-byte rule, for a buffer
 * that is neither a PDF, a zip, mail nor HTML. */
static gboolean
reference_text(const guint8 *d, gsize len)
{
	for (gsize i = 0; i < MIN(len, 65536); i++) {
		guint8 c = d[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f)
			return FALSE;
	}
	return TRUE;
}

static void
test_sniff_text(void)
{
	static const guint8 odd[] = { 0x00, 0x01, 0x07, 0x08, 0x0b, 0x1f, 0x7f, 0x80, 0x9f,
		                      0xc3, 0xff, '\t', '\n', '\r', '\f', 0x1b, ' ',  '~' };
	for (gsize len = 1; len <= 40; len++) {
		for (gsize at = 0; at < len; at++) {
			for (guint k = 0; k < G_N_ELEMENTS(odd); k++) {
				guint8 buf[64];
				memset(buf, 'a', sizeof buf);
				buf[at] = odd[k];
				const char *t = dp_detect_sniff(buf, len);
				gboolean text = t != NULL && g_str_equal(t, DP_TYPE_TEXT);
				g_assert_cmpint(text, ==, reference_text(buf, len));
			}
		}
	}
}

static void
test_decode_utf8_or_fallback(void)
{
	/* An invalid byte, a NUL, a 2-byte and a 4-byte character at each position. */
	static const char *const odd[] = { "\xff", "\x00", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xc3" };
	static const gsize odd_len[] = { 1, 1, 2, 4, 1 };
	for (gsize len = 0; len <= 40; len++) {
		for (gsize at = 0; at <= len; at++) {
			for (guint k = 0; k < G_N_ELEMENTS(odd); k++) {
				GString *buf = g_string_new(NULL);
				for (gsize i = 0; i < at; i++)
					g_string_append_c(buf, 'x');
				g_string_append_len(buf, odd[k], (gssize)odd_len[k]);
				for (gsize i = at; i < len; i++)
					g_string_append_c(buf, 'y');
				gboolean valid = g_utf8_validate(buf->str, (gssize)buf->len, NULL);
				g_autofree char *used = NULL;
				gsize outlen;
				g_autofree char *out = dp_text_decode((const guint8 *)buf->str, buf->len, NULL,
				                                      "windows-1252", &outlen, &used);
				g_assert_cmpstr(used, ==, valid ? "utf-8" : "windows-1252");
				if (valid)
					g_assert_cmpmem(out, outlen, buf->str, buf->len);
				g_string_free(buf, TRUE);
			}
		}
	}
}

/* dp_text_one_line() as it was: character by character. */
static char *
reference_one_line(const char *s)
{
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c < 0x20) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static void
test_one_line(void)
{
	static const char *const bits[] = { "a",
		                            "Z",
		                            " ",
		                            "\t",
		                            "\n",
		                            "\r\n",
		                            "\x01",
		                            "\x7f",
		                            "\xc3\xa9",
		                            "\xe2\x80\x83" /* em space */,
		                            "\xc2\xa0" /* NBSP */,
		                            "\xe2\x80\xa8" /* line separator */,
		                            "  ",
		                            "=?x?=",
		                            "<a@b>" };
	/* Every sequence of up to four pieces. */
	guint n = G_N_ELEMENTS(bits);
	for (guint a = 0; a < n; a++)
		for (guint b = 0; b < n; b++)
			for (guint c = 0; c < n; c++)
				for (guint d = 0; d < n; d++) {
					g_autofree char *s = g_strconcat(bits[a], bits[b], bits[c], bits[d], NULL);
					g_autofree char *want = reference_one_line(s);
					g_autofree char *got = dp_text_one_line(s);
					g_assert_cmpstr(got, ==, want);
				}
}

/* REC written with dp_record_write() and read back: the records. */
static GPtrArray *
round_trip(const DpRecord *rec)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *fp = open_memstream(&buf, &blen);
	g_assert_true(dp_record_write(rec, fp, NULL));
	fclose(fp);
	GPtrArray *recs = NULL;
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_record_parse_buffer((const guint8 *)buf, blen, &recs, &error));
	free(buf);
	return recs;
}

/* A header value as the writer must put it: UTF-8, controls as spaces. */
static void
test_record_values(void)
{
	static const char *const odd[] = { "\x01", "\x1f", "\x7f", "\t", "\xff", "\xc3\xa9", "\xc3" };
	static const char *const want[] = { " ", " ", " ", " ", "\xef\xbf\xbd", "\xc3\xa9", "\xef\xbf\xbd" };
	for (gsize len = 1; len <= 24; len++) {
		for (gsize at = 0; at < len; at++) {
			for (guint k = 0; k < G_N_ELEMENTS(odd); k++) {
				GString *v = g_string_new(NULL), *expect = g_string_new(NULL);
				for (gsize i = 0; i < len; i++) {
					g_string_append(v, i == at ? odd[k] : "v");
					g_string_append(expect, i == at ? want[k] : "v");
				}
				g_autoptr(DpRecord) rec = dp_record_new();
				dp_record_set(rec, "meta.value", v->str);
				dp_record_set_body(rec, "body\n", 5);
				g_autoptr(GPtrArray) recs = round_trip(rec);
				g_assert_cmpuint(recs->len, ==, 1);
				g_assert_cmpstr(dp_record_get(recs->pdata[0], "meta.value"), ==, expect->str);
				g_string_free(v, TRUE);
				g_string_free(expect, TRUE);
			}
		}
	}
	/* A value longer than a header line may be is cut, at a character boundary. */
	GString *big = g_string_new(NULL);
	while (big->len < DP_RECORD_MAX_LINE + 100)
		g_string_append(big, "ab\xc3\xa9");
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, "meta.big", big->str);
	g_autoptr(GPtrArray) recs = round_trip(rec);
	g_assert_cmpuint(recs->len, ==, 1);
	const char *back = dp_record_get(recs->pdata[0], "meta.big");
	g_assert_true(g_utf8_validate(back, -1, NULL));
	g_assert_cmpuint(strlen(back) + strlen("meta.big: \n"), <=, DP_RECORD_MAX_LINE);
	g_assert_true(g_str_has_prefix(big->str, back));
	g_string_free(big, TRUE);
}

DP_UNIT_MAIN("fastpath", test_sniff_text, test_decode_utf8_or_fallback, test_one_line, test_record_values)
