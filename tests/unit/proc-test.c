/*
 * proc-test: util/proc.c, the one way docpipe forks, limits and reaps its
 * children: the descriptors a child gets, its death with its parent, the
 * limit wrapper and the wait helpers.
 */
#include "util/exitcode.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "util/banned.h"

/* Read FD to its end. */
static char *
slurp(int fd)
{
	GString *s = g_string_new(NULL);
	char buf[256];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(s, buf, n);
	return g_string_free(s, FALSE);
}

/* Whether FD is /dev/null. */
static gboolean
is_dev_null(int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

/*
 * The child gets exactly its slots: a pipe to read on 0, /dev/null on 1,
 * pipes to write on 2 and 3, nothing above (not even a descriptor the
 * parent left inheritable), and its exit status reaches dp_proc_wait().
 */
static void
test_fork_layout(void)
{
	/* Inheritable on purpose, and above the child's four. */
	int low = open("/dev/null", O_RDONLY);
	g_assert_cmpint(low, >=, 0);
	int stray = fcntl(low, F_DUPFD, 20);
	close(low);
	g_assert_cmpint(stray, >=, 20);
	static const DpProcSlot slots[] = { DP_PROC_TO_CHILD, DP_PROC_NULL, DP_PROC_FROM_CHILD, DP_PROC_FROM_CHILD };
	int fds[4];
	g_autoptr(GError) error = NULL;
	pid_t pid = dp_proc_fork(slots, 4, fds, "a test child", &error);
	g_assert_no_error(error);
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		char buf[16] = { 0 };
		gboolean ok = read(0, buf, sizeof buf - 1) == 5 && g_str_equal(buf, "hello");
		ok = ok && is_dev_null(1);
		ok = ok && fcntl(4, F_GETFD) < 0 && fcntl(stray, F_GETFD) < 0;
		const char *msg = ok ? "layout ok" : "layout wrong";
		if (write(3, msg, strlen(msg)) < 0 || write(2, "to stderr", 9) < 0)
			_exit(1);
		_exit(7);
	}
	close(stray);
	g_assert_cmpint(fds[1], ==, -1);
	/* The parent's ends are close-on-exec. */
	g_assert_cmpint(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, !=, 0);
	g_assert_cmpint(fcntl(fds[2], F_GETFD) & FD_CLOEXEC, !=, 0);
	g_assert_cmpint(fcntl(fds[3], F_GETFD) & FD_CLOEXEC, !=, 0);
	g_assert_cmpint(write(fds[0], "hello", 5), ==, 5);
	close(fds[0]);
	g_autofree char *out = slurp(fds[3]);
	g_autofree char *err = slurp(fds[2]);
	close(fds[2]);
	close(fds[3]);
	g_assert_cmpstr(out, ==, "layout ok");
	g_assert_cmpstr(err, ==, "to stderr");
	int st = 0;
	struct rusage ru;
	g_assert_cmpint(dp_proc_wait(pid, &st, &ru, 0), ==, pid);
	g_assert_true(WIFEXITED(st));
	g_assert_cmpint(WEXITSTATUS(st), ==, 7);
}

/*
 * A child whose parent dies is killed (PR_SET_PDEATHSIG): this process
 * becomes the subreaper of the grandchild, so it can reap it and see how
 * it ended, without any timing.
 */
static void
test_death_with_parent(void)
{
	g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 1), ==, 0);
	static const DpProcSlot slots[] = { DP_PROC_FROM_CHILD };
	int fd;
	pid_t a = dp_proc_fork(slots, 1, &fd, "a test child", NULL);
	g_assert_cmpint(a, >=, 0);
	if (a == 0) {
		int ready;
		pid_t b = dp_proc_fork(slots, 1, &ready, "a grandchild", NULL);
		if (b == 0) {
			/* Past the check for a parent already gone. */
			if (write(0, "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		/* B's pid to the test once B runs, then A dies and takes B with it. */
		char r;
		if (b < 0 || read(ready, &r, 1) != 1 || write(0, &b, sizeof b) != sizeof b)
			_exit(1);
		_exit(0);
	}
	pid_t b = 0;
	g_assert_cmpint(read(fd, &b, sizeof b), ==, sizeof b);
	close(fd);
	int st = 0;
	g_assert_cmpint(dp_proc_wait(a, &st, NULL, 0), ==, a);
	g_assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	g_assert_cmpint(dp_proc_wait(b, &st, NULL, 0), ==, b);
	g_assert_true(WIFSIGNALED(st));
	g_assert_cmpint(WTERMSIG(st), ==, SIGKILL);
	g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 0), ==, 0);
}

