/*
 * NAME
 *	pst.c: Outlook PST and OST mailboxes (application/vnd.ms-outlook-pst),
 *	the module docpipe-pst.so, through libpff.
 *
 * DESCRIPTION
 *	The folders are walked depth first from the root folder, each one's
 *	messages before its subfolders, in the order libpff gives them.  Each
 *	message is made into RFC 822 (extract/pst-message.c) and handed to
 *	dispatch as a part "FOLDER/SUBFOLDER/message N" of type
 *	message/rfc822, so that it gets the record an .eml would; its folder
 *	path is also meta.folder.  Messages go out one at a time, each freed
 *	before the next is read, and the input's pages are given back to the
 *	kernel as the walk goes: docpipe's own memory does not grow with the
 *	mailbox.  libpff's does: it keeps a node of its block B-tree for each
 *	block it has looked up (about 0.5 KiB each, 105 MiB for a PST of
 *	1 GiB) until the file is closed, and has no setting that bounds it.
 *	So once the heap has grown by a quarter of [limits] memory (512 MiB by
 *	default) the walk closes the file, opens it again and finds its place
 *	by the folders' indexes (maybe_reopen): memory bounded whatever the
 *	size, for one more open per 5 GiB or so of such mail.  Not more often:
 *	libpff's open finds each item's parent by searching the tree built so
 *	far, which takes time growing as the square of the number of items
 *	(27 s of CPU for 50,000).
 *	The record of the PST itself says what kind of file it is and how
 *	many items libpff found orphaned; what went wrong in the walk is said
 *	in a last part, "pst problems" (status partial).
 *
 * SECURITY
 *	The bytes are untrusted.  libpff reads them from memory (our libbfio
 *	handle over the input, extract/pst-io.c, which never reads past its
 *	end; never a file name), under the sandbox.
 *	Folder trees are bounded: a folder seen before (a cycle in a damaged
 *	or hostile file) or nested deeper than MAX_FOLDER_DEPTH is reported
 *	and not entered; [limits] max-children stops the walk; an attachment
 *	larger than [limits] max-input-size is not copied; the sandbox's
 *	time limits stop a walk that takes too long, with the messages read
 *	until then already out.
 */
#include "core/config.h"
#include "core/detect.h"
#include "extract/extract.h"
#include "extract/pst.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <libbfio.h>
#include <malloc.h>
#include <string.h>

#include "util/banned.h"

#define MAX_FOLDER_DEPTH 64
/*
 * The mapped input's pages are given back to the kernel every so many
 * messages: libpff reads the file all over (its B-trees, then each
 * message's blocks), and without this every page it ever touched would
 * stay resident, so that memory would grow with the mailbox.  What it
 * reads again comes back from the page cache.
 */
#define RELEASE_EVERY 64
/* The part limit when [limits] max-input-size is 0 (no limit). */
#define DEFAULT_MAX_PART ((gsize)1 << 30)

/*
 * libpff keeps what it learns of the file's block B-tree until the file
 * is closed (see the top): once the heap has grown by a quarter of
 * [limits] memory (at least MIN_REOPEN_AFTER; NO_LIMIT_REOPEN_AFTER
 * without a limit) since the file was opened, the walk closes it, opens
 * it again and finds its place by the folders' indexes, which costs one
 * more open (libpff building its tree of items) and frees what it had
 * kept.  Checked every CHECK_EVERY messages (mallinfo2 walks the heap's
 * free lists).
 */
#define MIN_REOPEN_AFTER ((gsize)128 << 20)
#define NO_LIMIT_REOPEN_AFTER ((gsize)512 << 20)
#define CHECK_EVERY 16

/*
 * glibc's malloc gives the top of its heap back to the kernel as soon as
 * 128 KiB of it is free, and serves blocks past its sliding threshold
 * with mmap: each message (its RFC 822 copy, an attachment's bytes and
 * text, up to a few MiB) then takes fresh pages from the kernel and
 * faults every one of them in, 96,000 page faults and a sixth of the CPU
 * for a PST of 200 MiB.  During the walk the heap keeps up to KEEP_FREE
 * of free memory at its top and serves blocks below MMAP_FROM itself:
 * 10,000 faults, and no higher peak (the heap only keeps what it already
 * had at its peak).
 */
