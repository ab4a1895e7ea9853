/*
 * escape.h: a name or message made safe for one line of text output.
 */
#ifndef DOCPIPE_ESCAPE_H
#define DOCPIPE_ESCAPE_H

#include <glib.h>

/*
 * S with only what would break a line or a tab-separated column, or
 * reach a terminal as a control sequence, escaped C-style: \t, \n, \r,
 * other control characters as \NNN octal, and the backslash itself as
 * \\ so that the escapes read back.  Everything else, UTF-8 included,
 * is kept as it is.  Free with g_free().
 */
char *dp_escape_line(const char *s);

#endif
