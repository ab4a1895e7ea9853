/*
 * redact-recall.c: recall of the built-in detectors on the labelled
 * presidio-research synthetic data (synth_dataset_v2.texts.tsv and
 * .spans.tsv, UTF-8 byte offsets), per entity type, with and without
 * validation.
 *
 *   redact-recall DIR           print the table
 *   redact-recall --check DIR   also fail when email, phone, IP or IBAN
 *                               recall (with validation) is below 0.95
 *   --phone-regions LIST        (before DIR) [redact] phone-regions, e.g.
 *                               "US;GB;DE": numbers of other plans too
 *
 * A labelled span counts as found when every non-blank byte of it lies
 * inside a redacted span (of any rule).
 */
#include "core/config.h"
#include "redact/redact.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static const char *const types[] = {
	"EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "US_SSN"
};
#define NTYPES G_N_ELEMENTS(types)

/* Undo the dataset's escapes: \n, \t, \\. */
static char *
unescape(const char *s)
{
	GString *o = g_string_new(NULL);
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			g_string_append_c(o, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
		} else {
			g_string_append_c(o, *p);
		}
	}
	return g_string_free(o, FALSE);
}

static gboolean
covered(GArray *m, const char *text, gsize s, gsize e)
{
	for (gsize b = s; b < e; b++) {
		if (g_ascii_isspace(text[b]))
			continue;
		gboolean in = FALSE;
		for (guint i = 0; i < m->len && !in; i++) {
			const DpSpan *x = &g_array_index(m, DpSpan, i);
			in = b >= x->offset && b < x->offset + x->length;
		}
		if (!in)
			return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	gboolean check = FALSE;
	const char *regions = "US";
	int a = 1;
	for (; a < argc - 1; a++) {
		if (g_str_equal(argv[a], "--check"))
			check = TRUE;
		else if (g_str_equal(argv[a], "--phone-regions") && a + 1 < argc - 1)
			regions = argv[++a];
		else
			break;
	}
	if (argc < 2 || a != argc - 1) {
		fprintf(stderr, "usage: redact-recall [--check] [--phone-regions LIST] DIR\n");
		return 2;
	}
	const char *dir = argv[argc - 1];
	g_autofree char *tp = g_build_filename(dir, "synth_dataset_v2.texts.tsv", NULL);
	g_autofree char *sp = g_build_filename(dir, "synth_dataset_v2.spans.tsv", NULL);
	g_autofree char *td = NULL, *sd = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(tp, &td, NULL, &error) || !g_file_get_contents(sp, &sd, NULL, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 2;
	}
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) tl = g_strsplit(td, "\n", -1);
	for (guint i = 1; tl[i]; i++) {
		char *tab = strchr(tl[i], '\t');
		if (tab == NULL)
			continue;
		guint id = (guint)atoi(tl[i]);
		if (id >= texts->len)
			g_ptr_array_set_size(texts, id + 1);
		texts->pdata[id] = unescape(tab + 1);
	}
	guint total[NTYPES] = { 0 }, found[2][NTYPES] = { { 0 } };
	for (int pass = 0; pass < 2; pass++) {
		g_autofree char *conf =
		    g_strdup_printf("[redact]\ndetectors=email;phone;ssn;card;iban;ip\nvalidate=%s\nphone-regions=%s\n",
		                    pass == 0 ? "true" : "false", regions);
		g_autoptr(DpConfig) cfg = dp_config_load_data(conf, "recall", &error);
		g_autoptr(DpRedactor) rd = cfg ? dp_redactor_new(cfg, &error) : NULL;
		if (rd == NULL) {
			fprintf(stderr, "redact-recall: %s\n", error->message);
			return 2;
		}
		g_auto(GStrv) sl = g_strsplit(sd, "\n", -1);
		guint cur = G_MAXUINT;
		g_autoptr(GArray) m = g_array_new(FALSE, FALSE, sizeof(DpSpan));
		for (guint i = 1; sl[i]; i++) {
			g_auto(GStrv) f = g_strsplit(sl[i], "\t", 7);
			if (g_strv_length(f) < 7)
				continue;
			guint t;
			for (t = 0; t < NTYPES; t++)
				if (g_str_equal(f[1], types[t]))
					break;
			if (t == NTYPES)
				continue;
			guint id = (guint)atoi(f[0]);
			if (id >= texts->len || texts->pdata[id] == NULL)
				continue;
			const char *text = texts->pdata[id];
			gsize s = (gsize)atol(f[2]), e = (gsize)atol(f[3]);
			if (e > strlen(text) || s >= e)
				continue;
			if (id != cur) {
				g_array_set_size(m, 0);
				dp_redactor_find(rd, text, strlen(text), m);
				cur = id;
			}
			if (pass == 0)
				total[t]++;
			if (covered(m, text, s, e))
				found[pass][t]++;
		}
	}
	int bad = 0;
	printf("%-15s %6s %10s %10s\n", "type", "spans", "validated", "shape-only");
	for (guint t = 0; t < NTYPES; t++) {
		double r0 = total[t] ? (double)found[0][t] / total[t] : 0,
		       r1 = total[t] ? (double)found[1][t] / total[t] : 0;
		printf("%-15s %6u %10.3f %10.3f\n", types[t], total[t], r0, r1);
		if (check && t < 4 && r0 < 0.95) {
			printf("# recall of %s is %.3f, below 0.95\n", types[t], r0);
			bad = 1;
		}
	}
	return bad;
}
