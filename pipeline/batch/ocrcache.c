/*
 * NAME
 *	ocrcache.c - the OCR engine's version, remembered under the stamps
 *	of the files that gave it
 *
 * DESCRIPTION
 *	Every `docpipe run` compares the OCR engine's version with the
 *	ledger's record of it (run.c, ocr_engine_check).  Asking it means
 *	loading the OCR module, Tesseract and the ~45 libraries behind them
 *	in a child: about 13 ms of CPU, most of the CPU of a rerun that
 *	finds nothing to do.  The answer depends only on the files the
 *	dynamic loader maps, so the child that asked remembers it in the
 *	cache directory, with the path, size, mtime and inode of every file
 *	it had mapped (/proc/self/maps) and of /etc/ld.so.cache, under a
 *	name made from the executable and the loader's environment
 *	(LD_LIBRARY_PATH, LD_PRELOAD, DOCPIPE_MODULE_DIR).  A later run
 *	takes the version from there while every one of those files is the
 *	same, as an input's unchanged size, mtime and inode are trusted; an
 *	upgrade of any of them, a missing, stale or unreadable file only
 *	means asking again.
 *
 * SECURITY
 *	The cache is the user's own directory, like the compiled rules'.
 *	Its files are read with a size limit and parsed as lines; a value
 *	taken from there only decides whether the engine is reported as
 *	changed.
 */
#include "batch/ocrcache.h"

#include "util/cachedir.h"
#include "util/fileio.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/banned.h"

/* The first line of a cache file, and the most it may hold. */
#define OCR_CACHE_MAGIC "docpipe-ocr-engine 1"
#define OCR_CACHE_MAX (256 * 1024)

/* The cache file of this executable in this loader's environment. */
static char *
engine_cache_path(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe == NULL)
		return NULL;
	const char *vars[] = { "LD_LIBRARY_PATH", "LD_PRELOAD", "DOCPIPE_MODULE_DIR" };
	g_autoptr(GString) key = g_string_new(exe);
	for (guint i = 0; i < G_N_ELEMENTS(vars); i++) {
		const char *v = g_getenv(vars[i]);
		g_string_append_printf(key, "\n%s=%s", vars[i], v ? v : "(unset)");
	}
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key->str, (gssize)key->len);
	g_autofree char *base = g_strdup_printf("ocr-engine-%s.txt", sum);
	return dp_cache_file(base);
}

/* PATH's size, mtime and inode as one line of text; NULL when it is not a regular file. */
static char *
file_stamp(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	return g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GUINT64_FORMAT, (gint64)st.st_size,
	                       (gint64)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, (guint64)st.st_ino);
}

char *
dp_ocr_engine_cached(void)
{
	g_autofree char *path = engine_cache_path();
	g_autoptr(GBytes) data = path ? dp_read_file(path, OCR_CACHE_MAX, NULL) : NULL;
	gsize len = 0;
	const char *bytes = data ? g_bytes_get_data(data, &len) : NULL;
	if (bytes == NULL || memchr(bytes, '\0', len) != NULL)
		return NULL;
	g_autofree char *text = g_strndup(bytes, len);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (lines[0] == NULL || !g_str_equal(lines[0], OCR_CACHE_MAGIC))
		return NULL;
	/* The stamps, up to an empty line; then the version, on one line. */
	guint i = 1;
	for (; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		char *tab = strchr(lines[i], '\t');
		if (tab == NULL)
			return NULL;
		*tab = '\0';
		g_autofree char *now = file_stamp(lines[i]);
		if (now == NULL || !g_str_equal(now, tab + 1))
			return NULL;
	}
	if (i == 1 || lines[i] == NULL || lines[i + 1] == NULL || lines[i + 1][0] == '\0')
		return NULL;
	return g_strdup(lines[i + 1]);
}

static int
cmp_pstr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files this process has mapped (from /proc/self/maps) into FILES, once each. */
static gboolean
mapped_files(GPtrArray *files)
{
	g_autofree char *maps = NULL;
	if (!g_file_get_contents("/proc/self/maps", &maps, NULL, NULL))
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_auto(GStrv) lines = g_strsplit(maps, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *p = strchr(lines[i], '/');
		/* Anonymous mappings have no path; a file replaced since it was mapped is "(deleted)". */
		if (p == NULL || g_str_has_suffix(p, " (deleted)") || g_hash_table_contains(seen, p))
			continue;
		char *f = g_strdup(p);
		g_hash_table_add(seen, f);
		g_ptr_array_add(files, f);
	}
	return files->len > 0;
}

void
dp_ocr_engine_remember(const char *version)
{
	if (version == NULL || *version == '\0' || strchr(version, '\n') != NULL)
		return;
	g_autofree char *path = engine_cache_path();
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(files, g_strdup("/etc/ld.so.cache"));
	if (path == NULL || !mapped_files(files))
		return;
	/* Sorted: the same files give the same cache file. */
	g_ptr_array_sort(files, cmp_pstr);
	g_autoptr(GString) s = g_string_new(OCR_CACHE_MAGIC "\n");
	for (guint i = 0; i < files->len; i++) {
		const char *f = files->pdata[i];
		g_autofree char *stamp = file_stamp(f);
		if (stamp == NULL || strchr(f, '\t') != NULL || strchr(f, '\n') != NULL)
			return; /* a file that cannot be stamped cannot be checked */
		g_string_append_printf(s, "%s\t%s\n", f, stamp);
	}
	g_string_append_printf(s, "\n%s\n", version);
	g_autofree char *parent = g_path_get_dirname(path);
	if (g_mkdir_with_parents(parent, 0700) == 0)
		(void)g_file_set_contents(path, s->str, (gssize)s->len, NULL);
}
