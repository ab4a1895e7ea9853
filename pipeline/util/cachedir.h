/*
 * cachedir.h: files in the user's cache directory of docpipe.
 */
#ifndef DOCPIPE_CACHEDIR_H
#define DOCPIPE_CACHEDIR_H

#include <glib.h>

/* Whether caching is off ($DOCPIPE_CACHE_DIR=off). */
gboolean dp_cache_off(void);

/*
 * The cache file BASE: in $DOCPIPE_CACHE_DIR when it is set (and not
 * empty), else in docpipe/ of the user's cache directory (~/.cache);
 * NULL when caching is off.  The directory may not exist yet.
 */
char *dp_cache_file(const char *base);

#endif