/* Run FN in a child (its limits are the child's own); TRUE when it returned TRUE. */
static gboolean
in_child(gboolean (*fn)(void))
{
	static const DpProcSlot none[] = { DP_PROC_NULL };
	int unused;
	pid_t pid = dp_proc_fork(none, 1, &unused, "a test child", NULL);
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0)
		_exit(fn() ? 0 : 1);
	int st = 0;
	g_assert_cmpint(dp_proc_wait(pid, &st, NULL, 0), ==, pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static gboolean
limits_stay_below_outside(void)
{
	struct rlimit outside = { 64, 128 }, now;
	if (setrlimit(RLIMIT_NOFILE, &outside) != 0)
		return FALSE;
	/* Asked for more than the outside hard limit: both stop at it. */
	if (!dp_proc_set_limit(RLIMIT_NOFILE, "open files", 256, 256, NULL) || getrlimit(RLIMIT_NOFILE, &now) != 0 ||
	    now.rlim_cur != 128 || now.rlim_max != 128)
		return FALSE;
	/* Asked for less: set as asked, for good. */
	if (!dp_proc_set_limit(RLIMIT_NOFILE, "open files", 32, 48, NULL) || getrlimit(RLIMIT_NOFILE, &now) != 0 ||
	    now.rlim_cur != 32 || now.rlim_max != 48)
		return FALSE;
	/* RLIM_INFINITY as the hard limit keeps the current one. */
	return dp_proc_set_limit(RLIMIT_NOFILE, "open files", 40, RLIM_INFINITY, NULL) &&
	       getrlimit(RLIMIT_NOFILE, &now) == 0 && now.rlim_cur == 40 && now.rlim_max == 48;
}

static gboolean
limit_error_names_it(void)
{
	g_autoptr(GError) error = NULL;
	return !dp_proc_set_limit(-1, "imaginary", 1, 1, &error) && g_error_matches(error, DP_ERROR, DP_EXIT_OSERR) &&
	       strstr(error->message, "cannot set the imaginary limit") != NULL;
}

static void
test_set_limit(void)
{
	g_assert_true(in_child(limits_stay_below_outside));
	g_assert_true(in_child(limit_error_names_it));
}

static pid_t
sleeper(void)
{
	static const DpProcSlot none[] = { DP_PROC_NULL };
	int unused;
	pid_t pid = dp_proc_fork(none, 1, &unused, "a sleeper", NULL);
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* dp_proc_wait_ended() leaves the child to reap; dp_proc_kill_wait() reaps it. */
static void
test_wait(void)
{
	pid_t pid = sleeper();
	int st = 0;
	g_assert_cmpint(dp_proc_wait(pid, &st, NULL, WNOHANG), ==, 0);
	g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
	dp_proc_wait_ended(pid);
	/* Ended, not reaped: the pid still names it. */
	g_assert_cmpint(kill(pid, 0), ==, 0);
	struct rusage ru;
	g_assert_cmpint(dp_proc_wait(pid, &st, &ru, WNOHANG), ==, pid);
	g_assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	pid = sleeper();
	dp_proc_kill_wait(pid);
	g_assert_cmpint(waitpid(pid, NULL, WNOHANG), ==, -1);
	g_assert_cmpint(errno, ==, ECHILD);
}

static void
test_close_pair(void)
{
	int p[2];
	g_assert_cmpint(pipe(p), ==, 0);
	int r = p[0], w = p[1];
	dp_proc_close_pair(p);
	g_assert_cmpint(p[0], ==, -1);
	g_assert_cmpint(p[1], ==, -1);
	g_assert_cmpint(fcntl(r, F_GETFD), <, 0);
	g_assert_cmpint(fcntl(w, F_GETFD), <, 0);
	/* Again: nothing left to close. */
	dp_proc_close_pair(p);
	int half[2] = { -1, -1 };
	g_assert_cmpint(pipe(p), ==, 0);
	half[1] = p[1];
	close(p[0]);
	dp_proc_close_pair(half);
	g_assert_cmpint(fcntl(p[1], F_GETFD), <, 0);
}

DP_UNIT_MAIN("proc", test_fork_layout, test_death_with_parent, test_set_limit, test_wait, test_close_pair)
