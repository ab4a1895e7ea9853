/*
 * text-test: charset decoding and text normalization.
 */
#include "docpipe.h"

static void
check_norm(const char *in, gsize len, const char *want)
{
	g_autoptr(GString) out = dp_text_normalize(in, len);
	g_assert_cmpstr(out->str, ==, want);
	/* Idempotent. */
	g_autoptr(GString) again = dp_text_normalize(out->str, out->len);
	g_assert_cmpstr(again->str, ==, want);
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
	check_norm("a\x01" "b\x7f" "c", 5, "abc\n");
	/* NFC: e + combining acute becomes one character. */
	check_norm("e\xcc\x81", 3, "\xc3\xa9\n");
	/* Invalid UTF-8 becomes U+FFFD; NUL is dropped. */
	check_norm("a\xff" "b\0c", 5, "a\xef\xbf\xbd" "bc\n");
	/* Page breaks survive, blank lines around them do not pile up. */
	check_norm("p1\n\n\fp2\f\fp4", 11, "p1\n\fp2\n\f\fp4\n");
	check_norm("\tindented", 9, "\tindented\n");
	/* C1 controls and BOM go; U+2028 is a line break. */
	check_norm("\xef\xbb\xbf" "a\xc2\x85" "b\xe2\x80\xa8" "c", 12, "a\nb\nc\n");
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
	check_decode("\xef\xbb\xbf" "abc", 6, "koi8-r", "abc", "utf-8");
	check_decode("\xff\xfe" "a\0b\0", 6, NULL, "ab", "utf-16le");
	check_decode("\xfe\xff\0a\0b", 6, NULL, "ab", "utf-16be");
	check_decode("\xff\xfe\0\0" "a\0\0\0", 8, NULL, "a", "utf-32le");
	check_decode("\0\0\xfe\xff\0\0\0a", 8, NULL, "a", "utf-32be");
	/* UTF-16 without a BOM is recognised by its NULs. */
	check_decode("h\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0", 22, NULL, "hello world", "utf-16le");
	/* A declared charset iconv does not know falls back. */
	check_decode("abc", 3, "x-no-such-charset", "abc", "utf-8");
	/* "charset=unicode" on ASCII bytes is a lie. */
	check_decode("abc", 3, "unicode", "abc", "utf-8");
	check_decode("\xf0\xd2\xc9", 3, "KOI8-R", "\xd0\x9f\xd1\x80\xd0\xb8", "koi8-r");
	/* Truncated UTF-16 and bad UTF-8 never fail. */
	check_decode("\xff\xfe" "a\0b", 5, NULL, "a\xef\xbf\xbd", "utf-16le");
	check_decode("a\xc3", 2, "utf-8", "a\xef\xbf\xbd", "utf-8");
}

static void
test_one_line(void)
{
	g_autofree char *a = dp_text_one_line("  a \n\t b  ");
	g_assert_cmpstr(a, ==, "a b");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/text/normalize", test_normalize);
	g_test_add_func("/text/decode", test_decode);
	g_test_add_func("/text/one-line", test_one_line);
	return g_test_run();
}
