/*
^ * isolate.c: one input's extraction in a forked, sandboxed child.
 *
 * DESCRIPTION
 *	The parent has the input's bytes (read or mapped by dp_detect_input)
 *	and its detect record.  fork() hands both to the child for free
 *	(copy-on-write), which is also why no exec is needed: the child is the
 *	already-initialized process (libmagic database, charset tables), and a
 *	fork costs a fraction of a millisecond.  The child:
 *	  1. keeps only four descriptors: /dev/null as stdin and stdout, a pipe
 *	     as stderr, and the record pipe as descriptor 3, and dies with
 *	     its parent (dp_proc_fork(), util/proc.c, as for the workers of
 *	     `docpipe run`);
 *	  2. applies the resource limits and enters the seccomp filter
 *	     (sandbox.c);
 *	  3. runs dp_extract() writing records with dp_record_write() to the
 *	     pipe, and leaves with _exit() (no atexit handlers, no flushing of
 *	     the parent's stdio buffers it inherited).
 *	The parent reads the records with the bounded record reader, checks
 *	each one (the first is the input's own id, every other names a parent
 *	already seen, the source is forced to the real path) and passes it on.
 *	An input whose hash was left for later (dp_detect_input's defer-hash
 *	flag) is hashed here while the child already works, its records waiting in
 *	the pipe; the child derived its ids from a stand-in root id, and the
 *	parent gives each record the id derived from the real one and the
 *	record's path (as dp_id_child() always does).
 *	A watchdog thread forwards the child's stderr (bounded) and kills the
 *	child at the wall-clock timeout.
 *
 * SECURITY
 *	The parent half runs in the process that called it (`docpipe
 *	convert`, a stage, a worker of `docpipe run`) and never parses the
 *	input's bytes; the child half runs them through the extractors
 *	behind the seccomp filter and the resource limits of sandbox.c
 *	([limits] memory, cpu-time, open-files; no file writes).  The parent
 *	trusts only its own detect record and the input's bytes it hashes
 *	itself.  Nothing the child writes is trusted: records go through the
 *	bounded record reader (a body at most [limits] max-text-size, plus a
 *	little), each is checked (check_record) and gets the parent's source,
 *	and a stream that breaks the format or the checks ends the child and
 *	becomes an "error" record.  Its stderr is passed on up to 64 KiB, and
 *	the watchdog kills it at the wall-clock timeout.  How the child ended
 *	(signal, exit status, timeout) is turned into a status and a reason
 *	that name the limit hit, never into a failure of the run.
 */
#define _GNU_SOURCE 1 /* pipe2 */
#include "sandbox/isolate.h"

#include "core/config.h"
#include "core/record.h"
#include "extract/extract.h"
#include "sandbox/sandbox.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/hash.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* How much of one child's stderr is passed on; the rest is dropped. */
#define STDERR_MAX (64 * 1024)
/* The record pipe's descriptor in the child. */
#define CHILD_OUT_FD 3

void
dp_isolate_opts_from_config(const DpConfig *cfg, DpIsolateOpts *opts)
{
	opts->enabled = dp_config_get_bool(cfg, "sandbox", "enabled");
	opts->timeout = (guint64)dp_config_get_int(cfg, "limits", "timeout");
	dp_sandbox_limits_from_config(cfg, &opts->limits);
}

/* ---- the child ---- */

static gboolean
child_emit(DpRecord *rec, gpointer user, GError **error)
{
	return dp_record_write(rec, user, error);
}

/*
 * DOCPIPE_SANDBOX_TEST: do the forbidden or hostile thing asked for, if the
 * switch names this input.  Only the tests set it; see isolate.h.
 */
