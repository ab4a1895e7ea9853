/*
 * fuzz-text.c: libFuzzer target for charset decoding and normalization.
 * The first byte picks the declared charset; the result must be valid
 * UTF-8 (NULs allowed: decoding keeps U+0000, normalization drops it), and normalization must be idempotent (as text.h
 * promises).
 */
#include "fuzz-common.h"
#include "core/text.h"

#include <string.h>

#include "util/banned.h"

static const char *const charsets[] = { NULL,      "utf-8",      "utf-16",       "utf-16be",
	                                "utf-32",  "iso-8859-1", "windows-1252", "shift_jis",
	                                "gb18030", "koi8-r",     "bogus-charset" };

/* Valid UTF-8, where U+0000 counts as valid (g_utf8_validate() says no). */
static gboolean
utf8_valid(const char *s, gsize len)
{
	const char *end = s + len;
	while (s < end) {
		const char *bad;
		if (g_utf8_validate(s, end - s, &bad))
			return TRUE;
		if (*bad != '\0')
			return FALSE;
		s = bad + 1;
	}
	return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *declared = charsets[data[0] % G_N_ELEMENTS(charsets)];
	gsize len = 0;
	g_autofree char *used = NULL;
	g_autofree char *text = dp_text_decode(data + 1, size - 1, declared, "windows-1252", &len, &used);
	g_assert(utf8_valid(text, len));
	g_autoptr(GString) once = dp_text_normalize(text, len);
	g_assert(g_utf8_validate(once->str, (gssize)once->len, NULL));
	g_autoptr(GString) twice = dp_text_normalize(once->str, once->len);
	g_assert_cmpuint(once->len, ==, twice->len);
	g_assert(memcmp(once->str, twice->str, once->len) == 0);
	g_autofree char *line = dp_text_one_line(once->str);
	g_assert(strchr(line, '\n') == NULL);
	return 0;
}