#define KEEP_FREE ((int)16 << 20)
#define MMAP_FROM ((int)4 << 20)
/* glibc's default, put back after the walk. */
#define DEFAULT_TRIM (128 * 1024)

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	libpff_file_t *file;
	libbfio_handle_t *handle;
	/* Folder identifiers entered so far: a cycle comes back to one. */
	GHashTable *visited;
	/* The folders from the root to the one walked, each one's index in its parent. */
	libpff_item_t *folders[MAX_FOLDER_DEPTH + 2];
	int index[MAX_FOLDER_DEPTH + 2];
	gsize max_part;
	guint64 n_problems;
	guint since_release;
	guint since_check;
	char *first_problem;
	/* The heap in use when the file was opened; the reopen rule (above, or a test's). */
	gsize heap_base;
	gsize reopen_after;
	guint reopen_every;
	/* Reopening failed: the folders are gone and the walk stops. */
	gboolean lost;
} Walk;

/* The walk stops once the part limit has been passed: nothing more goes out. */
static gboolean
over_limit(const Walk *w)
{
	return w->lost || (w->ctx->max_children > 0 && w->ctx->n_children > w->ctx->max_children);
}

/* Keep freed memory in the heap during the walk (ON) or give it back (see KEEP_FREE). */
static void
keep_heap(gboolean on)
{
	(void)mallopt(M_TRIM_THRESHOLD, on ? KEEP_FREE : DEFAULT_TRIM);
	/* glibc has no way back to its sliding threshold: MMAP_FROM stays. */
	(void)mallopt(M_MMAP_THRESHOLD, MMAP_FROM);
	if (!on)
		(void)malloc_trim(0);
}

static void
note_problem(Walk *w, const char *what)
{
	w->n_problems++;
	if (w->first_problem == NULL)
		w->first_problem = g_strdup(what);
}

/* The bytes malloc has handed out and not had back, libpff's among them. */
static gsize
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

/* Open the file behind W's handle with libpff; NULL with *WHY on failure. */
static libpff_file_t *
open_file(libbfio_handle_t *handle, char **why)
{
	libpff_file_t *file = NULL;
	libpff_error_t *err = NULL;
	if (libpff_file_initialize(&file, &err) != 1 ||
	    libpff_file_open_file_io_handle(file, handle, LIBPFF_OPEN_READ, &err) != 1) {
		*why = dp_pst_error_take(&err);
		libpff_file_free(&file, NULL);
		return NULL;
	}
	return file;
}

/* Close W's file, with the folders it has open, deepest first. */
static void
close_file(Walk *w)
{
	for (int d = MAX_FOLDER_DEPTH + 1; d >= 0; d--)
		libpff_item_free(&w->folders[d], NULL);
	if (w->file != NULL)
		libpff_file_close(w->file, NULL);
	libpff_file_free(&w->file, NULL);
}

/*
 * After a message of the folder at DEPTH: when the reopen rule says so,
 * close the file and open it again, and get the folders from the root to
 * DEPTH back by their indexes.  When that fails the walk stops (W->LOST).
 */
static void
maybe_reopen(Walk *w, guint depth)
{
	if (w->reopen_every > 0 ? ++w->since_check < w->reopen_every
	                        : ++w->since_check < CHECK_EVERY || heap_in_use() < w->heap_base + w->reopen_after)
		return;
	w->since_check = 0;
	close_file(w);
	g_autofree char *why = NULL;
	libpff_error_t *err = NULL;
	w->file = open_file(w->handle, &why);
	gboolean ok = w->file != NULL && libpff_file_get_root_folder(w->file, &w->folders[0], &err) == 1;
	for (guint d = 1; ok && d <= depth; d++)
		ok = libpff_folder_get_sub_folder(w->folders[d - 1], w->index[d], &w->folders[d], &err) == 1;
	if (!ok) {
		if (why == NULL)
			why = dp_pst_error_take(&err);
		g_autofree char *what = g_strdup_printf("opening the file again (to bound libpff's memory): %s", why);
		note_problem(w, what);
		close_file(w);
		w->lost = TRUE;
	}
	w->heap_base = heap_in_use();
}

/* A folder's name as one path component ("/" would make two). */
static char *
folder_name(libpff_item_t *folder)
{
	size_t size = 0;
	libpff_error_t *err = NULL;
	g_autofree uint8_t *buf = NULL;
	if (libpff_folder_get_utf8_name_size(folder, &size, &err) == 1 && size > 0 && size < 65536) {
		buf = g_malloc0(size + 1);
		if (libpff_folder_get_utf8_name(folder, buf, size, &err) != 1)
			g_clear_pointer(&buf, g_free);
	}
	libpff_error_free(&err);
	g_autofree char *name = g_utf8_make_valid(buf != NULL ? (const char *)buf : "", -1);
	g_strdelimit(name, "/\r\n\t", '_');
	g_strstrip(name);
	return g_strdup(*name != '\0' ? name : "(unnamed folder)");
}

