/*
 * walk.c: the inputs of a batch run.
 *
 * The walk uses openat/fstatat relative to each directory's descriptor so
 * that a tree of 10,000 files costs one stat per file and no path
 * rebuilding in the kernel.  Order never depends on readdir: the result is
 * sorted by relative path (byte order, as `LC_ALL=C sort` does), which is
 * what makes runs, shards and Make agree.
 *
 * What is an input: a regular file under IN, outside OUT, and not in the
 * top-level .docpipe directory.  A symbolic link is followed only when it
 * resolves inside IN and outside OUT (otherwise a warning names it), and a
 * directory entered once (by device and inode) is not entered again, so a
 * link loop ends the branch.  A --files-from list is held to the same
 * rules, each rejected entry named with the reason.  The checks are made
 * when the tree is walked, and an input is opened again by path when it
 * is converted: a link swapped in between (a tree others change during
 * the run) could lead out of IN.  So each input keeps the device and inode
 * the walk saw (of a followed link's target), and the worker reads only
 * that file: the check is made on the descriptor it reads from
 * (chain/chain.c, util/fileio.c), so nothing can be swapped in after it.
 */
#include "batch/walk.h"

#include "util/exitcode.h"
#include "util/pathlist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "util/banned.h"

void
dp_input_free(DpInput *in)
{
	if (in == NULL)
		return;
	g_free(in->rel);
	g_free(in);
}

static DpInput *
input_new(const char *rel, const struct stat *st)
{
	DpInput *in = g_new0(DpInput, 1);
	in->rel = g_strdup(rel);
	in->size = (guint64)st->st_size;
	in->mtime_ns = (gint64)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	in->inode = (guint64)st->st_ino;
	in->dev = (guint64)st->st_dev;
	return in;
}

static int
cmp_input(gconstpointer a, gconstpointer b)
{
	const DpInput *x = *(DpInput *const *)a, *y = *(DpInput *const *)b;
	return strcmp(x->rel, y->rel);
}

gboolean
dp_path_is_inside(const char *root, const char *p)
{
	gsize n = strlen(root);
	if (n == 1 && root[0] == '/')
		return p[0] == '/';
	return strncmp(root, p, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

guint
dp_shard_of(const char *rel, guint n)
{
	guint8 digest[32];
	gsize len = sizeof digest;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)rel, (gssize)strlen(rel));
	g_checksum_get_digest(sum, digest, &len);
	guint64 v = 0;
	for (guint i = 0; i < 8; i++)
		v = (v << 8) | digest[i];
	return (guint)(v % n) + 1;
}

typedef struct {
	const char *root;
	const char *skip;
	void (*warn)(const char *msg);
	GPtrArray *out;
	GHashTable *seen; /* "dev:ino" of directories entered */
} Walk;

static void walk_warn(Walk *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
walk_warn(Walk *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (w->warn)
		w->warn(msg);
}

/* Whether the directory (DEV, INO) was entered before; marks it. */
static gboolean
seen_before(Walk *w, const struct stat *st)
{
	char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
	if (g_hash_table_contains(w->seen, key)) {
		g_free(key);
		return TRUE;
	}
	g_hash_table_add(w->seen, key);
	return FALSE;
}

static void walk_dir(Walk *w, int dfd, const char *rel);

/*
 * A symbolic link at REL (relative to ROOT): followed only when it resolves
 * inside ROOT and outside SKIP.
 */
static gboolean
symlink_target(Walk *w, const char *rel, struct stat *st)
{
	g_autofree char *abs = g_build_filename(w->root, rel, NULL);
	g_autofree char *real = realpath(abs, NULL);
	if (real == NULL || !dp_path_is_inside(w->root, real) || (w->skip && dp_path_is_inside(w->skip, real))) {
		walk_warn(w, "'%s': symbolic link leads out of the input tree; not followed", rel);
		return FALSE;
	}
	return stat(real, st) == 0;
}

static void
walk_entry(Walk *w, int dfd, const char *rel, const char *name)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return; /* vanished since readdir */
	if (S_ISLNK(st.st_mode) && !symlink_target(w, rel, &st))
		return;
	if (S_ISREG(st.st_mode)) {
		g_ptr_array_add(w->out, input_new(rel, &st));
	} else if (S_ISDIR(st.st_mode)) {
		g_autofree char *abs = g_build_filename(w->root, rel, NULL);
		if (w->skip && g_str_equal(abs, w->skip))
			return;
		if (seen_before(w, &st))
			return;
		int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			walk_warn(w, "cannot open directory '%s': %s", rel, g_strerror(e));
			return;
		}
		walk_dir(w, fd, rel);
	}
}

