/*
 * diag.c: diagnostics on stderr, one line each, prefixed with the
 * program's name ("docpipe convert: ...", "docpipe-extract: ...").
 * dp_set_prgname() sets that name once, for GLib's own messages too.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/banned.h"

static char *prgname;

void
dp_set_prgname(const char *argv0)
{
	g_free(prgname);
	prgname = g_path_get_basename(argv0);
	g_set_prgname(prgname);
}

void
dp_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", prgname ? prgname : "docpipe", msg);
}
