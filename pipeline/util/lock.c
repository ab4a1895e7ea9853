/*
 * lock.c: one batch run per output directory.
 *
 * flock(2) rather than a PID file: the kernel drops the lock when the
 * holder dies, even by kill -9, so there is never a stale lock to clean.
 * Workers close the descriptor after fork so that a worker that outlives
 * its parent cannot keep holding the lock.
 */
#include "util/lock.h"

#include "util/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/banned.h"

int
dp_lock_acquire(const char *path, gboolean wait, GError **error)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_CANTCREAT, "cannot create lock '%s': %s", path, g_strerror(e));
		return -1;
	}
	for (;;) {
		if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0)
			return fd;
		int e = errno;
		if (e == EINTR && wait)
			continue;
		close(fd);
		if (e == EWOULDBLOCK || e == EINTR) {
			g_set_error(error, DP_ERROR, DP_EXIT_TEMPFAIL, "another run holds the lock '%s'", path);
			return -1;
		}
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot lock '%s': %s", path, g_strerror(e));
		return -1;
	}
}
