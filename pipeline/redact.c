/*
 * redact.c: regular-expression redaction with PCRE2.
 *
 * Every rule is a compiled pattern with a label.  All matches of all rules
 * are collected, then resolved deterministically: leftmost first, then the
 * longest, then the rule listed first; the chosen spans are replaced by the
 * rule's label.
 */
#include "docpipe.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef struct {
	char *name;
	char *label;
	pcre2_code *re;
} Rule;

struct DpRedactor {
	GPtrArray *rules; /* of Rule* */
	pcre2_match_data *md;
};

/* The built-in detectors: name, pattern, label. */
static const struct {
	const char *name, *pattern, *label;
} builtins[] = {
	{ "email", "(?<![\\w.%+-])[\\w.%+-]+@(?:[\\w-]+\\.)+[A-Za-z]{2,24}(?![\\w-])", "[EMAIL]" },
	{ "phone",
	  "(?<![\\w+])(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[ .-]?)\\d{3}[ .-]?\\d{4}(?:\\s*(?:x|ext\\.?)\\s*\\d{1,5})?"
	  "(?!\\w)"
	  "|(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}(?!\\w)",
	  "[PHONE]" },
};

static void
rule_free(gpointer p)
{
	Rule *r = p;
	g_free(r->name);
	g_free(r->label);
	pcre2_code_free(r->re);
	g_free(r);
}

static gboolean
add_rule(DpRedactor *rd, const char *name, const char *pattern, const char *label, GError **error)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err, &off,
				       NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "rule '%s': bad pattern at offset %zu: %s", name,
			    (size_t)off, (const char *)msg);
		return FALSE;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	Rule *r = g_new0(Rule, 1);
	r->name = g_strdup(name);
	r->label = g_strdup(label);
	r->re = re;
	g_ptr_array_add(rd->rules, r);
	return TRUE;
}

DpRedactor *
dp_redactor_new(DpConfig *cfg, GError **error)
{
	g_autoptr(DpRedactor) rd = g_new0(DpRedactor, 1);
	rd->rules = g_ptr_array_new_with_free_func(rule_free);
	rd->md = pcre2_match_data_create(4, NULL);
	if (!dp_config_get_bool(cfg, "redact", "enabled"))
		return g_steal_pointer(&rd);

	g_auto(GStrv) on = dp_config_get_list(cfg, "redact", "detectors");
	for (guint i = 0; on[i]; i++) {
		guint b;
		for (b = 0; b < G_N_ELEMENTS(builtins); b++)
			if (g_str_equal(on[i], builtins[b].name))
				break;
		if (b == G_N_ELEMENTS(builtins)) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: unknown detector '%s' in [redact] detectors",
				    dp_config_file(cfg) ? dp_config_file(cfg) : "configuration", on[i]);
			return NULL;
		}
		if (!add_rule(rd, builtins[b].name, builtins[b].pattern, builtins[b].label, error))
			return NULL;
	}
	g_auto(GStrv) groups = dp_config_groups_with_prefix(cfg, "rule ");
	for (guint i = 0; groups[i]; i++) {
		const char *name = groups[i] + 5;
		g_autofree char *pattern = dp_config_get_string(cfg, groups[i], "pattern");
		g_autofree char *label = dp_config_get_string(cfg, groups[i], "label");
		if (pattern == NULL) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: [%s] has no pattern", dp_config_file(cfg),
				    groups[i]);
			return NULL;
		}
		g_autofree char *up = g_ascii_strup(name, -1);
		g_autofree char *deflabel = g_strdup_printf("[%s]", up);
		if (!add_rule(rd, name, pattern, label ? label : deflabel, error))
			return NULL;
	}
	return g_steal_pointer(&rd);
}

void
dp_redactor_free(DpRedactor *rd)
{
	if (rd == NULL)
		return;
	g_ptr_array_unref(rd->rules);
	pcre2_match_data_free(rd->md);
	g_free(rd);
}

