/*
 * rtf-test: compressed RTF (MS-OXRTFCP) and the RTF reader of
 * extract/rtf.c: text, code pages, Unicode, tables, HTML-encapsulated
 * RTF, \info, embedded objects, and the limits on hostile input.
 */
#include "extract/rtf.h"

#include <string.h>

#include "unit.h"

#include "util/banned.h"

/*
 * "{\rtf1 WXYZWXYZWXYZWXYZWXYZ}" compressed: literals, then one reference
 * that overlaps the bytes it writes, then the end reference.
 */
static const guint8 lzfu_wxyz[] = { 0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 'L',  'Z',
	                            'F',  'u',  0xe2, 0xd4, 0x4b, 0x51, 0x41, 0x00, 0x04, 0x20,
	                            'W',  'X',  'Y',  'Z',  0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0 };

static void
test_lzfu_compressed(void)
{
	g_autoptr(GByteArray) out = NULL;
	g_autoptr(GError) err = NULL;
	g_assert_true(dp_rtf_decompress(lzfu_wxyz, sizeof lzfu_wxyz, 1 << 20, &out, &err));
	g_assert_no_error(err);
	g_assert_cmpmem(out->data, out->len, "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}", 28);
}

static void
test_lzfu_raw(void)
{
	static const guint8 mela[] = { 0x13, 0, 0, 0, 7,   0,    0,   0,   'M', 'E', 'L', 'A',
		                       0,    0, 0, 0, '{', '\\', 'r', 't', 'f', '1', '}' };
	g_autoptr(GByteArray) out = NULL;
	g_autoptr(GError) err = NULL;
	g_assert_true(dp_rtf_decompress(mela, sizeof mela, 100, &out, &err));
	g_assert_cmpmem(out->data, out->len, "{\\rtf1}", 7);
}

static void
test_lzfu_bad(void)
{
	guint8 buf[sizeof lzfu_wxyz];
	g_autoptr(GByteArray) out = NULL;

	/* A byte changed: the CRC says so. */
	memcpy(buf, lzfu_wxyz, sizeof buf);
	buf[20] ^= 1;
	g_autoptr(GError) e1 = NULL;
	g_assert_false(dp_rtf_decompress(buf, sizeof buf, 1 << 20, &out, &e1));
	g_assert_nonnull(strstr(e1->message, "CRC"));
	g_assert_null(out);

	/* Output over the limit. */
	g_autoptr(GError) e2 = NULL;
	g_assert_false(dp_rtf_decompress(lzfu_wxyz, sizeof lzfu_wxyz, 10, &out, &e2));
	g_assert_nonnull(strstr(e2->message, "past 10 bytes"));

	/* A size past the end, and every truncation. */
	for (gsize n = 0; n < sizeof lzfu_wxyz; n++) {
		g_autoptr(GError) e3 = NULL;
		g_assert_false(dp_rtf_decompress(lzfu_wxyz, n, 1 << 20, &out, &e3));
		g_assert_nonnull(e3);
	}

	/* An unknown kind. */
	memcpy(buf, lzfu_wxyz, sizeof buf);
	buf[8] = 'X';
	g_autoptr(GError) e4 = NULL;
	g_assert_false(dp_rtf_decompress(buf, sizeof buf, 1 << 20, &out, &e4));
	g_assert_nonnull(strstr(e4->message, "unknown kind"));
}

static void
check_text(const char *rtf, const char *want)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) s = dp_rtf_to_text(rtf, strlen(rtf), 1 << 20, &err);
	g_assert_no_error(err);
	g_assert_nonnull(s);
	g_assert_cmpstr(s->str, ==, want);
}

static void
test_text_basic(void)
{
	check_text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}"
	           "{\\stylesheet{\\s0 Normal;}}\\pard Hello, {\\b bold} world.\\par Second\\line line\\tab tab}",
	           "Hello, bold world.\nSecond\nline\ttab");
	/* Escaped braces and backslash, ignorable destinations, fields. */
	check_text("{\\rtf1 a\\{b\\}c\\\\d{\\*\\unknown hidden}{\\*\\generator Riched20;}"
	           "{\\field{\\*\\fldinst HYPERLINK \"x\"}{\\fldrslt link}}}",
	           "a{b}c\\dlink");
	/* Special characters and control symbols. */
	check_text("{\\rtf1 a\\~b\\emdash c\\-d\\lquote e\\rquote}", "a\xc2\xa0"
	                                                             "b\u2014cd\u2018e\u2019");
}

