/*
 * util.h: small helpers shared by the stages: reading files with a limit,
 * hashes and ids, diagnostics.
 */
#ifndef DOCPIPE_UTIL_H
#define DOCPIPE_UTIL_H

#include <glib.h>

/*
 * Read all of FD (up to MAX bytes; more fails with DP_EXIT_DATAERR).  NAME
 * is for messages.  Works on pipes as well as files.
 */
GBytes *dp_read_fd(int fd, const char *name, guint64 max, GError **error);
/* Open PATH for reading (regular files only) and read it, as above. */
GBytes *dp_read_file(const char *path, guint64 max, GError **error);

/*
 * Give the pages of BYTES between offsets FROM and UPTO back to the kernel when BYTES
 * is a file mapping from dp_read_file (a no-op otherwise).  Touching them
 * again reads them back: this only bounds the resident set when a large
 * input is walked once from start to end.
 */
void dp_bytes_release(GBytes *bytes, gsize from, gsize upto);
/* Lowercase hex SHA-256 of BYTES, releasing mapped pages as it goes. */
char *dp_sha256_bytes(GBytes *bytes);

/* Lowercase hex SHA-256 of DATA. */
char *dp_sha256_hex(const void *data, gsize len);

/* Lowercase hex SHA-256 of the file PATH, read in blocks; NULL when it cannot be read. */
char *dp_sha256_file(const char *path);

/*
 * The stable id of a document: for a top-level input, the first 16 hex
 * digits of its SHA-256; for a part, derived from the parent's id and the
 * part's path inside the container.
 */
char *dp_id_root(const char *sha256_hex);
char *dp_id_child(const char *parent_id, const char *path);

/* The program name used in diagnostics, set once by main(). */
void dp_set_prgname(const char *argv0);
/* "docpipe-x: message\n" on stderr. */
void dp_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Flush and check STREAM; an error (ENOSPC, EPIPE) becomes a GError. */
gboolean dp_close_stream(FILE *stream, const char *name, GError **error);

/* Look for the program PROG beside SELF (argv[0]'s directory), then on PATH. */
char *dp_find_program(const char *self, const char *prog);

#endif
