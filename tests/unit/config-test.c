/*
 * config-test: loading, validation with file:line errors, typed access,
 * fingerprints.
 */
#include "core/config.h"
#include "util/exitcode.h"

#include <string.h>

#include "unit.h"

#include "util/banned.h"

static void
expect_error(const char *data, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg = dp_config_load_data(data, "test.conf", &error);
	g_assert_null(cfg);
	g_assert_error(error, DP_ERROR, DP_EXIT_CONFIG);
	if (strstr(error->message, want) == NULL)
		g_error("'%s' not in '%s'", want, error->message);
}

static void
test_errors(void)
{
	expect_error("[limits]\nmax-depth=10\nmax-dept=3\n", "test.conf:3: unknown key 'max-dept' in [limits]");
	expect_error("# c\n[nope]\n", "test.conf:2: unknown group [nope]");
	expect_error("[limits]\n\nmax-depth=ten\n", "test.conf:3: bad value for 'max-depth'");
	expect_error("[limits]\nmax-depth=-1\n", "from 0 to 1000");
	expect_error("[limits]\nmax-input-size=12Q\n", "expected a size");
	expect_error("[redact]\nenabled=yes\n", "expected true or false");
	expect_error("not a key file", "test.conf");
}

static void
test_values(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg =
	    dp_config_load_data("[limits]\nmax-input-size=1.5K\n[redact]\ndetectors=email ; phone;\n"
	                        "[rule case]\npattern=CASE-\\d+\n",
	                        "t.conf", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(dp_config_get_size(cfg, "limits", "max-input-size"), ==, 1536);
	g_assert_cmpint(dp_config_get_int(cfg, "limits", "max-depth"), ==, 10);
	g_auto(GStrv) d = dp_config_get_list(cfg, "redact", "detectors");
	g_assert_cmpuint(g_strv_length(d), ==, 2);
	g_assert_cmpstr(d[1], ==, "phone");
	g_auto(GStrv) rules = dp_config_groups_with_prefix(cfg, "rule ");
	g_assert_cmpstr(rules[0], ==, "rule case");
	g_assert_true(dp_config_has(cfg, "limits", "max-input-size"));
	g_assert_false(dp_config_has(cfg, "limits", "max-depth"));

	g_autoptr(GString) dump = g_string_new(NULL);
	dp_config_dump(cfg, dump);
	g_assert_nonnull(strstr(dump->str, "max-input-size=1.5K  # t.conf:2\n"));
	g_assert_nonnull(strstr(dump->str, "max-depth=10  # built-in\n"));
}

static void
test_fingerprint(void)
{
	g_autoptr(DpConfig) a = dp_config_new_default();
	g_autoptr(DpConfig) b = dp_config_load_data("[limits]\nmax-depth=10\n", "b.conf", NULL);
	g_autoptr(DpConfig) c = dp_config_load_data("[limits]\nmax-depth=11\n", "c.conf", NULL);
	g_autofree char *fa = dp_config_fingerprint(a);
	g_autofree char *fb = dp_config_fingerprint(b);
	g_autofree char *fc = dp_config_fingerprint(c);
	/* The same effective values give the same fingerprint, wherever they come from. */
	g_assert_cmpstr(fa, ==, fb);
	g_assert_cmpstr(fa, !=, fc);
	g_autoptr(GError) error = NULL;
	g_assert_false(dp_config_set(a, "limits", "nope", "1", &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_CONFIG);
}

static void
test_sizes(void)
{
	guint64 v;
	g_assert_true(dp_parse_size("0", &v) && v == 0);
	g_assert_true(dp_parse_size("64K", &v) && v == 65536);
	g_assert_true(dp_parse_size("2G", &v) && v == G_GUINT64_CONSTANT(2147483648));
	g_assert_true(dp_parse_size("10MB", &v) && v == 10485760);
	g_assert_false(dp_parse_size("", &v));
	g_assert_false(dp_parse_size("-1", &v));
	g_assert_false(dp_parse_size("1X", &v));
	g_assert_false(dp_parse_size("1e30", &v));
}

DP_UNIT_MAIN("config", test_errors, test_values, test_fingerprint, test_sizes)