static void
test_text_codepages(void)
{
	/* \'hh in the document's code page. */
	check_text("{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 \\'80}", "caf\xc3\xa9 \xe2\x82\xac");
	/* A Cyrillic font (\fcharset204) and back to a Western one. */
	check_text("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset204 Arial Cyr;}}"
	           "\\f1 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2 \\f0 caf\\'e9}",
	           "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 caf\xc3\xa9");
	/* Shift-JIS double bytes (\fcharset128), one broken lead byte. */
	check_text("{\\rtf1{\\fonttbl{\\f0\\fcharset128 MS Mincho;}}\\f0 \\'93\\'fa\\'96\\'7b}",
	           "\xe6\x97\xa5\xe6\x9c\xac");
	check_text("{\\rtf1{\\fonttbl{\\f0\\fcharset128 MS Mincho;}}\\f0 a\\'93}", "a\xef\xbf\xbd");
	/* A long Shift-JIS run at an odd offset: no character is cut between the pieces decoded. */
	GString *sj = g_string_new("{\\rtf1{\\fonttbl{\\f0\\fcharset128 M;}}\\f0 x\\'41");
	GString *want = g_string_new("xA");
	for (int i = 0; i < 5000; i++) {
		g_string_append(sj, "\\'93\\'fa");
		g_string_append(want, "\xe6\x97\xa5");
	}
	g_string_append_c(sj, '}');
	check_text(sj->str, want->str);
	g_string_free(sj, TRUE);
	g_string_free(want, TRUE);
	/* \mac. */
	check_text("{\\rtf1\\mac caf\\'8e}", "caf\xc3\xa9");
}

static void
test_text_unicode(void)
{
	/* \uN with its one-byte fallback skipped, \uc2 with two, \uc0 with none. */
	check_text("{\\rtf1 \\u8364?x \\uc2\\u8364\\'80\\'80y\\uc0\\u8364 z}", "\xe2\x82\xac"
	                                                                       "x \xe2\x82\xac"
	                                                                       "y\xe2\x82\xacz");
	/* Negative values and a surrogate pair (U+1F600). */
	check_text("{\\rtf1 \\u-3913?\\u-10179?\\u-8704?}", "\xef\x82\xb7\xf0\x9f\x98\x80");
	/* A lone low surrogate. */
	check_text("{\\rtf1 \\u-8704?}", "\xef\xbf\xbd");
	/* A group ends the fallback. */
	check_text("{\\rtf1 {\\uc5\\u233}ab}", "\xc3\xa9"
	                                       "ab");
}

static void
test_text_table(void)
{
	check_text("{\\rtf1\\trowd\\cellx1000\\cellx2000 \\intbl A1\\cell B1\\cell\\row"
	           "\\trowd\\cellx1000\\cellx2000 \\intbl A2\\cell B2\\cell\\row}",
	           "A1\tB1\t\nA2\tB2\t\n");
}

static void
test_text_fromhtml(void)
{
	/* As Outlook writes an HTML body into RTF. */
	check_text("{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
	           "{\\*\\htmltag19 <html>}{\\*\\htmltag34 <head>}{\\*\\htmltag241 <style>p {color:red}</style>}"
	           "{\\*\\htmltag41 </head>}{\\*\\htmltag50 <body>}\\htmlrtf {\\htmlrtf0 "
	           "{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Dear Bob,"
	           "{\\*\\htmltag116 <br>}\\htmlrtf \\line\\htmlrtf0 the caf\\'e9"
	           "{\\*\\htmltag84 &nbsp;}\\htmlrtf \\~\\htmlrtf0 is open."
	           "\\htmlrtf }\\htmlrtf0 {\\*\\htmltag72 </p>}\\htmlrtf \\par\\htmlrtf0 "
	           "{\\*\\htmltag64 <table>}{\\*\\htmltag64 <tr>}{\\*\\htmltag64 <td>}x{\\*\\htmltag64 </td>}"
	           "{\\*\\htmltag64 <td>}y{\\*\\htmltag64 </td>}{\\*\\htmltag64 </tr>}"
	           "\\htmlrtf }\\htmlrtf0 {\\*\\htmltag58 </body>}}",
	           "\nDear Bob,\nthe caf\xc3\xa9\xc2\xa0is open.\n\n\n\tx\ty\n");
}

