/*
 * lock.h: the exclusive lock that keeps two batch runs over one output
 * directory apart.
 */
#ifndef DOCPIPE_LOCK_H
#define DOCPIPE_LOCK_H

#include <glib.h>

/*
 * Take an exclusive flock(2) on PATH (created if needed).  With WAIT FALSE,
 * a lock held by another process fails at once with DP_EXIT_TEMPFAIL.
 * Returns the descriptor that holds the lock (close it to release), or -1.
 * The lock dies with the process, so a killed run never leaves it behind.
 */
int dp_lock_acquire(const char *path, gboolean wait, GError **error);

#endif
