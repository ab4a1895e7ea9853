/*
 * terms.c: term-list files (names, places, code words).
 *
 * One term per line; blank lines and lines starting with '#' are skipped.
 * Each term is folded exactly like the view the scanner matches on (no
 * diacritics, compatibility forms folded, whitespace collapsed), so that
 * "Boutéflika" in the list finds "BOUTEFLIKA" and "Boutef-\nlika" in a text.
 * Case is handled by the scanner (caseless).
 */
#include "redact/internal.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

char *
dp_terms_read(const char *path, gsize *len, GError **error)
{
	char *data = NULL;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &data, len, &local)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "cannot read term list '%s': %s", path, local->message);
		return NULL;
	}
	return data;
}

GPtrArray *
dp_terms_parse(const char *path, char *data, gsize len, GError **error)
{
	if (!g_utf8_validate(data, (gssize)len, NULL)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "term list '%s' is not valid UTF-8", path);
		return NULL;
	}
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func(g_free);
	char *p = data, *end = data + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (gsize)(end - p));
		char *stop = nl ? nl : end;
		*stop = '\0';
		char *line = g_strstrip(p);
		p = stop + 1;
		if (*line == '\0' || *line == '#')
			continue;
		char *t = dp_view_fold(line);
		/* Case-insensitive duplicates are one term. */
		g_autofree char *key = dp_view_casefold(t, -1);
		if (*t == '\0' || g_hash_table_contains(seen, key)) {
			g_free(t);
			continue;
		}
		g_hash_table_add(seen, g_steal_pointer(&key));
		g_ptr_array_add(terms, t);
	}
	return g_steal_pointer(&terms);
}

GPtrArray *
dp_terms_load(const char *path, GError **error)
{
	gsize len = 0;
	g_autofree char *data = dp_terms_read(path, &len, error);
	return data ? dp_terms_parse(path, data, len, error) : NULL;
}
