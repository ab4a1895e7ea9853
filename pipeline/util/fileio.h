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
 * From now on dp_read_file() of exactly PATH reads it only when the file it
 * opens is DEV:INO (checked with fstat() on the open descriptor), and fails
 * with DP_EXIT_NOINPUT otherwise: what a walk listed cannot be swapped for
 * a link to another file between the walk and the read.  PATH NULL: no
 * expectation.  One path at a time, for the whole process.
 */
void dp_read_file_expect(const char *path, guint64 dev, guint64 ino);

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
/* What the error of dp_read_file() says when the file is not the one expected. */
#define DP_ERROR_REPLACED "it was replaced since it was listed"
/* Flush and check STREAM; an error (ENOSPC, EPIPE) becomes a GError. */
gboolean dp_close_stream(FILE *stream, const char *name, GError **error);

#endif
