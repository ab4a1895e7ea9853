/*
 * proc.h: finding, starting, limiting and reaping other processes.
 *
 * One mechanism for the two kinds of child docpipe forks: the sandboxed
 * parser of one input (sandbox/isolate.c) and the long-lived workers of
 * `docpipe run` (batch/worker.c).  Both get their descriptors laid out the
 * same way, die with their parent, are limited with the same setrlimit()
 * wrapper and reaped with the same wait loop.
 */
#ifndef DOCPIPE_PROC_H
#define DOCPIPE_PROC_H

#include <glib.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Look for the program PROG beside SELF (argv[0]'s directory), then on PATH. */
char *dp_find_program(const char *self, const char *prog);

/* What a forked child finds on one of its first descriptors. */
typedef enum {
	DP_PROC_NULL,       /* /dev/null, open for reading and writing */
	DP_PROC_TO_CHILD,   /* the read end of a pipe; the parent keeps the write end */
	DP_PROC_FROM_CHILD, /* the write end of a pipe; the parent keeps the read end */
} DpProcSlot;

/* The most descriptors dp_proc_fork() lays out. */
#define DP_PROC_MAX_SLOTS 8

/*
 * Fork a child that dies with this process and holds exactly N
 * descriptors, 0 to N-1, as SLOTS say; every other descriptor is closed
 * in the child.  In the parent, FDS[i] is the parent's end of slot i's
 * pipe (close-on-exec), -1 for a DP_PROC_NULL slot.
 *
 * Returns the child's pid in the parent, 0 in the child, and -1 with
 * ERROR (and no descriptor left open) when a pipe or the fork fails; WHAT
 * names the child in that message ("the parser").  The child has
 * PR_SET_PDEATHSIG set to SIGKILL before it returns, and leaves at once
 * with DP_EXIT_SOFTWARE when the parent died before that took hold, or
 * with DP_EXIT_OSERR when its descriptors cannot be laid out.
 */
pid_t dp_proc_fork(const DpProcSlot *slots, int n, int *fds, const char *what, GError **error);

/* Close the descriptors of the pipe P that are open (>= 0); both become -1. */
void dp_proc_close_pair(int p[2]);

/*
 * Set RESOURCE's soft and hard limits (SOFT <= HARD), lowered to a hard
 * limit already set from outside (ulimit): a stricter limit stays, and
 * raising it is never tried.  On failure, ERROR names the limit by NAME.
 */
gboolean dp_proc_set_limit(int resource, const char *name, rlim_t soft, rlim_t hard, GError **error);

/*
 * wait4() for PID, retried when a signal interrupts it.  OPTIONS as for
 * wait4() (WNOHANG); WSTATUS and RU may be NULL.  Returns what wait4()
 * returns: PID, 0 (WNOHANG, still running) or -1.
 */
pid_t dp_proc_wait(pid_t pid, int *wstatus, struct rusage *ru, int options);

/*
 * Wait until PID has ended without reaping it: until it is reaped, its
 * pid cannot be reused, so another thread may still signal it safely.
 */
void dp_proc_wait_ended(pid_t pid);

/* Kill PID with SIGKILL and reap it. */
void dp_proc_kill_wait(pid_t pid);

#endif
