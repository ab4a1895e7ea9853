/*
 * ops.c: what replaces a match: a label, a mask, a keyed pseudonym,
 * or nothing.
 *
 * A pseudonym is an HMAC-SHA256 of the normalized value under a secret key,
 * so one value gets one token in every document and every run, and nobody
 * without the key can test a guess against a token.
 */
#include "redact/internal.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

gboolean
dp_operator_parse(const char *s, DpOperator *op)
{
	static const struct {
		const char *name;
		DpOperator op;
	} ops[] = {
		{ "label", DP_OP_LABEL },
		{ "mask", DP_OP_MASK },
		{ "pseudonym", DP_OP_PSEUDONYM },
		{ "remove", DP_OP_REMOVE },
	};
	for (guint i = 0; i < G_N_ELEMENTS(ops); i++)
		if (g_str_equal(s, ops[i].name)) {
			*op = ops[i].op;
			return TRUE;
		}
	return FALSE;
}

char *
dp_pseudonym(const GBytes *key, const char *label, const char *value, gsize len, guint digits)
{
	gsize klen;
	const guchar *k = g_bytes_get_data((GBytes *)key, &klen);
	g_autofree char *hex = g_compute_hmac_for_data(G_CHECKSUM_SHA256, k, klen, (const guchar *)value, len);
	gsize n = MIN((gsize)digits, strlen(hex));
	gsize ll = strlen(label);
	if (ll >= 2 && label[ll - 1] == ']')
		return g_strdup_printf("%.*s-%.*s]", (int)(ll - 1), label, (int)n, hex);
	return g_strdup_printf("%s-%.*s", label, (int)n, hex);
}

void
dp_mask_append(GString *out, const char *span, gsize len, const char *mask)
{
	const char *p = span, *end = span + len;
	while (p < end) {
		if (*p == '\n') {
			g_string_append_c(out, '\n');
			p++;
			continue;
		}
		g_string_append(out, mask);
		/* One mask per character, whatever its length in bytes. */
		p++;
		while (p < end && ((guchar)*p & 0xC0) == 0x80)
			p++;
	}
}

GBytes *
dp_key_load(const char *file, const char *env, GError **error)
{
	if (file != NULL) {
		g_autofree char *data = NULL;
		gsize len = 0;
		g_autoptr(GError) local = NULL;
		if (!g_file_get_contents(file, &data, &len, &local)) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "cannot read pseudonym key file '%s': %s", file,
			            local->message);
			return NULL;
		}
		/* A trailing newline from an editor is not part of the key. */
		while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
			len--;
		if (len < 16) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
			            "pseudonym key file '%s' holds %zu bytes; at least 16 are needed", file,
			            (size_t)len);
			return NULL;
		}
		return g_bytes_new(data, len);
	}
	if (env != NULL) {
		const char *v = g_getenv(env);
		if (v == NULL || strlen(v) < 16) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
			            "the pseudonym key variable %s is %s; at least 16 bytes are needed", env,
			            v == NULL ? "not set" : "too short");
			return NULL;
		}
		return g_bytes_new(v, strlen(v));
	}
	g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
	            "the pseudonym operator needs a key: set key-file or key-env in [redact]");
	return NULL;
}
