/*
 * NAME
 *	cachedir.c - where docpipe keeps what it can compute again
 *
 * DESCRIPTION
 *	The compiled redaction rules and names indexes (redact/redact.c),
 *	the OCR engine's version and its language data's checksums
 *	(batch/ocrcache.c, batch/run.c) are kept in one directory, chosen in
 *	one place: $DOCPIPE_CACHE_DIR, "off" for none, else docpipe/ in the
 *	user's cache directory.  A missing or unwritable cache only means
 *	computing again.
 */
#include "util/cachedir.h"

#include "util/banned.h"

gboolean
dp_cache_off(void)
{
	const char *dir = g_getenv("DOCPIPE_CACHE_DIR");
	return dir != NULL && g_str_equal(dir, "off");
}

char *
dp_cache_file(const char *base)
{
	if (dp_cache_off())
		return NULL;
	const char *dir = g_getenv("DOCPIPE_CACHE_DIR");
	if (dir != NULL && *dir != '\0')
		return g_build_filename(dir, base, NULL);
	return g_build_filename(g_get_user_cache_dir(), "docpipe", base, NULL);
}