static gboolean
message_part(Walk *w, libpff_item_t *message, const char *folder, int n, GError **error)
{
	g_autofree char *path = g_strdup_printf("%s%smessage %d", folder, *folder ? "/" : "", n);
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) mime = dp_pst_message_mime(message, 0, w->max_part, &err);
	const char *meta[] = { "meta.folder", folder, NULL };
	if (mime == NULL) {
		g_autofree char *what = g_strdup_printf("%s: %s", path, err->message);
		note_problem(w, what);
		return dp_doc_child_problem(w->ctx, w->doc, path, DP_TYPE_RFC822, meta, DP_STATUS_ERROR, error, "%s",
		                            err->message);
	}
	return dp_doc_child(w->ctx, w->doc, path, DP_TYPE_RFC822, mime, meta, error);
}

static gboolean walk_folder(Walk *w, const char *path, guint depth, GError **error);

/* The messages of the folder at DEPTH (W->FOLDERS[DEPTH], which a reopen replaces). */
static gboolean
walk_messages(Walk *w, const char *path, guint depth, GError **error)
{
	libpff_error_t *err = NULL;
	int n = 0;
	if (libpff_folder_get_number_of_sub_messages(w->folders[depth], &n, &err) != 1) {
		g_autofree char *why = dp_pst_error_take(&err);
		g_autofree char *what = g_strdup_printf("%s: messages: %s", path, why);
		note_problem(w, what);
		return TRUE;
	}
	for (int i = 0; i < n && !over_limit(w); i++) {
		libpff_item_t *message = NULL;
		if (libpff_folder_get_sub_message(w->folders[depth], i, &message, &err) != 1) {
			g_autofree char *why = dp_pst_error_take(&err);
			g_autofree char *mpath = g_strdup_printf("%s%smessage %d", path, *path ? "/" : "", i + 1);
			note_problem(w, why);
			const char *meta[] = { "meta.folder", path, NULL };
			if (!dp_doc_child_problem(w->ctx, w->doc, mpath, DP_TYPE_RFC822, meta, DP_STATUS_ERROR, error,
			                          "%s", why))
				return FALSE;
			continue;
		}
		gboolean ok = message_part(w, message, path, i + 1, error);
		libpff_item_free(&message, NULL);
		if (++w->since_release >= RELEASE_EVERY) {
			dp_bytes_release(w->doc->data, 0, g_bytes_get_size(w->doc->data));
			w->since_release = 0;
		}
		if (!ok)
			return FALSE;
		maybe_reopen(w, depth);
	}
	return TRUE;
}