static void
sandbox_test(const char *source, FILE *out)
{
	const char *env = g_getenv(DP_SANDBOX_TEST_ENV);
	if (env == NULL || *env == '\0')
		return;
	g_auto(GStrv) parts = g_strsplit(env, ":", 2);
	const char *action = parts[0];
	if (parts[1] != NULL && (source == NULL || strstr(source, parts[1]) == NULL))
		return;
	if (g_str_equal(action, "open-write")) {
		int fd = open("sandbox-test-write", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		(void)fd;
	} else if (g_str_equal(action, "socket")) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		(void)fd;
	} else if (g_str_equal(action, "exec")) {
		execl("/bin/sh", "sh", "-c", "echo escaped > sandbox-test-exec", (char *)NULL);
	} else if (g_str_equal(action, "fork")) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
	} else if (g_str_equal(action, "ptrace")) {
		ptrace(PTRACE_ATTACH, getppid(), NULL, NULL);
	} else if (g_str_equal(action, "spin")) {
		for (volatile guint64 i = 0;; i++)
			;
	} else if (g_str_equal(action, "sleep")) {
		for (;;)
			g_usleep(G_USEC_PER_SEC);
	} else if (g_str_equal(action, "alloc")) {
		for (;;) {
			/* Touch every page so that the memory is real. */
			gsize n = 64 * 1024 * 1024;
			char *p = g_malloc(n);
			memset(p, 1, n);
		}
	} else if (g_str_equal(action, "crash")) {
		raise(SIGSEGV);
	} else if (g_str_equal(action, "garbage")) {
		fputs("this is not a record stream\n", out);
		fflush(out);
		_exit(0);
	} else {
		return;
	}
	/* Reaching this line means the sandbox let the action through. */
	g_printerr("docpipe: sandbox test: '%s' was allowed\n", action);
	_exit(99);
}

/*
 * The child, forked by dp_proc_fork() with its descriptors in place: 0 and
 * 1 are /dev/null (the parser must not read the parent's stdin or write
 * into its output), 2 the stderr pipe, 3 the record pipe; every other one
 * (output files, the ledger) is closed already.
 */
G_GNUC_NORETURN static void
child_main(DpExtractCtx *ctx, const DpIsolateOpts *opts, const DpRecord *in, GBytes *data)
{
	g_autoptr(GError) error = NULL;

	if (!dp_sandbox_limit(&opts->limits, &error) || !dp_sandbox_enter(&error)) {
		g_printerr("docpipe: sandbox: %s\n", error->message);
		_exit(DP_EXIT_OSERR);
	}

	FILE *out = fdopen(CHILD_OUT_FD, "w");
	if (out == NULL)
		_exit(DP_EXIT_OSERR);
	/*
	 * Records go out in pipe-sized writes, not in the 4 KiB stdio picks
	 * for a pipe: a mailbox is megabytes of records.
	 */
	static char outbuf[64 * 1024];
	setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
	sandbox_test(dp_record_get(in, DP_F_SOURCE), out);

	ctx->emit = child_emit;
	ctx->emit_data = out;
	ctx->emit_file = out;
	gboolean ok = dp_extract(ctx, in, data, &error);
	ok = fflush(out) == 0 && ok;
	/* The input shrank under its mapping: what we read past the cut was zeros. */
	g_clear_error(&error);
	if (!dp_bytes_check(data, dp_record_get(in, DP_F_SOURCE), &error)) {
		g_printerr("docpipe: %s\n", error->message);
		_exit(DP_EXIT_NOINPUT);
	}
	_exit(ok ? 0 : DP_EXIT_IOERR);
}

/* ---- the parent ---- */

typedef struct {
	pid_t pid;
	int err_fd;      /* the child's stderr; -1 once at its end */
	int stop_fd;     /* readable when the parent is done */
	gint64 deadline; /* monotonic microseconds; 0: no timeout */
	gint fired;      /* the timeout killed the child */
	gsize forwarded; /* bytes of stderr passed on */
} Watch;

