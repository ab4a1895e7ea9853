/*
 * pathlist.h: lists of paths as find(1) and xargs(1) write them, the one
 * reader behind --files-from, docpipe-detect's standard input and
 * `docpipe run --files-from`.
 */
#ifndef DOCPIPE_PATHLIST_H
#define DOCPIPE_PATHLIST_H

#include <glib.h>

/*
 * The paths in LIST, in order: NUL-separated when NUL_SEP is set or LIST
 * holds a NUL (find -print0), one per line otherwise, with the carriage
 * return of a CRLF line dropped.  Empty entries are skipped.  The array
 * owns its strings.
 */
GPtrArray *dp_path_list_split(GBytes *list, gboolean nul_sep);

/*
 * Read the list in FILE ("-" is standard input) and append its paths to
 * PATHS.  A file that cannot be read is DP_EXIT_NOINPUT.
 */
gboolean dp_path_list_read(const char *file, GPtrArray *paths, GError **error);

#endif