/* Walk the directory open as DFD (taken over and closed) at REL ("" for the root). */
static void
walk_dir(Walk *w, int dfd, const char *rel)
{
	DIR *d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (g_str_equal(name, ".") || g_str_equal(name, ".."))
			continue;
		if (*rel == '\0' && g_str_equal(name, ".docpipe"))
			continue;
		g_autofree char *sub = *rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		walk_entry(w, dirfd(d), sub, name);
	}
	closedir(d);
}

GPtrArray *
dp_walk(const char *root, const char *skip, void (*warn)(const char *msg), GError **error)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot open directory '%s': %s", root, g_strerror(e));
		return NULL;
	}
	Walk w = { root, skip, warn, g_ptr_array_new_with_free_func((GDestroyNotify)dp_input_free),
		   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
	struct stat st;
	if (fstat(fd, &st) == 0)
		seen_before(&w, &st);
	walk_dir(&w, fd, "");
	g_hash_table_unref(w.seen);
	g_ptr_array_sort(w.out, cmp_input);
	return w.out;
}

/* REL with "." and empty segments dropped; NULL when it has "..". */
static char *
clean_relative(const char *p)
{
	g_auto(GStrv) parts = g_strsplit(p, "/", -1);
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; parts[i]; i++) {
		if (*parts[i] == '\0' || g_str_equal(parts[i], "."))
			continue;
		if (g_str_equal(parts[i], ".."))
			return NULL;
		if (out->len)
			g_string_append_c(out, '/');
		g_string_append(out, parts[i]);
	}
	return out->len ? g_string_free(g_steal_pointer(&out), FALSE) : NULL;
}

/*
 * One listed path to a relative path below ROOT, or NULL.  ROOT_AS_GIVEN
 * is IN as typed, so that the output of `find IN ...` works as a list.
 */
static char *
list_entry_relative(const char *root, const char *given, const char *p)
{
	if (g_path_is_absolute(p)) {
		if (dp_path_is_inside(root, p))
			return clean_relative(p + strlen(root));
		/* The user may have reached ROOT through a symbolic link. */
		g_autofree char *real = realpath(p, NULL);
		if (real != NULL && dp_path_is_inside(root, real))
			return clean_relative(real + strlen(root));
		return NULL;
	}
	/* As `find IN ...` prints it: strip the IN prefix as it was typed. */
	g_autofree char *g = clean_relative(given);
	g_autofree char *c = clean_relative(p);
	if (c == NULL)
		return NULL;
	/* A path that exists relative to ROOT is taken as such; the prefix form only otherwise. */
	g_autofree char *as_is = g_build_filename(root, c, NULL);
	struct stat st;
	if (lstat(as_is, &st) == 0)
		return g_steal_pointer(&c);
	if (g != NULL && !g_path_is_absolute(given) && strncmp(c, g, strlen(g)) == 0 && c[strlen(g)] == '/')
		return g_strdup(c + strlen(g) + 1);
	return g_steal_pointer(&c);
}

GPtrArray *
dp_walk_list(const char *root, const char *root_as_given, GBytes *list, const char *skip, void (*warn)(const char *msg),
             guint *rejected)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)dp_input_free);
	g_autoptr(GHashTable) dup = g_hash_table_new(g_str_hash, g_str_equal);
	Walk w = { root, skip, warn, out, NULL };
	g_autoptr(GPtrArray) entries = dp_path_list_split(list, FALSE);
	*rejected = 0;
	for (guint i = 0; i < entries->len; i++) {
		const char *p = entries->pdata[i];
		g_autofree char *rel = list_entry_relative(root, root_as_given, p);
		g_autofree char *abs = rel ? g_build_filename(root, rel, NULL) : NULL;
		g_autofree char *real = abs ? realpath(abs, NULL) : NULL;
		struct stat st;
		const char *why = NULL;
		if (rel == NULL || (real != NULL && !dp_path_is_inside(root, real)))
			why = "outside the input directory";
		else if (real == NULL || stat(real, &st) != 0)
			why = "cannot be found";
		else if (skip != NULL && dp_path_is_inside(skip, real))
			why = "inside the output directory";
		else if (!S_ISREG(st.st_mode))
			why = "not a regular file";
		else if (g_str_has_prefix(rel, ".docpipe/"))
			why = "inside a .docpipe directory";
		if (why != NULL) {
			walk_warn(&w, "'%s': %s; left out", p, why);
			(*rejected)++;
			continue;
		}
		if (g_hash_table_contains(dup, rel))
			continue;
		DpInput *in = input_new(rel, &st);
		g_hash_table_add(dup, in->rel);
		g_ptr_array_add(out, in);
	}
	g_ptr_array_sort(out, cmp_input);
	return out;
}
