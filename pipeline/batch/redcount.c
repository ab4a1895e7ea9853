/*
 * NAME
 *	redcount.c - redaction counts added up by rule and channel
 *
 * DESCRIPTION
 *	A worker reports each input's redactions as "RULE=N RULE.CHANNEL=N
 *	..." (batch/worker.c: the channel is body, header, metadata, path
 *	or covered), and the ledger keeps that string.  docpipe run adds
 *	up the inputs it converted for its summary, docpipe status every
 *	row of its ledgers; both print them the same way, from here.  A
 *	rule's name may itself hold a dot ([rule a.b]): the channel is what
 *	follows the last one, and only the five channels are channels.
 *
 * SECURITY
 *	Counts and rule names only, which come from the configuration and
 *	the worker: never a matched value.
 */
#include "batch/redcount.h"

#include "util/json.h"

#include <string.h>

#include "util/banned.h"

/* One rule: its total and its count per channel (name -> count). */
typedef struct {
	guint64 total;
	GTree *channels;
} RuleCount;

struct DpRedCount {
	GTree *rules; /* name -> RuleCount */
};

static int
cmp_name(gconstpointer a, gconstpointer b, gpointer user)
{
	return strcmp(a, b);
}

static void
rule_count_free(gpointer p)
{
	RuleCount *rc = p;
	g_tree_unref(rc->channels);
	g_free(rc);
}

DpRedCount *
dp_redcount_new(void)
{
	DpRedCount *c = g_new0(DpRedCount, 1);
	c->rules = g_tree_new_full(cmp_name, NULL, g_free, rule_count_free);
	return c;
}

void
dp_redcount_free(DpRedCount *c)
{
	if (c == NULL)
		return;
	g_tree_unref(c->rules);
	g_free(c);
}

static RuleCount *
rule(DpRedCount *c, const char *name, gsize len)
{
	g_autofree char *key = g_strndup(name, len);
	RuleCount *rc = g_tree_lookup(c->rules, key);
	if (rc == NULL) {
		rc = g_new0(RuleCount, 1);
		rc->channels = g_tree_new_full(cmp_name, NULL, g_free, g_free);
		g_tree_insert(c->rules, g_steal_pointer(&key), rc);
	}
	return rc;
}

/* Whether NAME is one of the channels worker.c counts. */
static gboolean
is_channel(const char *name)
{
	static const char *const channels[] = { "body", "header", "metadata", "path", "covered", NULL };
	return g_strv_contains(channels, name);
}

void
dp_redcount_add(DpRedCount *c, const char *value)
{
	g_auto(GStrv) items = g_strsplit(value ? value : "", " ", -1);
	for (guint i = 0; items[i]; i++) {
		char *eq = strrchr(items[i], '=');
		if (eq == NULL || eq == items[i])
			continue;
		*eq = '\0';
		guint64 n = g_ascii_strtoull(eq + 1, NULL, 10);
		const char *dot = strrchr(items[i], '.');
		if (dot != NULL && dot > items[i] && is_channel(dot + 1)) {
			RuleCount *rc = rule(c, items[i], (gsize)(dot - items[i]));
			guint64 *old = g_tree_lookup(rc->channels, dot + 1);
			if (old != NULL)
				*old += n;
			else
				g_tree_insert(rc->channels, g_strdup(dot + 1), g_memdup2(&n, sizeof n));
		} else {
			rule(c, items[i], strlen(items[i]))->total += n;
		}
	}
}

gboolean
dp_redcount_any(const DpRedCount *c)
{
	return g_tree_nnodes(c->rules) > 0;
}

typedef struct {
	GString *out;
	gboolean lines; /* text: one line per rule */
	gboolean json;
	gboolean first;
} Printer;

static gboolean
print_channel(gpointer key, gpointer value, gpointer user)
{
	Printer *p = user;
	guint64 n = *(const guint64 *)value;
	if (p->json) {
		g_string_append(p->out, ", ");
		dp_json_string(p->out, key);
		g_string_append_printf(p->out, ": %" G_GUINT64_FORMAT, n);
	} else {
		g_string_append_printf(p->out, "%s%s %" G_GUINT64_FORMAT, p->first ? "" : ", ", (const char *)key, n);
	}
	p->first = FALSE;
	return FALSE;
}

static gboolean
print_rule(gpointer key, gpointer value, gpointer user)
{
	Printer *p = user;
	const RuleCount *rc = value;
	if (p->json) {
		g_string_append(p->out, p->first ? "" : ", ");
		dp_json_string(p->out, key);
		g_string_append_printf(p->out, ": {\"total\": %" G_GUINT64_FORMAT, rc->total);
	} else if (p->lines) {
		g_string_append_printf(p->out, "  %-12s %" G_GUINT64_FORMAT " (", (const char *)key, rc->total);
	} else {
		g_string_append_printf(p->out, "%s%s %" G_GUINT64_FORMAT " (", p->first ? "" : ", ", (const char *)key,
		                       rc->total);
	}
	p->first = TRUE;
	g_tree_foreach(rc->channels, print_channel, p);
	g_string_append(p->out, p->json ? "}" : p->lines ? ")\n" : ")");
	p->first = FALSE;
	return FALSE;
}

void
dp_redcount_text(const DpRedCount *c, GString *out, gboolean lines)
{
	Printer p = { out, lines, FALSE, TRUE };
	g_tree_foreach(c->rules, print_rule, &p);
}

void
dp_redcount_json(const DpRedCount *c, GString *out)
{
	Printer p = { out, FALSE, TRUE, TRUE };
	g_string_append(out, "{");
	g_tree_foreach(c->rules, print_rule, &p);
	g_string_append(out, "}");
}