/* Pass on what the child wrote to stderr, up to STDERR_MAX bytes. */
static void
forward_stderr(Watch *w)
{
	char buf[4096];
	ssize_t n = read(w->err_fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		w->err_fd = -1;
		return;
	}
	if (w->forwarded < STDERR_MAX) {
		gsize k = MIN((gsize)n, STDERR_MAX - w->forwarded);
		if (write(2, buf, k) < 0) {
			/* Diagnostics are best effort. */
		}
		w->forwarded += k;
		if (w->forwarded == STDERR_MAX)
			g_printerr("docpipe: (further parser messages dropped)\n");
	}
}

static gpointer
watch_thread(gpointer p)
{
	Watch *w = p;
	for (;;) {
		struct pollfd pf[2] = { { w->stop_fd, POLLIN, 0 }, { w->err_fd, POLLIN, 0 } };
		int timeout = -1;
		if (w->deadline != 0) {
			gint64 left = w->deadline - g_get_monotonic_time();
			if (left <= 0) {
				kill(w->pid, SIGKILL);
				g_atomic_int_set(&w->fired, 1);
				w->deadline = 0;
				continue;
			}
			timeout = (int)MIN((left + 999) / 1000, G_MAXINT);
		}
		int r = poll(pf, w->err_fd >= 0 ? 2 : 1, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (pf[0].revents != 0)
			break;
		if (w->err_fd >= 0 && pf[1].revents != 0)
			forward_stderr(w);
	}
	return NULL;
}

static gboolean
status_known(const char *s)
{
	static const char *const known[] = { DP_STATUS_OK,          DP_STATUS_PARTIAL,   DP_STATUS_ERROR,
		                             DP_STATUS_UNSUPPORTED, DP_STATUS_ENCRYPTED, DP_STATUS_LIMIT,
		                             DP_STATUS_SKIPPED };
	for (guint i = 0; s != NULL && i < G_N_ELEMENTS(known); i++)
		if (g_str_equal(s, known[i]))
			return TRUE;
	return FALSE;
}

/*
 * Check a record from the child before anything trusts it: the first is the
 * input itself, every later one hangs under a record already seen, and the
 * source is the parent's, not the child's word (it names output files).
 * IDS maps the ids the child gave to the ones written out: the same, or,
 * when the input was hashed after the fork (REWRITE), ids derived here
 * from the real root id and each record's path, as the child would have.
 */
static gboolean
check_record(DpRecord *rec, const DpRecord *in, const DpRecord *child_in, GHashTable *ids, gboolean rewrite,
             GError **error)
{
	const char *id = dp_record_get(rec, DP_F_ID);
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	const char *why = NULL;
	if (id == NULL || *id == '\0')
		why = "a record without an id";
	else if (g_hash_table_size(ids) == 0 && (parent != NULL || !g_str_equal(id, dp_record_get(child_in, DP_F_ID))))
		why = "the first record is not the input's";
	else if (g_hash_table_size(ids) > 0 && (parent == NULL || !g_hash_table_contains(ids, parent)))
		why = "a record whose parent was not seen before it";
	else if (!status_known(dp_record_get(rec, DP_F_STATUS)))
		why = "a record without a known status";
	if (why != NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_PROTOCOL, "bad record stream from the parser: %s", why);
		return FALSE;
	}
	/* A copy: a hostile child may reuse an id, replacing the table's value. */
	g_autofree char *real_parent = parent != NULL ? g_strdup(g_hash_table_lookup(ids, parent)) : NULL;
	char *real_id;
	if (!rewrite) {
		real_id = g_strdup(id);
	} else if (real_parent == NULL) {
		real_id = g_strdup(dp_record_get(in, DP_F_ID));
		dp_record_set(rec, DP_F_SHA256, dp_record_get(in, DP_F_SHA256));
	} else {
		const char *path = dp_record_get(rec, DP_F_PATH);
		real_id = dp_id_child(real_parent, path ? path : "");
	}
	/* Before the record's own values change under ID and PARENT. */
	g_hash_table_insert(ids, g_strdup(id), real_id);
	if (rewrite) {
		dp_record_set(rec, DP_F_ID, real_id);
		if (real_parent != NULL)
			dp_record_set(rec, DP_F_PARENT, real_parent);
	}
	dp_record_set(rec, DP_F_SOURCE, dp_record_get(in, DP_F_SOURCE));
	dp_record_set(rec, DP_F_DATA, NULL);
	return TRUE;
}

