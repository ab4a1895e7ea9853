/*
 * redact-cases.c: runs the table of redaction cases in tests/redact-cases.txt.
 *
 * Each case is a few "key: value" lines, cases separated by blank lines:
 *
 *   rule: phone                 detectors to turn on ("a;b", "all", or a
 *                               custom rule defined in conf lines)
 *   conf: [rule phone]          optional, repeated: configuration lines
 *   in:   Call 202-555-\n0143   the input (C escapes: \n, \t, \302\255)
 *   out:  Call [PHONE]          the expected output
 *
 * Relative paths in conf lines are resolved against the case file's folder.
 * Prints TAP; exits 1 when a case fails.
 */
#include "core/config.h"
#include "redact/redact.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

typedef struct {
	guint line;
	char *rule, *in, *out;
	GString *conf;
} Case;

static int failed, count;

static void
run_case(const char *file, Case *c, GHashTable *cache)
{
	count++;
	g_autoptr(GString) conf = g_string_new("[redact]\n");
	const char *rule = c->rule ? c->rule : "all";
	if (g_str_equal(rule, "all"))
		g_string_append(conf, "detectors=email;phone;ssn;card;iban;ip\n");
	else if (strchr(rule, '!') == NULL)
		g_string_append_printf(conf, "detectors=%s\n", rule);
	else
		g_string_append(conf, "detectors=\n");
	g_string_append(conf, c->conf->str);
	DpRedactor *rd = g_hash_table_lookup(cache, conf->str);
	if (rd == NULL) {
		g_autoptr(GError) error = NULL;
		g_autoptr(DpConfig) cfg = dp_config_load_data(conf->str, file, &error);
		rd = cfg ? dp_redactor_new(cfg, &error) : NULL;
		if (rd == NULL) {
			printf("not ok %d - line %u: config: %s\n", count, c->line, error->message);
			failed++;
			return;
		}
		g_hash_table_insert(cache, g_strdup(conf->str), rd);
	}
	g_autoptr(GString) got = dp_redactor_apply(rd, c->in, strlen(c->in), NULL);
	if (g_str_equal(got->str, c->out)) {
		printf("ok %d - line %u: %s\n", count, c->line, rule);
	} else {
		g_autofree char *ei = g_strescape(c->in, NULL), *eo = g_strescape(c->out, NULL);
		g_autofree char *eg = g_strescape(got->str, NULL);
		printf("not ok %d - line %u: %s\n#   in:   %s\n#   want: %s\n#   got:  %s\n", count, c->line, rule, ei,
		       eo, eg);
		failed++;
	}
}

static void
case_reset(Case *c)
{
	g_clear_pointer(&c->rule, g_free);
	g_clear_pointer(&c->in, g_free);
	g_clear_pointer(&c->out, g_free);
	g_string_truncate(c->conf, 0);
	c->line = 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: redact-cases FILE\n");
		return 2;
	}
	g_autofree char *data = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(argv[1], &data, NULL, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 2;
	}
	g_autoptr(GHashTable) cache =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)dp_redactor_free);
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	Case c = { 0 };
	c.conf = g_string_new(NULL);
	for (guint i = 0;; i++) {
		const char *l = lines[i];
		if (l == NULL || *l == '\0') {
			if (c.in != NULL && c.out != NULL)
				run_case(argv[1], &c, cache);
			else if (c.line != 0)
				fprintf(stderr, "%s:%u: incomplete case\n", argv[1], c.line), failed++;
			case_reset(&c);
			if (l == NULL)
				break;
			continue;
		}
		if (l[0] == '#')
			continue;
		const char *colon = strchr(l, ':');
		if (colon == NULL) {
			fprintf(stderr, "%s:%u: expected 'key: value'\n", argv[1], i + 1);
			return 2;
		}
		g_autofree char *key = g_strndup(l, (gsize)(colon - l));
		const char *val = colon + 1;
		if (*val == ' ')
			val++;
		if (c.line == 0)
			c.line = i + 1;
		if (g_str_equal(key, "rule"))
			c.rule = g_strdup(val);
		else if (g_str_equal(key, "conf")) {
			g_autofree char *v = g_strcompress(val);
			g_string_append_printf(c.conf, "%s\n", v);
		} else if (g_str_equal(key, "in"))
			c.in = g_strcompress(val);
		else if (g_str_equal(key, "out"))
			c.out = g_strcompress(val);
		else {
			fprintf(stderr, "%s:%u: unknown key '%s'\n", argv[1], i + 1, key);
			return 2;
		}
	}
	g_string_free(c.conf, TRUE);
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