static void
test_info(void)
{
	const char *rtf = "{\\rtf1{\\info{\\title The Title}{\\author Ann Author}{\\subject Sub}"
	                  "{\\keywords k1 k2}{\\creatim\\yr2020\\mo3\\dy4\\hr5\\min6}{\\revtim\\yr2021\\mo1\\dy2}"
	                  "{\\operator Bob}}Body}";
	g_autoptr(GError) err = NULL;
	g_autoptr(DpRtfDoc) doc = dp_rtf_parse(rtf, strlen(rtf), 1000, 1000, &err);
	g_assert_nonnull(doc);
	g_assert_cmpstr(doc->text->str, ==, "Body");
	g_autoptr(GString) m = g_string_new(NULL);
	for (guint i = 0; i < doc->meta->len; i += 2)
		g_string_append_printf(m, "%s=%s;", (char *)doc->meta->pdata[i], (char *)doc->meta->pdata[i + 1]);
	g_assert_cmpstr(m->str, ==,
	                "title=The Title;author=Ann Author;subject=Sub;keywords=k1 k2;created=2020-03-04T05:06:00;"
	                "modified=2021-01-02T00:00:00;last-author=Bob;");
	g_assert_null(doc->cut);
}

static void
test_objects(void)
{
	const char *rtf = "{\\rtf1 before{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata 01050000\n0200 00}"
	                  "{\\result{\\pict\\wmetafile8 abcd}shown}} after"
	                  "{\\pict\\pngblip 89504e47\\bin4 WXYZ}{\\*\\shppict{\\pict\\jpegblip ffd8}}"
	                  "{\\nonshppict{\\pict\\wmetafile8 0102}}{\\pict\\pngblip }}";
	g_autoptr(GError) err = NULL;
	g_autoptr(DpRtfDoc) doc = dp_rtf_parse(rtf, strlen(rtf), 1000, 1000, &err);
	g_assert_nonnull(doc);
	g_assert_cmpstr(doc->text->str, ==, "beforeshown after");
	g_assert_cmpuint(doc->parts->len, ==, 3);
	DpRtfPart *o = doc->parts->pdata[0];
	g_assert_cmpstr(o->kind, ==, "object");
	g_assert_cmpstr(o->class_name, ==, "Package");
	g_assert_cmpmem(o->data->data, o->data->len, "\x01\x05\x00\x00\x02\x00\x00", 7);
	DpRtfPart *p = doc->parts->pdata[1];
	g_assert_cmpstr(p->type, ==, "image/png");
	g_assert_cmpmem(p->data->data, p->data->len, "\x89PNGWXYZ", 8);
	DpRtfPart *j = doc->parts->pdata[2];
	g_assert_cmpstr(j->type, ==, "image/jpeg");
	g_assert_cmpmem(j->data->data, j->data->len, "\xff\xd8", 2);

	/* The parts' limit. */
	g_autoptr(DpRtfDoc) small = dp_rtf_parse(rtf, strlen(rtf), 1000, 5, &err);
	g_assert_nonnull(small->cut);
	gsize total = 0;
	for (guint i = 0; i < small->parts->len; i++)
		total += ((DpRtfPart *)small->parts->pdata[i])->data->len;
	g_assert_cmpuint(total, <=, 5);
}

/*
 * Empty pictures are dropped, the parts around them kept in order; after
 * many parts, each empty one is dropped without a search through them
 * (that search made 120,000 of each take seconds: fuzzing found it).
 */
