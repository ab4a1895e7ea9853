/*
 * fileio.h: reading inputs with a limit, mapped where possible; checked closing.
 */
#ifndef DOCPIPE_FILEIO_H
#define DOCPIPE_FILEIO_H

#include <glib.h>
#include <stdio.h>

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
/*
 * TEST ONLY: the next dp_read_file() that maps its file cuts the file to
 * half its size right after, as another process rewriting it would, so
 * that what a shrunk input does to a run can be tested without a race.
 */
void dp_read_file_fault_shrink(void);
/*
 * FALSE, with DP_EXIT_NOINPUT, when BYTES is a mapping from dp_read_file
 * whose file shrank while it was read: the lost pages read as zeros, so
 * whatever was made of them is wrong.  NAME is for the message.
 */
gboolean dp_bytes_check(GBytes *bytes, const char *name, GError **error);
/* Flush and check STREAM; an error (ENOSPC, EPIPE) becomes a GError. */
gboolean dp_close_stream(FILE *stream, const char *name, GError **error);

#endif
