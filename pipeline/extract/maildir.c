/*
 * NAME
 *	maildir.c - a maildir (a directory with cur/, new/ and tmp/) as one
 *	mail store
 *
 * DESCRIPTION
 *	The directory has no bytes of its own: detect gives it the type
 *	inode/x-maildir and the extractor reads the tree from the record's
 *	source path.  Each message becomes a child "message REL" (REL its path
 *	inside the maildir) through the same dispatch as a loose .eml, with the
 *	folder, the subdirectory (cur or new) and the flags of its file name
 *	(":2,FRS") as metadata.
 *
 *	Order is deterministic: in each folder, loose message files first, then
 *	cur/, then new/, each sorted by name (bytewise), then the subfolders
 *	sorted by name, walked the same way (Maildir++ ".Sub" folders and plain
 *	nested folders alike).  tmp/ holds deliveries in progress and is not
 *	read.  Symbolic links are not followed, so a link loop cannot trap the
 *	walk; nesting is bounded by [limits] max-depth.
 *
 * SECURITY
 *	The tree and every message in it are untrusted.  The walk runs in
 *	the child of sandbox/isolate.c (no file writes, network or programs:
 *	the seccomp filter of sandbox/sandbox.c; [limits] memory, cpu-time
 *	and timeout), which may still open files for reading: that is how it
 *	reads the messages.  Only regular files and directories are taken,
 *	by lstat(), so a symbolic link is never followed and a link loop
 *	cannot trap the walk; a message file is read up to [limits]
 *	max-input-size and never waited on (O_NONBLOCK; a FIFO is not a
 *	regular file).  Folders nest at most [limits] max-depth deep (a
 *	deeper one is a "limit" record naming it), messages stop at [limits]
 *	max-children, and each message is parsed by extract/mail.c with its
 *	bounds.  A file replaced by a link between the listing and the read
 *	is read through the link: a maildir that others can write to while
 *	it is converted is not a boundary.
 */
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <sys/stat.h>
#include <string.h>

#include "util/banned.h"

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	const char *root;
	gboolean stop;
} Maildir;

static int
cmp_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in DIR of the entries whose lstat kind is IS_DIR. */
static GPtrArray *
list_dir(const char *dir, gboolean want_dirs)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return names;
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *full = g_build_filename(dir, name, NULL);
		struct stat st;
		if (lstat(full, &st) != 0)
			continue;
		if (want_dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, cmp_name);
	return names;
}

/* The flags of a maildir file name ("1234.host:2,RS") as words. */
static char *
flag_words(const char *name)
{
	const char *info = strstr(name, ":2,");
	if (info == NULL)
		info = strstr(name, "!2,"); /* the separator on file systems without ':' */
	if (info == NULL)
		return NULL;
	static const struct {
		char c;
		const char *word;
	} flags[] = { { 'D', "draft" },   { 'F', "flagged" }, { 'P', "passed" },
		      { 'R', "replied" }, { 'S', "seen" },    { 'T', "trashed" } };
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(flags); i++)
		if (strchr(info + 3, flags[i].c) != NULL)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", flags[i].word);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean
maildir_message(Maildir *md, const char *dir, const char *rel_dir, const char *sub, const char *name,
                gboolean require_message, GError **error)
{
	g_autofree char *full = g_build_filename(dir, name, NULL);
	g_autofree char *rel = *rel_dir ? g_build_filename(rel_dir, name, NULL) : g_strdup(name);
	g_autofree char *path = g_strdup_printf("message %s", rel);
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = dp_read_file(full, md->ctx->max_input, &local);
	if (data == NULL && require_message)
		return TRUE;
	if (require_message) {
		/* A loose file in a folder is a message only if it looks like one. */
		gsize len;
		const guint8 *d = g_bytes_get_data(data, &len);
		g_autofree char *t = dp_detect_type(d, MIN(len, 65536), NULL);
		if (!g_str_equal(t, DP_TYPE_RFC822))
			return TRUE;
	}
	g_autofree char *flags = flag_words(name);
	/* Name and value pairs, a pair a line. */
	/* clang-format off */
	const char *meta[] = { "meta.folder",         *rel_dir ? rel_dir : ".",
			       "meta.maildir-subdir", sub,
			       "meta.flags",          flags,
			       NULL };
	/* clang-format on */
	if (data == NULL)
		return dp_doc_child_problem(md->ctx, md->doc, path, DP_TYPE_RFC822, meta, DP_STATUS_ERROR, error, "%s",
		                            local->message);
	gboolean ok = dp_doc_child(md->ctx, md->doc, path, DP_TYPE_RFC822, data, meta, error);
	if (md->ctx->max_children > 0 && md->ctx->n_children > md->ctx->max_children)
		md->stop = TRUE;
	return ok;
}

static gboolean
walk_folder(Maildir *md, const char *dir, const char *rel, guint level, GError **error)
{
	g_autoptr(GPtrArray) files = list_dir(dir, FALSE);
	for (guint i = 0; !md->stop && i < files->len; i++) {
		const char *name = files->pdata[i];
		if (name[0] == '.')
			continue; /* .uidvalidity, .mh_sequences and friends */
		if (!maildir_message(md, dir, rel, NULL, name, TRUE, error))
			return FALSE;
	}
	static const char *subs[] = { "cur", "new" };
	for (guint s = 0; !md->stop && s < G_N_ELEMENTS(subs); s++) {
		g_autofree char *sdir = g_build_filename(dir, subs[s], NULL);
		g_autofree char *srel = *rel ? g_build_filename(rel, subs[s], NULL) : g_strdup(subs[s]);
		g_autoptr(GPtrArray) msgs = list_dir(sdir, FALSE);
		for (guint i = 0; !md->stop && i < msgs->len; i++)
			if (!maildir_message(md, sdir, srel, subs[s], msgs->pdata[i], FALSE, error))
				return FALSE;
	}
	g_autoptr(GPtrArray) dirs = list_dir(dir, TRUE);
	for (guint i = 0; !md->stop && i < dirs->len; i++) {
		const char *name = dirs->pdata[i];
		if (g_str_equal(name, "cur") || g_str_equal(name, "new") || g_str_equal(name, "tmp"))
			continue;
		g_autofree char *sub = g_build_filename(dir, name, NULL);
		g_autofree char *srel = *rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
		if (level + 1 > md->ctx->max_depth) {
			const char *meta[] = { "meta.folder", srel, NULL };
			g_autofree char *path = g_strdup_printf("folder %s", srel);
			if (!dp_doc_child_problem(md->ctx, md->doc, path, "inode/directory", meta, DP_STATUS_LIMIT,
			                          error, "folders nested deeper than the limit of %u",
			                          md->ctx->max_depth))
				return FALSE;
			continue;
		}
		if (!walk_folder(md, sub, srel, level + 1, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
dp_extract_maildir(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	const char *root = dp_record_get(doc->rec, DP_F_SOURCE);
	if (root == NULL || !g_file_test(root, G_FILE_TEST_IS_DIR)) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "a maildir must be a directory on disk");
		return dp_doc_emit(ctx, doc, error);
	}
	dp_doc_meta(doc, "mail-store", "maildir");
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;
	Maildir md = { ctx, doc, root, FALSE };
	return walk_folder(&md, root, "", 0, error);
}