static void
test_empty_parts(void)
{
	const char *rtf = "{\\rtf1 {\\pict 01}{\\pict}{\\pict zz}{\\pict 02}{\\pict{\\pict 03}}}";
	g_autoptr(GError) err = NULL;
	g_autoptr(DpRtfDoc) doc = dp_rtf_parse(rtf, strlen(rtf), 1000, 1000, &err);
	g_assert_nonnull(doc);
	g_assert_cmpuint(doc->parts->len, ==, 2);
	g_assert_cmpmem(((DpRtfPart *)doc->parts->pdata[0])->data->data, 1, "\x01", 1);
	g_assert_cmpmem(((DpRtfPart *)doc->parts->pdata[1])->data->data, 1, "\x02", 1);

	GString *many = g_string_new("{\\rtf1 ");
	for (int i = 0; i < 50000; i++)
		g_string_append(many, "{\\pict 0a}");
	for (int i = 0; i < 50000; i++)
		g_string_append(many, "{\\pict}");
	g_string_append(many, "{\\pict 0b}}");
	g_autoptr(DpRtfDoc) m = dp_rtf_parse(many->str, many->len, 1000, many->len, &err);
	g_string_free(many, TRUE);
	g_assert_nonnull(m);
	g_assert_cmpuint(m->parts->len, ==, 50001);
	g_assert_cmpmem(((DpRtfPart *)m->parts->pdata[50000])->data->data, 1, "\x0b", 1);
}

static void
test_hostile(void)
{
	g_autoptr(GError) err = NULL;
	/* Not RTF. */
	g_assert_null(dp_rtf_parse("hello", 5, 100, 100, &err));
	g_assert_nonnull(err);
	g_clear_error(&err);

	/* 100000 nested groups: the deep ones skipped, the rest read. */
	GString *deep = g_string_new("{\\rtf1 top");
	for (int i = 0; i < 100000; i++)
		g_string_append(deep, "{x");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(deep, '}');
	g_string_append(deep, " end}");
	g_autoptr(DpRtfDoc) d = dp_rtf_parse(deep->str, deep->len, 1 << 20, 1 << 20, &err);
	g_string_free(deep, TRUE);
	g_assert_nonnull(d);
	g_assert_nonnull(strstr(d->cut, "nested deeper"));
	g_assert_true(g_str_has_prefix(d->text->str, "top"));
	g_assert_true(g_str_has_suffix(d->text->str, " end"));
	g_assert_cmpuint(d->text->len, <, 300);

	/* A \bin that claims 2 GB, in and out of a picture. */
	const char *bin = "{\\rtf1 a{\\pict\\pngblip\\bin2000000000 xy}}";
	g_autoptr(DpRtfDoc) b = dp_rtf_parse(bin, strlen(bin), 100, 100, &err);
	g_assert_nonnull(b);
	g_assert_cmpstr(b->text->str, ==, "a");
	const char *bin2 = "{\\rtf1 a\\bin99999999999999999999 xy}";
	g_autoptr(GString) t = dp_rtf_to_text(bin2, strlen(bin2), 100, &err);
	g_assert_cmpstr(t->str, ==, "a");

	/* The text limit. */
	const char *big = "{\\rtf1 0123456789abcdef}";
	g_autoptr(DpRtfDoc) c = dp_rtf_parse(big, strlen(big), 10, 0, &err);
	g_assert_cmpuint(c->text->len, <=, 10);
	g_assert_nonnull(strstr(c->cut, "text cut"));

	/* Every prefix of a busy document parses. */
	const char *busy = "{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset128 M;}}\\f0 \\'93\\'fa\\u-10179?\\u-8704?"
	                   "{\\info{\\title T}}{\\object{\\*\\objdata 0102}}{\\pict\\bin3 abc}\\'e}";
	for (gsize n = 5; n <= strlen(busy); n++) {
		g_autoptr(DpRtfDoc) x = dp_rtf_parse(busy, n, 1000, 1000, &err);
		g_assert_nonnull(x);
		g_assert_true(g_utf8_validate(x->text->str, x->text->len, NULL));
	}
}

DP_UNIT_MAIN("rtf", test_lzfu_compressed, test_lzfu_raw, test_lzfu_bad, test_text_basic, test_text_codepages,
             test_text_unicode, test_text_table, test_text_fromhtml, test_info, test_objects, test_empty_parts,
             test_hostile)
