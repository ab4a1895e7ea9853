/*
 * unit.h: the main() of every C unit program, over GLib's test framework.
 *
 *   static void test_roundtrip(void) { ... g_assert_...; }
 *   ...
 *   DP_UNIT_MAIN("record", test_roundtrip, test_garbage)
 *
 * registers each function as the case /record/roundtrip, /record/garbage
 * (the name without "test_", underscores as dashes) and runs them.  GLib
 * prints one TAP line per case; tests/test-lib.sh's test_unit turns each
 * into one test of the calling script.
 */
#ifndef DOCPIPE_UNIT_H
#define DOCPIPE_UNIT_H

#include <glib.h>
#include <string.h>

typedef void (*DpUnitFn)(void);

/* NAMES is the macro's argument list as written: "test_a, test_b". */
static inline int
dp_unit_main(int argc, char **argv, const char *suite, const char *names, const DpUnitFn *fns, gsize n)
{
	g_test_init(&argc, &argv, NULL);
	g_auto(GStrv) list = g_strsplit(names, ",", -1);
	g_assert_cmpuint(g_strv_length(list), ==, n);
	for (gsize i = 0; i < n; i++) {
		const char *name = g_strstrip(list[i]);
		if (g_str_has_prefix(name, "test_"))
			name += 5;
		g_autofree char *path = g_strdup_printf("/%s/%s", suite, name);
		g_strdelimit(path, "_", '-');
		g_test_add_func(path, fns[i]);
	}
	return g_test_run();
}

#define DP_UNIT_MAIN(suite, ...)                                                                                       \
	int main(int argc, char **argv)                                                                                \
	{                                                                                                              \
		static const DpUnitFn fns[] = { __VA_ARGS__ };                                                         \
		return dp_unit_main(argc, argv, suite, #__VA_ARGS__, fns, G_N_ELEMENTS(fns));                          \
	}

#endif
