/*
 * walk.h: the inputs of a batch run: a sorted recursive walk of a tree, or
 * a list of paths (--files-from), each with the stat data the incremental
 * fast path compares.
 */
#ifndef DOCPIPE_WALK_H
#define DOCPIPE_WALK_H

#include <glib.h>

typedef struct {
	char *rel; /* path relative to the input root, '/'-separated */
	guint64 size;
	gint64 mtime_ns;
	guint64 inode;
	guint64 dev; /* with INODE, the file the walk saw: the worker reads no other (chain.h) */
} DpInput;

void dp_input_free(DpInput *in);

/*
 * Every regular file below the directory ROOT (an absolute, resolved path),
 * sorted by relative path in byte order.  Symbolic links are followed only
 * when they resolve inside ROOT (directories once each, so loops end);
 * other special files are left out.  SKIP (may be NULL) is an absolute
 * directory below ROOT not to descend into (the output tree).  A top-level
 * ".docpipe" directory is always skipped.  Unreadable directories are
 * reported through WARN and skipped.
 */
GPtrArray *dp_walk(const char *root, const char *skip, void (*warn)(const char *msg), GError **error);

/*
 * The inputs named in LIST (file contents, NUL- or newline-separated),
 * relative to ROOT (preferred when such a file exists), or prefixed by ROOT
 * as typed (ROOT_AS_GIVEN) as `find ROOT` prints them, or absolute below
 * ROOT (through symbolic links too).  A path that is missing, not a regular file, or
 * resolves outside ROOT is reported through WARN, counted in *REJECTED and
 * left out.  The result is sorted and free of duplicates.
 */
GPtrArray *dp_walk_list(const char *root, const char *root_as_given, GBytes *list, const char *skip,
                        void (*warn)(const char *msg), guint *rejected);

/* The resolved path P is ROOT itself or inside it. */
gboolean dp_path_is_inside(const char *root, const char *p);

/* Deterministic shard of REL: 1..N, from the SHA-256 of the relative path. */
guint dp_shard_of(const char *rel, guint n);

#endif
