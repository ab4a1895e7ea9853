/*
 * json.c: JSON string literals for the --json outputs of run and status.
 * The strings can come from documents (a path inside an archive, an error
 * message): invalid UTF-8 is repaired and every control character is
 * escaped, so the output is always valid JSON on one line.
 */
#include "util/json.h"

#include <stdarg.h>

#include "util/banned.h"

void
dp_json_string(GString *out, const char *s)
{
	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_autofree char *v = g_utf8_make_valid(s, -1);
	g_string_append_c(out, '"');
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c == '\n')
			g_string_append(out, "\\n");
		else if (c == '\t')
			g_string_append(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (char)c);
	}
	g_string_append_c(out, '"');
}

void
dp_json_members(GString *out, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	for (const char *k = key; k != NULL; k = va_arg(ap, const char *)) {
		if (k != key)
			g_string_append(out, ", ");
		dp_json_string(out, k);
		g_string_append(out, ": ");
		dp_json_string(out, va_arg(ap, const char *));
	}
	va_end(ap);
}
