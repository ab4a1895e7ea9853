/*
 * sandbox.h: lock down the process that parses untrusted bytes.
 *
 * A process calls dp_sandbox_limit() and then dp_sandbox_enter() once it
 * holds everything it needs (its input in memory, its output descriptor):
 * from then on it cannot open files for writing, create sockets, run
 * programs, start processes, trace other processes, or grow past its
 * resource limits.  A forbidden system call kills the process with SIGSYS.
 * Both are one-way: nothing undoes them, which is why only the forked
 * extraction child (sandbox/isolate.c) calls them.
 */
#ifndef DOCPIPE_SANDBOX_H
#define DOCPIPE_SANDBOX_H

#include <glib.h>
#include "core/config.h"

typedef struct {
	/* Address space the process may add to what it has mapped; 0: none. */
	guint64 memory;
	/* CPU seconds (soft limit; SIGXCPU, then SIGKILL a second later); 0: none. */
	guint64 cpu_time;
	/* Highest descriptor number + 1 the process may open. */
	guint64 open_files;
} DpSandboxLimits;

/* The limits of [limits] in CFG. */
void dp_sandbox_limits_from_config(const DpConfig *cfg, DpSandboxLimits *lim);

/*
 * Apply LIM with setrlimit(): RLIMIT_AS (current size + memory), RLIMIT_CPU,
 * RLIMIT_NOFILE, and RLIMIT_FSIZE 0 (no byte may be written to a regular
 * file; the process keeps only pipes).  Soft and hard limits are both set,
 * so the process cannot raise them again.
 */
gboolean dp_sandbox_limit(const DpSandboxLimits *lim, GError **error);

/*
 * Compile the seccomp filter now, so that every child forked later only has
 * to load it (sandbox.c says why).  Called by the parent; idempotent.
 */
gboolean dp_sandbox_prepare(GError **error);

/*
 * Set PR_SET_NO_NEW_PRIVS and load the seccomp filter.  Everything not
 * listed in sandbox.c stays allowed (the parsers need the usual memory,
 * read and time calls); what is listed kills the process.
 */
gboolean dp_sandbox_enter(GError **error);

#endif
