/*
 * pathlist.c: splitting NUL- or newline-separated path lists.  A list made
 * on Windows or by a spreadsheet ends its lines in CRLF; a path never
 * legitimately ends in a carriage return in such a list, so it is dropped.
 */
#include "util/pathlist.h"

#include "util/fileio.h"

#include <string.h>

#include "util/banned.h"

GPtrArray *
dp_path_list_split(GBytes *list, gboolean nul_sep)
{
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	gsize len;
	const char *d = g_bytes_get_data(list, &len);
	if (len == 0)
		return paths;
	char sep = (nul_sep || memchr(d, '\0', len)) ? '\0' : '\n';
	for (gsize pos = 0; pos < len;) {
		const char *end = memchr(d + pos, sep, len - pos);
		gsize n = end ? (gsize)(end - (d + pos)) : len - pos;
		gsize keep = n;
		if (sep == '\n' && keep > 0 && d[pos + keep - 1] == '\r')
			keep--;
		if (keep > 0)
			g_ptr_array_add(paths, g_strndup(d + pos, keep));
		pos += n + 1;
	}
	return paths;
}

gboolean
dp_path_list_read(const char *file, GPtrArray *paths, GError **error)
{
	g_autoptr(GBytes) b = NULL;
	if (g_str_equal(file, "-"))
		b = dp_read_fd(0, "<stdin>", G_MAXUINT32, error);
	else
		b = dp_read_file(file, G_MAXUINT32, error);
	if (b == NULL)
		return FALSE;
	g_autoptr(GPtrArray) got = dp_path_list_split(b, FALSE);
	for (guint i = 0; i < got->len; i++)
		g_ptr_array_add(paths, g_steal_pointer(&got->pdata[i]));
	return TRUE;
}
