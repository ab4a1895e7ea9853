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
/*
 * Open PATH for reading (regular files only) and read it, as above.
 * TEST ONLY: with DOCPIPE_FAULT=shrink:SUBSTRING in the environment, a file
 * whose path holds SUBSTRING is cut to half its size right after it is
 * mapped, as another process rewriting it would, so that what a shrunk
 * input does can be tested without a race.
 */
GBytes *dp_read_file(const char *path, guint64 max, GError **error);

/*
 * Give the pages of BYTES between offsets FROM and UPTO back to the kernel when BYTES
 * is a file mapping from dp_read_file (a no-op otherwise).  Touching them
 * again reads them back: this only bounds the resident set when a large
 * input is walked once from start to end.
 */
void dp_bytes_release(GBytes *bytes, gsize from, gsize upto);
/*
 * FALSE, with DP_EXIT_NOINPUT, when BYTES is a mapping from dp_read_file
 * whose file shrank while it was read: the lost pages read as zeros, so
 * whatever was made of them is wrong.  NAME is for the message.
 */
gboolean dp_bytes_check(GBytes *bytes, const char *name, GError **error);
/*
 * The error of the record that says so (sandbox/isolate.c, batch/worker.c),
 * by which the emitter knows to drop that document's outputs.
 */
#define DP_ERROR_SHRANK "the input shrank while it was read"
/* Flush and check STREAM; an error (ENOSPC, EPIPE) becomes a GError. */
gboolean dp_close_stream(FILE *stream, const char *name, GError **error);

#endif