guint
dp_redactor_n_rules(const DpRedactor *rd)
{
	return rd->rules->len;
}

const char *
dp_redactor_rule_name(const DpRedactor *rd, guint i)
{
	return ((Rule *)rd->rules->pdata[i])->name;
}

static int
cmp_match(gconstpointer a, gconstpointer b)
{
	const DpSpan *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->length != y->length)
		return x->length > y->length ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

GString *
dp_redactor_apply(DpRedactor *rd, const char *text, gsize len, GArray *spans)
{
	g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	for (guint i = 0; i < rd->rules->len; i++) {
		Rule *r = rd->rules->pdata[i];
		PCRE2_SIZE start = 0;
		while (start <= len) {
			int rc = pcre2_match(r->re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK, rd->md, NULL);
			if (rc < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
			if (ov[1] > ov[0]) {
				DpSpan s = { i, ov[0], ov[1] - ov[0] };
				g_array_append_val(found, s);
				start = ov[1];
			} else {
				/* An empty match: step one character on. */
				start = ov[1] + 1;
				while (start < len && (text[start] & 0xC0) == 0x80)
					start++;
			}
		}
	}
	g_array_sort(found, cmp_match);
	GString *out = g_string_sized_new(len + 16);
	gsize pos = 0;
	for (guint i = 0; i < found->len; i++) {
		const DpSpan *s = &g_array_index(found, DpSpan, i);
		if (s->offset < pos)
			continue; /* overlaps a span already taken */
		const Rule *r = rd->rules->pdata[s->rule];
		g_string_append_len(out, text + pos, (gssize)(s->offset - pos));
		DpSpan o = { s->rule, out->len, strlen(r->label) };
		g_string_append(out, r->label);
		if (spans)
			g_array_append_val(spans, o);
		pos = s->offset + s->length;
	}
	g_string_append_len(out, text + pos, (gssize)(len - pos));
	return out;
}

/* Add "redacted: RULE FIELD COUNT OFF+LEN ..." lines for SPANS. */
static void
note_spans(DpRedactor *rd, DpRecord *rec, const char *field, GArray *spans)
{
	for (guint rule = 0; rule < rd->rules->len; rule++) {
		g_autoptr(GString) pos = g_string_new(NULL);
		guint n = 0;
		for (guint i = 0; i < spans->len; i++) {
			const DpSpan *s = &g_array_index(spans, DpSpan, i);
			if (s->rule != rule)
				continue;
			n++;
			g_string_append_printf(pos, " %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT, s->offset, s->length);
		}
		if (n > 0) {
			g_autofree char *v = g_strdup_printf("%s %s %u%s", dp_redactor_rule_name(rd, rule), field, n,
							     pos->str);
			dp_record_add(rec, DP_F_REDACTED, v);
		}
	}
}

void
dp_redact_record(DpRedactor *rd, DpRecord *rec)
{
	if (rd->rules->len == 0)
		return;
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	/* Header values first, in record order, then the body. */
	for (guint i = 0; i < rec->fields->len; i++) {
		DpField *f = rec->fields->pdata[i];
		if (!g_str_has_prefix(f->key, DP_META_PREFIX) && !g_str_equal(f->key, DP_F_PATH) &&
		    !g_str_equal(f->key, DP_F_ERROR))
			continue;
		g_array_set_size(spans, 0);
		GString *v = dp_redactor_apply(rd, f->value, strlen(f->value), spans);
		g_free(f->value);
		f->value = g_string_free(v, FALSE);
		if (spans->len > 0) {
			g_autofree char *key = g_strdup(f->key);
			note_spans(rd, rec, key, spans);
		}
	}
	if (dp_record_get(rec, DP_F_DATA) != NULL)
		return; /* raw input bytes, not text */
	g_array_set_size(spans, 0);
	GString *body = dp_redactor_apply(rd, rec->body->str, rec->body->len, spans);
	g_string_free(rec->body, TRUE);
	rec->body = body;
	note_spans(rd, rec, "body", spans);
}
