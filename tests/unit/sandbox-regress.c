/*
 * sandbox-regress.c: regression tests for bugs the fuzzers found in the
 * shared library (tests/crashers/README.md lists them).  Run under
 * `make asan` they fail on the undefined behaviour itself.
 */
#include "core/text.h"

#include "unit.h"

#include "util/banned.h"

/* fuzz-mbox, fuzz-mime: an empty text part reached dp_text_decode(NULL, 0). */
static void
test_decode_null_empty(void)
{
	const char *declared[] = { NULL, "utf-8", "utf-16", "windows-1252" };
	for (guint i = 0; i < G_N_ELEMENTS(declared); i++) {
		gsize len = 99;
		g_autofree char *used = NULL;
		g_autofree char *text = dp_text_decode(NULL, 0, declared[i], "windows-1252", &len, &used);
		g_assert_nonnull(text);
		g_assert_cmpuint(len, ==, 0);
		g_assert_cmpstr(text, ==, "");
	}
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	gsize n;
	const guint8 *d = g_bytes_get_data(empty, &n);
	g_autofree char *t = dp_text_decode(d, n, NULL, NULL, NULL, NULL);
	g_assert_cmpstr(t, ==, "");
}

DP_UNIT_MAIN("sandbox-regress", test_decode_null_empty)