/*
 * What the end of the child means: NULL when all went well, else the
 * status ("error" or "limit") in *STATUS and the reason.
 */
static char *
classify(const DpIsolateOpts *opts, int wstatus, gboolean waited, gboolean fired, gboolean killed,
         const GError *stream_err, const char **status)
{
	*status = DP_STATUS_LIMIT;
	if (fired)
		return g_strdup_printf("timed out after %" G_GUINT64_FORMAT " s (limit: [limits] timeout)",
		                       opts->timeout);
	if (stream_err != NULL && killed) {
		*status = DP_STATUS_ERROR;
		return g_strdup(stream_err->message);
	}
	if (waited && WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		switch (sig) {
		case SIGXCPU:
			return g_strdup_printf("CPU time limit of %" G_GUINT64_FORMAT " s reached "
			                       "(limit: [limits] cpu-time)",
			                       opts->limits.cpu_time);
		case SIGKILL: return g_strdup("parser killed (CPU hard limit, or the system ran out of memory)");
		case SIGABRT:
		case SIGTRAP: /* g_error(), as when g_malloc() fails */
			return g_strdup_printf("parser aborted: out of memory at the limit of %" G_GUINT64_FORMAT
			                       " MiB ([limits] memory), or an internal error",
			                       opts->limits.memory >> 20);
		case SIGSYS:
			*status = DP_STATUS_ERROR;
			return g_strdup("parser killed by the sandbox: forbidden system call (SIGSYS)");
		case SIGXFSZ:
			*status = DP_STATUS_ERROR;
			return g_strdup("parser killed by the sandbox: it wrote to a file (SIGXFSZ)");
		default:
			*status = DP_STATUS_ERROR;
			return g_strdup_printf("parser crashed: %s (signal %d)", g_strsignal(sig), sig);
		}
	}
	*status = DP_STATUS_ERROR;
	if (stream_err != NULL)
		return g_strdup(stream_err->message);
	if (waited && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == DP_EXIT_OSERR)
		return g_strdup("the sandbox could not be set up (see the message above)");
	if (waited && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == DP_EXIT_NOINPUT)
		return g_strdup(DP_ERROR_SHRANK);
	if (waited && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
		return g_strdup_printf("parser exited with status %d", WEXITSTATUS(wstatus));
	return NULL;
}

/* Emit the record that says extraction of IN failed, and why. */
static gboolean
emit_failure(DpExtractCtx *ctx, const DpRecord *in, guint n_seen, const char *status, const char *reason,
             GError **error)
{
	g_autoptr(DpRecord) rec = NULL;
	if (n_seen == 0) {
		/* Nothing came through: the input's own record carries it. */
		rec = dp_record_copy(in);
		g_string_truncate(rec->body, 0);
		dp_record_set(rec, DP_F_DATA, NULL);
		dp_record_set(rec, DP_F_DETECT, NULL);
	} else {
		/* Its record is out already: add a part under it. */
		const char *root = dp_record_get(in, DP_F_ID);
		const char *path = "(extraction aborted)";
		g_autofree char *id = dp_id_child(root, path);
		rec = dp_record_new();
		dp_record_set(rec, DP_F_ID, id);
		dp_record_set(rec, DP_F_PARENT, root);
		dp_record_set(rec, DP_F_SOURCE, dp_record_get(in, DP_F_SOURCE));
		dp_record_set(rec, DP_F_PATH, path);
		dp_record_set(rec, DP_F_TYPE, dp_record_get(in, DP_F_TYPE));
		dp_record_set(rec, DP_F_DEPTH, "1");
	}
	dp_record_set(rec, DP_F_STATUS, status);
	dp_record_set(rec, DP_F_ERROR, reason);
	return ctx->emit(rec, ctx->emit_data, error);
}

/* One extraction in progress: the child, its pipes, what came back. */
typedef struct {
	DpExtractCtx *ctx;
	const DpIsolateOpts *opts;
	const DpRecord *child_in; /* the detect record the child got */
	DpRecord *in;             /* the same, with the real hash and id once known */
	gboolean rewrite;         /* the input is hashed here, after the fork */
	int rec_fd;               /* the records' pipe; -1 when closed */
	int err_fd;               /* the child's stderr pipe; -1 when closed */
	int stop[2];              /* the watchdog's stop pipe */
	Watch w;
	GThread *watcher;
	GHashTable *ids;    /* the child's ids -> the ones written out */
	GError *stream_err; /* the child broke the stream or the checks */
	gboolean emit_ok;   /* CTX->emit took every record */
	gboolean killed;    /* the parent killed the child */
	gboolean waited;    /* WSTATUS is the child's */
	gboolean shrunk;    /* the input shrank while the parent hashed it */
	int wstatus;
} Extraction;

static void
extraction_init(Extraction *x, DpExtractCtx *ctx, const DpIsolateOpts *opts, const DpRecord *child_in)
{
	memset(x, 0, sizeof *x);
	x->ctx = ctx;
	x->opts = opts;
	x->child_in = child_in;
	x->in = dp_record_copy(child_in);
	/*
	 * An input whose hash was left for later (dp_detect_input's defer-hash
	 * flag): the child starts at once, with a stand-in root id, and the hash is
	 * computed here meanwhile; the child's records wait in the pipe.
	 */
	const char *sha = dp_record_get(child_in, DP_F_SHA256);
	x->rewrite = sha != NULL && g_str_equal(sha, DP_HASH_PENDING) && ctx->hash_parts;
	x->rec_fd = x->err_fd = -1;
	x->stop[0] = x->stop[1] = -1;
	x->w.err_fd = -1;
	x->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	x->emit_ok = TRUE;
}

static void
extraction_clear(Extraction *x)
{
	if (x->rec_fd >= 0)
		close(x->rec_fd);
	if (x->err_fd >= 0)
		close(x->err_fd);
	dp_proc_close_pair(x->stop);
	g_clear_pointer(&x->in, dp_record_free);
	g_clear_pointer(&x->ids, g_hash_table_unref);
	g_clear_error(&x->stream_err);
}

/*
 * Fork the child: /dev/null as its stdin and stdout, a pipe as its stderr
 * (read by the watchdog) and one for its records (read here).
 */
static gboolean
fork_child(Extraction *x, GBytes *data, GError **error)
{
	/* Compile the filter once, here; a failure is reported by the child. */
	g_autoptr(GError) prep_err = NULL;
	(void)dp_sandbox_prepare(&prep_err);
	if (pipe2(x->stop, O_CLOEXEC) != 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot create a pipe: %s", g_strerror(e));
		return FALSE;
	}
	static const DpProcSlot slots[] = { DP_PROC_NULL, DP_PROC_NULL, DP_PROC_FROM_CHILD, DP_PROC_FROM_CHILD };
	G_STATIC_ASSERT(G_N_ELEMENTS(slots) == CHILD_OUT_FD + 1);
	int fds[G_N_ELEMENTS(slots)];
	pid_t pid = dp_proc_fork(slots, G_N_ELEMENTS(slots), fds, "the parser", error);
	if (pid < 0)
		return FALSE;
	if (pid == 0)
		child_main(x->ctx, x->opts, x->child_in, data);
	x->w.pid = pid;
	x->w.err_fd = x->err_fd = fds[2];
	x->rec_fd = fds[CHILD_OUT_FD];
	/* Room for the child to run ahead while the input is hashed (best effort). */
	(void)fcntl(x->rec_fd, F_SETPIPE_SZ, 1 << 20);
	return TRUE;
}

/* The input's real hash and id, while the child already extracts. */
static void
hash_input(Extraction *x, GBytes *data)
{
	if (!x->rewrite)
		return;
	g_autofree char *sum = dp_sha256_bytes(data);
	g_autofree char *id = dp_id_root(sum);
	x->shrunk = !dp_bytes_check(data, "", NULL);
	dp_record_set(x->in, DP_F_SHA256, sum);
	dp_record_set(x->in, DP_F_ID, id);
}

/* The watchdog: the child's stderr, and its kill at the timeout. */
static void
watch_start(Extraction *x)
{
	x->w.stop_fd = x->stop[0];
	if (x->opts->timeout > 0)
		x->w.deadline = g_get_monotonic_time() + (gint64)x->opts->timeout * G_USEC_PER_SEC;
	x->watcher = g_thread_new("docpipe-watch", watch_thread, &x->w);
}

/*
 * Records as they come, each checked, then on to redaction and emit.  A
 * stream that breaks the format or the checks ends in X->stream_err; an
 * emit that fails, in ERROR.
 */
static void
read_records(Extraction *x, GError **error)
{
	g_autoptr(DpReader) rd = dp_reader_new(x->rec_fd, "parser output");
	if (x->ctx->max_text > 0)
		dp_reader_set_max_body(rd, x->ctx->max_text + 16);
	for (;;) {
		g_autoptr(DpRecord) rec = NULL;
		if (!dp_reader_next(rd, &rec, &x->stream_err) || rec == NULL)
			break;
		if (!check_record(rec, x->in, x->child_in, x->ids, x->rewrite, &x->stream_err))
			break;
		if (!x->ctx->emit(rec, x->ctx->emit_data, error)) {
			x->emit_ok = FALSE;
			break;
		}
	}
}

/* Wait for the child's end, stop the watchdog and reap the child. */
static void
end_child(Extraction *x)
{
	pid_t pid = x->w.pid;
	if (!x->emit_ok || x->stream_err != NULL) {
		kill(pid, SIGKILL);
		x->killed = TRUE;
	}
	close(x->rec_fd);
	x->rec_fd = -1;
	/*
	 * Wait for the end without reaping: until the watchdog is stopped it
	 * may still kill PID, which must not be free for reuse.
	 */
	dp_proc_wait_ended(pid);
	if (write(x->stop[1], "x", 1) < 0) {
		/* The pipe is ours and empty; this cannot fail. */
	}
	g_thread_join(x->watcher);
	x->waited = dp_proc_wait(pid, &x->wstatus, NULL, 0) == pid;
	/* Pass on what is left of the child's stderr. */
	while (x->w.err_fd >= 0)
		forward_stderr(&x->w);
}

/* How the child ended, as a record when it failed. */
static gboolean
report_end(Extraction *x, GError **error)
{
	const char *status;
	g_autofree char *reason =
	    classify(x->opts, x->wstatus, x->waited, g_atomic_int_get(&x->w.fired), x->killed, x->stream_err, &status);
	guint n_seen = g_hash_table_size(x->ids);
	if (reason == NULL && n_seen == 0)
		reason = g_strdup("parser ended without a record");
	/* The parent's hash read zeros past a cut the child may have missed. */
	if (reason == NULL && x->shrunk) {
		status = DP_STATUS_ERROR;
		reason = g_strdup(DP_ERROR_SHRANK);
	}
	if (reason == NULL)
		return TRUE;
	return emit_failure(x->ctx, x->in, n_seen, status, reason, error);
}

gboolean
dp_isolate_extract(DpExtractCtx *ctx, const DpIsolateOpts *opts, const DpRecord *child_in, GBytes *data, GError **error)
{
	Extraction x;
	extraction_init(&x, ctx, opts, child_in);
	if (!fork_child(&x, data, error)) {
		extraction_clear(&x);
		return FALSE;
	}
	hash_input(&x, data);
	watch_start(&x);
	read_records(&x, error);
	end_child(&x);
	gboolean ok = x.emit_ok && report_end(&x, error);
	extraction_clear(&x);
	return ok;
}
