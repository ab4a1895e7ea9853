/*
 * pattern-test: redact/pattern.c's reading of a custom pattern, whether
 * it may match a line feed (in the view, a paragraph break).  Patterns
 * that may (escapes, classes, options, verbs) and patterns that cannot;
 * a doubt must come out as "may".
 */
#include "redact/internal.h"

#include "unit.h"

static void
test_may_match(void)
{
	static const char *const yes[] = {
		"foo\\s+bar", "a\\nb",       "a\\Rb",      "[^;]+;",   "a[\\s]b", "a[\\t-\\r]b",
		"(?s)a.*b",   "(?sm:a.b)",   "a\\x0ab",    "a\\x{a}b", "a\\012b", "a\\0b",
		"a\\Db",      "a\\Wb",       "a\\Hb",      "\\p{Cc}",  "\\X",     "\\N{U+000A}",
		"(*ANY)a.b",  "[[:space:]]", "\\Qa\nb\\E", "a\nb",     "a\\",     "(?x) a b",
		"[\x01-z]",   "a\\12b",      "a\\cJb",     "a\\\nb",   "[\\\n]",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(yes); i++)
		g_assert_true(dp_pattern_may_match_lf(yes[i]));
}

static void
test_cannot_match(void)
{
	static const char *const no[] = {
		"zq[0-9]+",   "(zq[0-9])\\1",   "[A-Z]{2}-\\d{4}", "a.b",  "\\bcase\\b", "(?:ab|cd)+", "x\\h+y",
		"[\\w.-]+@x", "(?<n>ab)\\k<n>", "a\\tb\\rc",       "[]a]", "(?=a)a",     "\\Q[^\\E",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_false(dp_pattern_may_match_lf(no[i]));
}

DP_UNIT_MAIN("pattern", test_may_match, test_cannot_match)