static gboolean
walk_subfolders(Walk *w, const char *path, guint depth, GError **error)
{
	libpff_error_t *err = NULL;
	int n = 0;
	if (w->lost)
		return TRUE;
	if (libpff_folder_get_number_of_sub_folders(w->folders[depth], &n, &err) != 1) {
		g_autofree char *why = dp_pst_error_take(&err);
		g_autofree char *what = g_strdup_printf("%s: subfolders: %s", path, why);
		note_problem(w, what);
		return TRUE;
	}
	for (int i = 0; i < n && !over_limit(w); i++) {
		if (libpff_folder_get_sub_folder(w->folders[depth], i, &w->folders[depth + 1], &err) != 1) {
			g_autofree char *why = dp_pst_error_take(&err);
			note_problem(w, why);
			continue;
		}
		w->index[depth + 1] = i;
		g_autofree char *name = folder_name(w->folders[depth + 1]);
		g_autofree char *subpath = *path ? g_strdup_printf("%s/%s", path, name) : g_strdup(name);
		gboolean ok = walk_folder(w, subpath, depth + 1, error);
		libpff_item_free(&w->folders[depth + 1], NULL);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* The folder at DEPTH: W->FOLDERS[DEPTH], W->INDEX[DEPTH] in its parent. */
static gboolean
walk_folder(Walk *w, const char *path, guint depth, GError **error)
{
	uint32_t id = 0;
	libpff_error_t *err = NULL;
	if (libpff_item_get_identifier(w->folders[depth], &id, &err) != 1) {
		g_autofree char *why = dp_pst_error_take(&err);
		note_problem(w, why);
		return TRUE;
	}
	if (g_hash_table_contains(w->visited, GUINT_TO_POINTER(id))) {
		g_autofree char *what =
		    g_strdup_printf("%s: folder %u seen before (a cycle in the folder tree); not entered", path, id);
		note_problem(w, what);
		return TRUE;
	}
	if (depth > MAX_FOLDER_DEPTH) {
		g_autofree char *what =
		    g_strdup_printf("%s: folders nested deeper than %d; not entered", path, MAX_FOLDER_DEPTH);
		note_problem(w, what);
		return TRUE;
	}
	g_hash_table_add(w->visited, GUINT_TO_POINTER(id));
	return walk_messages(w, path, depth, error) && walk_subfolders(w, path, depth, error);
}

/* What kind of file this is, and how many items libpff found orphaned. */
static void
set_file_meta(DpDoc *doc, libpff_file_t *file)
{
	libpff_error_t *err = NULL;
	uint8_t content = 0, type = 0;
	if (libpff_file_get_content_type(file, &content, &err) == 1)
		dp_doc_meta(doc, "pst-content",
		            content == LIBPFF_FILE_CONTENT_TYPE_OST   ? "ost"
		            : content == LIBPFF_FILE_CONTENT_TYPE_PAB ? "pab"
		                                                      : "pst");
	libpff_error_free(&err);
	if (libpff_file_get_type(file, &type, &err) == 1)
		dp_doc_meta(doc, "pst-format", type == LIBPFF_FILE_TYPE_32BIT ? "ansi" : "unicode");
	libpff_error_free(&err);
	int orphans = 0;
	if (libpff_file_get_number_of_orphan_items(file, &orphans, &err) == 1 && orphans > 0) {
		g_autofree char *o = g_strdup_printf("%d", orphans);
		dp_doc_meta(doc, "pst-orphan-items", o);
	}
	libpff_error_free(&err);
}

gboolean
dp_extract_pst_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(doc->data, &len);
	Walk w = { .ctx = ctx, .doc = doc };
	w.handle = dp_pst_io_new(data, len);
	g_autofree char *why = w.handle == NULL ? g_strdup("cannot set up a libbfio handle") : NULL;
	w.file = w.handle != NULL ? open_file(w.handle, &why) : NULL;
	if (w.file == NULL) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "not a readable PST/OST file: %s", why);
		libbfio_handle_free(&w.handle, NULL);
		return TRUE;
	}
	w.visited = g_hash_table_new(g_direct_hash, g_direct_equal);
	keep_heap(TRUE);
	w.max_part = ctx->max_input > 0 ? (gsize)ctx->max_input : DEFAULT_MAX_PART;
	w.heap_base = heap_in_use();
	guint64 limit = dp_config_get_size(ctx->cfg, "limits", "memory");
	w.reopen_after = limit > 0 ? MAX(MIN_REOPEN_AFTER, (gsize)(limit / 4)) : NO_LIMIT_REOPEN_AFTER;
	/* For tests only: reopen after every N messages instead of by memory. */
	const char *every = g_getenv("DOCPIPE_PST_REOPEN_EVERY");
	w.reopen_every = every != NULL ? (guint)g_ascii_strtoull(every, NULL, 10) : 0;

	/*
	 * The document's record goes out first, as a mailbox's does; what the
	 * walk finds wrong is then said in a last part, since the record is out.
	 */
	set_file_meta(doc, w.file);
	gboolean ok = dp_doc_emit(ctx, doc, error);
	libpff_error_t *err = NULL;
	int rc = ok ? libpff_file_get_root_folder(w.file, &w.folders[0], &err) : -1;
	if (ok && rc != 1) {
		/* 0: no error, but no root folder either (a damaged or cut file). */
		g_autofree char *msg =
		    rc == 0 ? g_strdup("no root folder: the file is damaged or truncated") : dp_pst_error_take(&err);
		note_problem(&w, msg);
	} else if (ok) {
		/* The root folder has no name: its subfolders are the top of the paths. */
		ok = walk_folder(&w, "", 0, error);
	}
	if (ok && w.n_problems > 0)
		ok = dp_doc_child_problem(ctx, doc, "pst problems", NULL, NULL, DP_STATUS_PARTIAL, error,
		                          "%" G_GUINT64_FORMAT " problem(s) in the folder tree; the first: %s",
		                          w.n_problems, w.first_problem);
	g_hash_table_unref(w.visited);
	g_free(w.first_problem);
	close_file(&w);
	libbfio_handle_free(&w.handle, NULL);
	keep_heap(FALSE);
	return ok;
}
