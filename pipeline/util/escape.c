/*
 * escape.c: names and messages made safe for line-oriented output.
 *
 * File names come from inputs and may hold any byte but '/' and NUL: a
 * newline in one would split an inventory or status line in two, a tab
 * shift its columns, an escape sequence drive the terminal.  The
 * escaping is g_strescape()'s C style, restricted to the control
 * characters and the backslash, so that non-ASCII names stay readable.
 */
#include "util/escape.h"

#include "util/banned.h"

char *
dp_escape_line(const char *s)
{
	/* g_strescape() keeps the bytes listed here: every non-ASCII one. */
	char keep[129];
	for (guint i = 0; i < 128; i++)
		keep[i] = (char)(0x80 + i);
	keep[128] = '\0';
	g_autofree char *esc = g_strescape(s, keep);
	/* It escapes double quotes too: a name's quotes are its own. */
	GString *out = g_string_new(NULL);
	for (const char *p = esc; *p != '\0'; p++) {
		if (p[0] == '\\' && p[1] == '"')
			p++;
		else if (p[0] == '\\' && p[1] != '\0')
			g_string_append_c(out, *p++);
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}
