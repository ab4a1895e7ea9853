/*
 * worker.h: the persistent worker processes of `docpipe run`, and the
 * parent's handle on one of them (batch/worker.c).
 *
 * A worker is forked once and converts inputs one after another: the
 * parent writes an input's relative path on the worker's command pipe,
 * the worker converts it (the chain of `docpipe convert -o`, extraction in
 * a sandboxed child per input) and answers with one result record on its
 * result pipe.  The parent gives a worker at most one input at a time.
 * Forking, limits and reaping go through util/proc.h.
 */
#ifndef DOCPIPE_RUN_WORKER_H
#define DOCPIPE_RUN_WORKER_H

#include <glib.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "batch/walk.h"
#include "core/config.h"
#include "core/record.h"
#include "redact/redact.h"

/* What a worker needs from the run; built once, before the first fork. */
typedef struct {
	DpConfig *cfg;
	DpRedactor *redactor;
	GBytes *name_key;               /* OUT/.docpipe/names.key (run.c, run_output_base) */
	const char *in_root, *out_root; /* absolute, resolved */
	int jobs;                       /* workers in the run */
	gint64 cpu_s, open_files;       /* [limits] cpu-time, open-files (times 4); 0: none */
	guint64 mem_limit, fsize_limit; /* [limits] memory, file-size */
} DpRunConf;

/* The parent's handle on one worker slot. */
typedef struct {
	pid_t pid;                  /* 0: no process in this slot */
	int cmd_fd, res_fd, err_fd; /* our ends of its pipes; -1 when closed */
	guint served;               /* results this process has sent */
	DpInput *in;                /* the input it converts; NULL: idle */
	gboolean retried;           /* IN is on its second, fresh worker */
	gboolean bad;               /* it broke the result protocol: killed */
	gboolean timed_out;         /* killed at IN's wall-clock deadline */
	gint64 start, deadline;     /* of IN, monotonic microseconds */
	GByteArray *res;            /* the result record's bytes as they come */
	GString *err;               /* tail of its stderr since IN was given */
} DpRunWorker;

/* Fork a worker into the empty slot W.  FALSE (and ERROR) when fork or pipe fails. */
gboolean dp_run_worker_start(DpRunWorker *w, const DpRunConf *conf, GError **error);

/* Give the idle worker W the input IN; DEADLINE is monotonic microseconds (G_MAXINT64: none). */
gboolean dp_run_worker_give(DpRunWorker *w, DpInput *in, gint64 deadline, GError **error);

/* Read what is there on FD (W's res_fd or err_fd); the descriptor becomes -1 at its end. */
void dp_run_worker_drain(DpRunWorker *w, int fd);

/*
 * The result of W's input once it has arrived whole: the parsed record
 * (W becomes idle), or NULL while it is incomplete.  The record format
 * says where the record ends (its body line); there is no other framing.
 * A worker that sends more than one record, an oversized or unparsable
 * one, or anything while idle is killed and marked bad.
 */
DpRecord *dp_run_worker_result(DpRunWorker *w);

/* W's pipes are both at their end: reap it without blocking.  FALSE: not yet exited. */
gboolean dp_run_worker_reap(DpRunWorker *w, int *wstatus, struct rusage *ru);

/* End W's process (SIGKILL), wait for it and empty the slot. */
void dp_run_worker_stop(DpRunWorker *w);

/* Close W's pipes and free its buffers; the slot is then empty. */
void dp_run_worker_clear(DpRunWorker *w);

/*
 * Extract and redact small built-in documents in this process, and compile
 * the seccomp filter, once, before the first fork: lazy symbol binding and
 * the libraries' one-time set-up then happen here, instead of again in
 * every worker and every sandboxed child.  Worth it only for runs of more
 * than a few inputs (run.c decides).  Scratch files go to
 * STATE_DIR/warm-up and are removed.
 */
void dp_run_warm_up(const DpRunConf *conf, const char *state_dir);

#endif
