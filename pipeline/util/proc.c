/*
 * proc.c: finding other programs, and the one way docpipe forks, limits
 * and reaps its children.
 *
 * DESCRIPTION
 *	Two kinds of child share this code: the sandboxed parser forked for
 *	each input (sandbox/isolate.c) and the workers of `docpipe run`
 *	(batch/worker.c).  Neither execs: the child is the already set-up
 *	process, so fork() alone gives it its input, its configuration and
 *	its loaded libraries.  What each needs before its own work starts is
 *	the same, and lives here once: its pipes, nothing else open, death
 *	with its parent, limits that never loosen one set from outside, and a
 *	wait that survives signals.
 *
 * SECURITY
 *	A child holds only the descriptors laid out for it: the lock, the
 *	ledger, output files and other children's pipes are closed before it
 *	runs any code of its own.  It dies with its parent (PR_SET_PDEATHSIG),
 *	so no parser or worker outlives a killed run.
 */
#define _GNU_SOURCE 1 /* pipe2, close_range */
#include "util/proc.h"

#include "util/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/banned.h"

/* Where a child's descriptors wait before they move to 0..N-1. */
#define FIRST_HIGH_FD 10
G_STATIC_ASSERT(DP_PROC_MAX_SLOTS <= FIRST_HIGH_FD);

char *
dp_find_program(const char *self, const char *prog)
{
	if (self != NULL && strchr(self, '/') != NULL) {
		g_autofree char *dir = g_path_get_dirname(self);
		char *p = g_build_filename(dir, prog, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
			return p;
		g_free(p);
	}
	return g_find_program_in_path(prog);
}

void
dp_proc_close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

gboolean
dp_proc_set_limit(int resource, const char *name, rlim_t soft, rlim_t hard, GError **error)
{
	/* A stricter limit set from outside (ulimit) stays: never try to raise it. */
	struct rlimit cur;
	if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY) {
		hard = MIN(hard, cur.rlim_max);
		soft = MIN(soft, hard);
	}
	struct rlimit rl = { soft, hard };
	if (setrlimit(resource, &rl) == 0)
		return TRUE;
	int e = errno;
	g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot set the %s limit: %s", name, g_strerror(e));
	return FALSE;
}

pid_t
dp_proc_wait(pid_t pid, int *wstatus, struct rusage *ru, int options)
{
	pid_t r;
	while ((r = wait4(pid, wstatus, options, ru)) < 0 && errno == EINTR)
		;
	return r;
}

void
dp_proc_wait_ended(pid_t pid)
{
	siginfo_t info;
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
}

void
dp_proc_kill_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	dp_proc_wait(pid, NULL, NULL, 0);
}

/*
 * In the child: descriptor I becomes FROM[I] (-1: /dev/null) for I below
 * N, and every other descriptor is closed.  Every source moves above the
 * standard descriptors first (the parent may have run without some of
 * them, so a pipe may sit on 0, 1 or 2), so that no dup2() overwrites a
 * source still to be placed.
 */
static gboolean
child_layout(const int *from, int n)
{
	int high[DP_PROC_MAX_SLOTS];
	int null = -1;
	for (int i = 0; i < n; i++) {
		if (from[i] >= 0) {
			high[i] = fcntl(from[i], F_DUPFD_CLOEXEC, FIRST_HIGH_FD);
		} else {
			if (null < 0) {
				int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
				null = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, FIRST_HIGH_FD);
			}
			high[i] = null;
		}
		if (high[i] < 0)
			return FALSE;
	}
	for (int i = 0; i < n; i++)
		if (dup2(high[i], i) < 0)
			return FALSE;
	if (close_range((unsigned)n, ~0U, 0) != 0) {
		long max = sysconf(_SC_OPEN_MAX);
		for (long fd = n; fd < MIN(max, 65536); fd++)
			close((int)fd);
	}
	return TRUE;
}

/* The child's first steps, before any code of its own. */
static void
child_start(pid_t parent, const DpProcSlot *slots, int pipes[][2], int n)
{
	/*
	 * Die with the parent: a child left alone (its parent killed at a
	 * timeout, or the whole run killed) must not go on, or sleep,
	 * forever.  A parent that died before the flag took hold is seen
	 * in getppid().
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(DP_EXIT_SOFTWARE);
	int from[DP_PROC_MAX_SLOTS];
	for (int i = 0; i < n; i++)
		from[i] = slots[i] == DP_PROC_NULL ? -1 : pipes[i][slots[i] == DP_PROC_TO_CHILD ? 0 : 1];
	if (!child_layout(from, n))
		_exit(DP_EXIT_OSERR);
}

pid_t
dp_proc_fork(const DpProcSlot *slots, int n, int *fds, const char *what, GError **error)
{
	g_assert(n > 0 && n <= DP_PROC_MAX_SLOTS);
	int pipes[DP_PROC_MAX_SLOTS][2];
	for (int i = 0; i < n; i++)
		pipes[i][0] = pipes[i][1] = -1;
	const char *failed = NULL;
	for (int i = 0; i < n && failed == NULL; i++)
		if (slots[i] != DP_PROC_NULL && pipe2(pipes[i], O_CLOEXEC) != 0)
			failed = "cannot create a pipe";
	pid_t parent = getpid();
	pid_t pid = failed == NULL ? fork() : -1;
	if (pid < 0) {
		int e = errno;
		for (int i = 0; i < n; i++)
			dp_proc_close_pair(pipes[i]);
		if (failed != NULL)
			g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "%s: %s", failed, g_strerror(e));
		else
			g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot fork %s: %s", what, g_strerror(e));
		return -1;
	}
	if (pid == 0) {
		child_start(parent, slots, pipes, n);
		return 0;
	}
	/* The parent keeps the other end of each pipe. */
	for (int i = 0; i < n; i++) {
		int keep = slots[i] == DP_PROC_TO_CHILD ? 1 : 0;
		fds[i] = pipes[i][keep];
		if (pipes[i][1 - keep] >= 0)
			close(pipes[i][1 - keep]);
	}
	return pid;
}
