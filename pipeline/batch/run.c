/*
 * NAME
 *	run.c - the engine of `docpipe run`: incremental, parallel, isolated
 *	batch runs
 *
 * DESCRIPTION
 *	dp_run_execute() converts every regular file below IN (a sorted
 *	walk, or the list from --files-from) into OUT/<path>.txt and
 *	OUT/<path>.xml, skipping what the ledger (OUT/.docpipe/ledger.sqlite)
 *	shows as done with the same content, configuration and docpipe
 *	version.  It reads top to bottom as its steps: the configuration,
 *	IN and OUT, the lock, the ledger, the walk, the plan (what to
 *	convert), the workers, the summary.  The command line is
 *	cmd/cmd-run.c.  Beside the ledger it keeps the corpus database,
 *	OUT/corpus.sqlite (corpus/corpusdb.c): each result's corpus rows are
 *	stored in the ledger's transaction, and duplicates and threads are
 *	brought up to date once the inputs are converted.
 *
 * SECURITY
 *	The configuration and the redactor are built once, here, before any
 *	fork.  -j N worker processes (batch/worker.c) are forked from this
 *	process (copy on write, so the expensive compiled rules are shared)
 *	and each converts one input at a time, as many as it is given: it
 *	changes to IN, closes every descriptor but its three pipes, lowers
 *	its resource limits (address space, file size, open files, no core
 *	files; a CPU budget per input: [limits] in the configuration) and
 *	runs the same chain as `docpipe convert -o`, whose extraction forks
 *	a sandboxed child per input.  The worker reports one record per
 *	input on a pipe; the parent validates it, enforces the wall-clock
 *	timeout of each input, and is the only writer of the ledger.  A
 *	crash, hang or limit hit in a worker is a recorded failure of its
 *	input; a fresh worker takes the next one.
 *
 * EXIT STATUS
 *	dp_run_execute() returns the exit status of `docpipe run`: 0 every
 *	input converted (or unsupported, or unchanged); 65 some inputs
 *	failed in this run; 66 IN cannot be read, or an input could not be
 *	opened or read (it vanished, or shrank while it was read: the exit
 *	code `convert` gives it, and the more serious); 74 the ledger cannot be
 *	written; 75 another run holds the lock; 78 bad configuration;
 *	130/143 interrupted by SIGINT/SIGTERM.
 */
#define _GNU_SOURCE 1
#include "batch/run.h"

#include "batch/ledger.h"
#include "batch/ocrcache.h"
#include "batch/redcount.h"
#include "batch/walk.h"
#include "batch/worker.h"
#include "chain/stage.h"
#include "core/config.h"
#include "core/emit.h"
#include "core/msgindex.h"
#include "core/record.h"
#include "corpus/corpusdb.h"
#include "extract/ocr.h"
#include "redact/redact.h"
#include "util/cachedir.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/lock.h"
#include "util/proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* Inputs a worker converts before it is replaced by a fresh one. */
#define WORKER_MAX_INPUTS 1000
/* Ledger rows per transaction, and seconds between commits. */
#define COMMIT_ROWS 256
#define COMMIT_US (G_USEC_PER_SEC)

/*
 * A worker holds more descriptors than the parsing child it forks (its
 * pipes, its input, its outputs and the child's pipes): it may open this
 * many times [limits] open-files.
 */
#define WORKER_OPEN_FILES_FACTOR 4

/*
 * Inputs to convert below which the warm-up (dp_run_warm_up) is skipped:
 * it costs about 5 ms of CPU once and saves about 0.6 ms per small input,
 * so a run of a handful of files would pay more than it gets back.
 */
#define WARM_UP_MIN_INPUTS 16

/* Statuses a worker's death is recorded with. */
#define ST_CRASH "crash"
#define ST_TIMEOUT "timeout"

typedef struct {
	/* Options. */
	const DpRunOptions *opt;
	int jobs;
	gboolean prune, retry_failed, json, quiet;
	/* The limits of a worker, from [limits]. */
	gint64 timeout_s, cpu_s, open_files;
	guint64 mem_limit, fsize_limit;
	char *mem_limit_str; /* as configured, for messages */
	/* Paths (absolute, resolved). */
	char *in_root, *out_root, *state_dir;
	int out_fd;  /* OUT, open for syncfs(); -1: not open */
	int lock_fd; /* OUT's lock, held until the end; -1: not held */
	/* Built once before forking. */
	DpConfig *cfg;
	DpRedactor *redactor;
	GBytes *name_key; /* OUT/.docpipe/names.key: see run_output_base */
	char *fingerprint;
	DpLedger *ledger;
	DpCorpusDb *corpus; /* OUT/corpus.sqlite */
	/* OUT/corpus.sqlite was missing while the ledger had rows: convert everything to fill it. */
	gboolean corpus_fresh;
	/* OUT/corpus.sqlite was missing: it is made while the workers convert (run_create_corpus). */
	gboolean corpus_to_create;
	/* The ledger was missing: made while the workers convert (run_create_ledger), with this OCR record. */
	gboolean ledger_to_create;
	char *ocr_engine_now;
	/* --reocr and the OCR engine or its language data changed: convert everything. */
	gboolean reocr_all;
	/* The child asking the OCR engine's version, and the read end of its pipe; 0 and -1: none. */
	pid_t ocr_probe_pid;
	int ocr_probe_fd;
	char *ocr_version; /* the engine's version from the cache, instead of the probe; NULL: none */
	DpRunConf conf;    /* what the workers need of the above */
	/* Progress. */
	gboolean tty;
	guint total, done, failed;
	guint unreadable; /* failed inputs that could not be opened or read (worker result "unreadable") */
	gint64 started, last_draw;
	/* Counters for the summary. */
	guint n_inputs, n_unchanged, n_failed_before, n_rejected, n_pruned, n_restat;
	GHashTable *by_status; /* status -> count (GUINT) of this run */
	GPtrArray *failures;   /* DpLedgerEntry* (owned) of this run */
	DpRedCount *redacted;  /* the redactions of the inputs converted, by rule and channel */
	guint pending;         /* rows in the open transaction */
	gint64 last_commit;
	gboolean in_tx;
} Run;

/* The self-pipe that turns SIGCHLD, SIGINT and SIGTERM into poll events. */
static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGINT || sig == SIGTERM)
		stop_signal = sig;
	if (sig_pipe[1] >= 0) {
		char c = 0;
		ssize_t n = write(sig_pipe[1], &c, 1);
		(void)n;
	}
	errno = saved;
}

static void
warn_line(const char *msg)
{
	dp_warn("%s", msg);
}

/*
 * The outputs of input REL, without extension: named after REL redacted,
 * as the worker's chain names them (chain/chain.c).  A name redaction
 * changed carries "~" and 8 hex digits of an HMAC of REL, under the
 * pseudonym key or else OUT/.docpipe/names.key, so that two inputs whose
 * redacted names are the same never share outputs, in any order and any
 * worker, and nobody without the key can test a guessed name against it.
 */
static char *
run_output_base(const Run *r, const char *rel)
{
	gboolean changed, suffixed;
	g_autofree char *name = dp_redactor_output_name(r->redactor, rel, r->name_key, &changed, &suffixed);
	return dp_emit_output_base(r->out_root, name);
}

static void
remove_temp_files(const Run *r, const char *rel, gboolean outputs_too)
{
	g_autofree char *base = run_output_base(r, rel);
	g_autofree char *dir = g_path_get_dirname(base);
	g_autofree char *name = g_path_get_basename(base);
	g_autofree char *pt = g_strconcat(name, ".txt.tmp-", NULL);
	g_autofree char *px = g_strconcat(name, ".xml.tmp-", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *e;
	while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
		if (g_str_has_prefix(e, pt) || g_str_has_prefix(e, px)) {
			g_autofree char *p = g_build_filename(dir, e, NULL);
			unlink(p);
		}
	}
	if (outputs_too) {
		g_autofree char *t = g_strconcat(base, ".txt", NULL);
		g_autofree char *x = g_strconcat(base, ".xml", NULL);
		unlink(t);
		unlink(x);
	}
}

/* Remove every "*.tmp-XXXXXX" left in OUT by a run that was killed. */
static void
sweep_temp_files(const char *dir, gboolean top)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *e;
	while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
		if (top && g_str_equal(e, DP_LEDGER_DIR))
			continue;
		g_autofree char *p = g_build_filename(dir, e, NULL);
		const char *t = strstr(e, ".tmp-");
		struct stat st;
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			sweep_temp_files(p, FALSE);
		else if (t != NULL && strlen(t) == 11 && S_ISREG(st.st_mode))
			unlink(p);
	}
}

/*
 * Commit the open transaction.  The outputs it records are synced first
 * (one syncfs for the batch instead of an fsync per file), so that a row
 * in the ledger always means durable outputs; outputs with no row yet are
 * simply made again by the next run.
 */
static gboolean
ledger_flush(Run *r, gboolean reopen, GError **error)
{
	if (r->in_tx && r->pending > 0 && syncfs(r->out_fd) != 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot sync '%s': %s", r->out_root, g_strerror(e));
		return FALSE;
	}
	/* The corpus rows first: a ledger row always has its corpus rows. */
	if (r->in_tx && r->corpus != NULL && !dp_corpus_db_commit(r->corpus, error))
		return FALSE;
	if (r->in_tx && !dp_ledger_commit(r->ledger, error))
		return FALSE;
	r->in_tx = FALSE;
	r->pending = 0;
	r->last_commit = g_get_monotonic_time();
	if (reopen) {
		if (!dp_ledger_begin(r->ledger, error))
			return FALSE;
		r->in_tx = TRUE;
	}
	return TRUE;
}

static gboolean
ledger_write(Run *r, const DpLedgerEntry *e, GError **error)
{
	if (!r->in_tx && !ledger_flush(r, TRUE, error))
		return FALSE;
	if (!dp_ledger_put(r->ledger, e, error))
		return FALSE;
	r->pending++;
	if (r->pending >= COMMIT_ROWS || g_get_monotonic_time() - r->last_commit > COMMIT_US)
		return ledger_flush(r, TRUE, error);
	return TRUE;
}

static void
count_status(Run *r, const char *status)
{
	gpointer n = g_hash_table_lookup(r->by_status, status);
	g_hash_table_replace(r->by_status, g_strdup(status), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
}

static void
draw_progress(Run *r, gboolean force)
{
	if (!r->tty || r->quiet)
		return;
	gint64 now = g_get_monotonic_time();
	if (!force && now - r->last_draw < 100000)
		return;
	r->last_draw = now;
	double secs = (double)(now - r->started) / G_USEC_PER_SEC;
	double rate = secs > 0 ? r->done / secs : 0;
	guint width = 30, fill = r->total ? (guint)((guint64)width * r->done / r->total) : width;
	char bar[64];
	for (guint i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	g_autofree char *eta = NULL;
	if (rate > 0 && r->done < r->total) {
		guint s = (guint)((r->total - r->done) / rate);
		eta = g_strdup_printf("ETA %u:%02u", s / 60, s % 60);
	} else {
		eta = g_strdup("");
	}
	fprintf(stderr, "\r\033[Kdocpipe run: [%s] %u/%u %.1f/s %s, %u failed", bar, r->done, r->total, rate, eta,
	        r->failed);
	fflush(stderr);
}

static const char *
worker_death(Run *r, DpRunWorker *w, int wstatus, char **why)
{
	if (w->timed_out) {
		*why = g_strdup_printf(
		    "no result within the wall-clock timeout of %" G_GINT64_FORMAT " s; worker killed", r->timeout_s);
		return ST_TIMEOUT;
	}
	if (w->bad) {
		*why = g_strdup("worker sent an invalid result; worker killed");
		return ST_CRASH;
	}
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		if (sig == SIGXCPU) {
			*why = g_strdup_printf("CPU time limit of %" G_GINT64_FORMAT " s reached; worker killed",
			                       r->cpu_s);
			return DP_STATUS_LIMIT;
		}
		if (strstr(w->err->str, "failed to allocate") != NULL || strstr(w->err->str, "out of memory") != NULL ||
		    strstr(w->err->str, "Cannot allocate memory") != NULL) {
			*why = g_strdup_printf("memory limit of %s reached; worker killed", r->mem_limit_str);
			return DP_STATUS_LIMIT;
		}
		*why = g_strdup_printf("worker killed by signal %d (%s)", sig, g_strsignal(sig));
		return ST_CRASH;
	}
	*why = g_strdup_printf("worker exited with status %d without a result", WEXITSTATUS(wstatus));
	return ST_CRASH;
}

static const char *const known_statuses[] = { DP_STATUS_OK,        DP_STATUS_PARTIAL,
	                                      DP_STATUS_ERROR,     DP_STATUS_UNSUPPORTED,
	                                      DP_STATUS_ENCRYPTED, DP_STATUS_LIMIT,
	                                      DP_STATUS_SKIPPED,   NULL };

static gboolean
hex64_or_null(const char *s)
{
	if (s == NULL)
		return TRUE;
	if (strlen(s) != 64)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isxdigit(*p))
			return FALSE;
	return TRUE;
}

/* The worker is untrusted (a document may have taken it over): only known statuses and hashes. */
static gboolean
result_valid(const DpRecord *res)
{
	const char *status = dp_record_get(res, DP_F_STATUS);
	return status != NULL && g_strv_contains(known_statuses, status) &&
	       hex64_or_null(dp_record_get(res, DP_F_SHA256)) && hex64_or_null(dp_record_get(res, "txt-sha256")) &&
	       hex64_or_null(dp_record_get(res, "xml-sha256"));
}

/*
 * An error message from a worker, fit for a terminal and the ledger: the
 * worker is untrusted, so no control characters, valid UTF-8, and at most
 * 1000 bytes.
 */
static char *
clean_error(const char *msg)
{
	if (msg == NULL)
		return NULL;
	g_autofree char *valid = g_utf8_make_valid(msg, -1);
	GString *out = g_string_new(NULL);
	for (const char *p = valid; *p && out->len < 1000; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iscntrl(c))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* INPUT's name in the corpus database: as its outputs are named (redacted), relative to OUT. */
static char *
corpus_source(const Run *r, const char *rel)
{
	gboolean changed, suffixed;
	return dp_redactor_output_name(r->redactor, rel, r->name_key, &changed, &suffixed);
}

/*
 * The message index rows of a result (the first corpus-offset bytes of
 * its body) to the ledger, and its corpus rows (the rest) to the corpus
 * database, with E's status.  RES NULL: a failed input, without rows.
 */
static gboolean
record_corpus(Run *r, const DpLedgerEntry *e, const DpRecord *res, GError **error)
{
	gsize split = 0;
	if (res != NULL) {
		const char *off = dp_record_get(res, "corpus-offset");
		split = off ? (gsize)g_ascii_strtoull(off, NULL, 10) : res->body->len;
		split = MIN(split, res->body->len);
	}
	g_autofree char *messages = res ? g_strndup(res->body->str, split) : NULL;
	if (!dp_ledger_put_messages(r->ledger, e->path, messages, error))
		return FALSE;
	if (r->corpus == NULL)
		return TRUE;
	g_autofree char *source = corpus_source(r, e->path);
	return dp_corpus_db_put_input(r->corpus, source, e->status, e->error, e->redactions,
	                              res ? res->body->str + split : NULL, error);
}

/*
 * Record W's input in the ledger: from its result RES (valid), or, when
 * RES is NULL, as failed with STATUS and WHY (taken).
 */
static gboolean
record_input(Run *r, const DpRunWorker *w, const DpRecord *res, const char *status, char *why, GError **error)
{
	g_autoptr(DpLedgerEntry) e = dp_ledger_entry_new();
	e->path = g_strdup(w->in->rel);
	e->size = w->in->size;
	e->mtime_ns = w->in->mtime_ns;
	e->inode = w->in->inode;
	e->config = g_strdup(r->fingerprint);
	e->version = g_strdup(DOCPIPE_VERSION);
	e->duration_ms = (g_get_monotonic_time() - w->start) / 1000;
	e->updated = (gint64)time(NULL);
	if (res == NULL) {
		e->status = g_strdup(status);
		e->error = why;
	} else {
		e->status = g_strdup(dp_record_get(res, DP_F_STATUS));
		e->error = clean_error(dp_record_get(res, DP_F_ERROR));
		e->sha256 = g_strdup(dp_record_get(res, DP_F_SHA256));
		e->redactions = g_strdup(dp_record_get(res, "redactions"));
		dp_redcount_add(r->redacted, e->redactions);
		const char *ocr = dp_record_get(res, "ocr-pages");
		e->ocr_pages = ocr ? g_ascii_strtoull(ocr, NULL, 10) : 0;
		e->txt_sha256 = g_strdup(dp_record_get(res, "txt-sha256"));
		e->xml_sha256 = g_strdup(dp_record_get(res, "xml-sha256"));
	}
	/* The input's messages replace those it had; a failed input has none. */
	if (!r->in_tx && !ledger_flush(r, TRUE, error))
		return FALSE;
	if (!record_corpus(r, e, res, error))
		return FALSE;
	r->done++;
	count_status(r, e->status);
	if (dp_ledger_status_failed(e->status)) {
		r->failed++;
		DpLedgerEntry *f = dp_ledger_entry_new();
		/* The run's report (stderr, --json) names inputs redacted, as status does. */
		GString *shown = dp_redactor_apply(r->redactor, e->path, strlen(e->path), NULL);
		f->path = g_string_free(shown, FALSE);
		f->status = g_strdup(e->status);
		f->error = g_strdup(e->error);
		g_ptr_array_add(r->failures, f);
	}
	return ledger_write(r, e, error);
}

static gint64
input_deadline(const Run *r)
{
	return r->timeout_s > 0 ? g_get_monotonic_time() + r->timeout_s * G_USEC_PER_SEC : G_MAXINT64;
}

/*
 * The worker in slot W has exited (WSTATUS) while converting its input.
 * Nothing of the input stays (no temporary, no stale output), and it is
 * recorded as failed, with the reason.  Except: a worker that had
 * converted other inputs before may have died of what they left behind
 * (memory it grew, a state they broke), so the input gets one more try
 * in a fresh worker first; only a failure there is recorded.  The
 * wall-clock and CPU limits are measured per input: those failures are
 * recorded at once.
 */
static gboolean
worker_died(Run *r, DpRunWorker *w, int wstatus, GError **error)
{
	DpInput *in = w->in;
	if (stop_signal && !w->timed_out) {
		/* Killed because the run is stopping: not a failure of the input. */
		remove_temp_files(r, in->rel, FALSE);
		dp_run_worker_clear(w);
		return TRUE;
	}
	remove_temp_files(r, in->rel, TRUE);
	char *why = NULL;
	const char *status = worker_death(r, w, wstatus, &why);
	gboolean cpu = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGXCPU;
	if (w->served > 0 && !w->retried && !w->timed_out && !cpu) {
		g_free(why);
		dp_run_worker_clear(w);
		if (!dp_run_worker_start(w, &r->conf, error) || !dp_run_worker_give(w, in, input_deadline(r), error))
			return FALSE;
		w->retried = TRUE;
		return TRUE;
	}
	gboolean ok = record_input(r, w, NULL, status, why, error);
	dp_run_worker_clear(w);
	return ok;
}

/* W has sent a whole result RES for its input: record it. */
static gboolean
worker_answered(Run *r, DpRunWorker *w, const DpRecord *res, GError **error)
{
	if (!result_valid(res)) {
		/* Killed now; its death records the input. */
		w->bad = TRUE;
		kill(w->pid, SIGKILL);
		return TRUE;
	}
	/*
	 * An input that could not be read (it vanished, or shrank while it
	 * was read) has no outputs: the worker dropped what it had begun, and
	 * an earlier conversion's outputs no longer describe the file.
	 */
	gboolean unreadable = g_strcmp0(dp_record_get(res, "unreadable"), "true") == 0 &&
	                      dp_ledger_status_failed(dp_record_get(res, DP_F_STATUS));
	if (unreadable) {
		remove_temp_files(r, w->in->rel, TRUE);
		r->unreadable++;
	}
	gboolean ok = record_input(r, w, res, NULL, NULL, error);
	w->in = NULL;
	w->retried = FALSE;
	/* A long-lived process gathers what leaks: replace it now and then. */
	if (w->served >= WORKER_MAX_INPUTS)
		dp_run_worker_stop(w);
	return ok;
}

/* The worker slots of a run, and what one poll() watches. */
typedef struct {
	DpRunWorker *ws;     /* r->jobs slots */
	struct pollfd *pfd;  /* the signal pipe, then two pipes per worker */
	DpRunWorker **owner; /* the worker of each pfd entry (NULL: the signal pipe) */
} Workers;

static void
workers_init(Workers *p, int jobs)
{
	p->ws = g_new0(DpRunWorker, jobs);
	for (int i = 0; i < jobs; i++)
		p->ws[i].cmd_fd = p->ws[i].res_fd = p->ws[i].err_fd = -1;
	p->pfd = g_new0(struct pollfd, 2 * jobs + 1);
	p->owner = g_new0(DpRunWorker *, 2 * jobs + 1);
}

/* At the end, or after an error: end every worker, and remove the temporaries of the inputs they had. */
static void
workers_end(Run *r, Workers *p)
{
	for (int i = 0; i < r->jobs; i++) {
		DpRunWorker *w = &p->ws[i];
		DpInput *in = w->in;
		if (w->pid > 0)
			dp_run_worker_stop(w);
		if (in != NULL)
			remove_temp_files(r, in->rel, FALSE);
		dp_run_worker_clear(w);
	}
	g_free(p->pfd);
	g_free(p->owner);
	g_free(p->ws);
}

static int
workers_busy(const Run *r, const Workers *p)
{
	int busy = 0;
	for (int i = 0; i < r->jobs; i++)
		busy += p->ws[i].in != NULL;
	return busy;
}

/*
 * An input from TODO (from *NEXT on) for every idle worker; a worker is
 * started where there is none.  A worker whose pipes are closing is dying:
 * it is reaped (collect_workers) before its slot is used again.
 */
static gboolean
give_inputs(Run *r, Workers *p, GPtrArray *todo, guint *next, GError **error)
{
	gboolean ok = TRUE;
	for (int i = 0; ok && i < r->jobs && *next < todo->len && !stop_signal; i++) {
		DpRunWorker *w = &p->ws[i];
		if (w->in != NULL || (w->pid > 0 && (w->res_fd < 0 || w->err_fd < 0 || w->bad)))
			continue;
		if (w->pid == 0)
			ok = dp_run_worker_start(w, &r->conf, error);
		if (ok)
			ok = dp_run_worker_give(w, todo->pdata[(*next)++], input_deadline(r), error);
	}
	return ok;
}

/*
 * Wait until a worker's pipe or the signal pipe has something, or the
 * nearest deadline (an input's timeout, the next commit, the next progress
 * line) passes, and read what came.  FALSE (and ERROR) if poll() fails.
 */
static gboolean
wait_for_workers(Run *r, Workers *p, GError **error)
{
	nfds_t n = 0;
	p->pfd[n].fd = sig_pipe[0];
	p->pfd[n].events = POLLIN;
	p->owner[n++] = NULL;
	gint64 now = g_get_monotonic_time(), wake = now + (r->tty ? 200000 : 5 * G_USEC_PER_SEC);
	if (r->in_tx)
		wake = MIN(wake, r->last_commit + COMMIT_US);
	for (int i = 0; i < r->jobs; i++) {
		DpRunWorker *w = &p->ws[i];
		if (w->pid == 0)
			continue;
		if (w->in != NULL && !w->timed_out)
			wake = MIN(wake, w->deadline);
		int fds[2] = { w->res_fd, w->err_fd };
		for (int k = 0; k < 2; k++) {
			if (fds[k] < 0)
				continue;
			p->pfd[n].fd = fds[k];
			p->pfd[n].events = POLLIN;
			p->owner[n++] = w;
		}
	}
	int ms = (int)MAX(0, (wake - now + 999) / 1000);
	int rc = poll(p->pfd, n, ms);
	if (rc < 0 && errno != EINTR) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "poll: %s", g_strerror(e));
		return FALSE;
	}
	if (rc > 0 && (p->pfd[0].revents & POLLIN)) {
		char buf[64];
		while (read(sig_pipe[0], buf, sizeof buf) > 0)
			;
	}
	for (nfds_t k = 1; rc > 0 && k < n; k++)
		if (p->pfd[k].revents != 0)
			dp_run_worker_drain(p->owner[k], p->pfd[k].fd);
	return TRUE;
}

/*
 * What became of the worker W by NOW: past its input's deadline it is
 * killed; a whole result is recorded; once its pipes are closed it is
 * reaped, and its input, if it had one, recorded as failed (or retried).
 */
static gboolean
collect_worker(Run *r, DpRunWorker *w, gint64 now, GError **error)
{
	gboolean ok = TRUE;
	if (w->in != NULL && !w->timed_out && now >= w->deadline) {
		w->timed_out = TRUE;
		kill(w->pid, SIGKILL);
	}
	g_autoptr(DpRecord) res = dp_run_worker_result(w);
	if (res != NULL)
		ok = worker_answered(r, w, res, error);
	if (w->pid == 0 || w->res_fd >= 0 || w->err_fd >= 0)
		return ok;
	int wstatus;
	struct rusage ru;
	if (!dp_run_worker_reap(w, &wstatus, &ru))
		return ok;
	if (w->in != NULL)
		return ok && worker_died(r, w, wstatus, error);
	/* Between two inputs: no input to blame. */
	if (!stop_signal && !w->bad && !(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0))
		dp_warn("a worker ended between two inputs (status 0x%x)", (unsigned)wstatus);
	dp_run_worker_clear(w);
	return ok;
}

/*
 * The ledger, when it did not exist (run_open_ledger): made once the
 * workers have their first inputs, marked unclean, with the OCR engine's
 * record; before any result is recorded.
 */
static gboolean
run_create_ledger(Run *r, GError **error)
{
	if (!r->ledger_to_create)
		return TRUE;
	r->ledger_to_create = FALSE;
	g_autofree char *path = g_build_filename(r->state_dir, DP_LEDGER_FILE, NULL);
	r->ledger = dp_ledger_open(path, FALSE, error);
	return r->ledger != NULL && dp_ledger_set_meta(r->ledger, "clean", "0", error) &&
	       (r->ocr_engine_now == NULL || dp_ledger_set_meta(r->ledger, "ocr-engine", r->ocr_engine_now, error));
}

/*
 * The corpus database, OUT/corpus.sqlite, when it is still to be made
 * (run_open_corpus): called once the workers have their first inputs, so
 * that its schema is written while they convert, and again before the
 * corpus is brought up to date, for a run that converted nothing.  Before
 * any result is recorded, so that every ledger row has its corpus rows.
 */
static gboolean
run_create_corpus(Run *r, GError **error)
{
	if (!r->corpus_to_create)
		return TRUE;
	r->corpus_to_create = FALSE;
	g_autofree char *path = g_build_filename(r->out_root, DP_CORPUS_DB_FILE, NULL);
	r->corpus = dp_corpus_db_open(path, TRUE, NULL, error);
	return r->corpus != NULL;
}

/* Run the workers over TODO.  FALSE on a ledger or system error. */
static gboolean
run_workers(Run *r, GPtrArray *todo, GError **error)
{
	Workers p;
	workers_init(&p, r->jobs);
	guint next = 0;
	gboolean ok = TRUE, killed_all = FALSE;
	while (ok && ((next < todo->len && !stop_signal) || workers_busy(r, &p) > 0)) {
		ok = give_inputs(r, &p, todo, &next, error) && run_create_ledger(r, error) &&
		     run_create_corpus(r, error);
		/* Commit after giving out inputs, so that the workers run meanwhile. */
		if (ok && r->in_tx && g_get_monotonic_time() - r->last_commit >= COMMIT_US)
			ok = ledger_flush(r, TRUE, error);
		if (stop_signal && !killed_all) {
			killed_all = TRUE;
			for (int i = 0; i < r->jobs; i++)
				if (p.ws[i].pid > 0)
					kill(p.ws[i].pid, SIGKILL);
		}
		if (!wait_for_workers(r, &p, error)) {
			ok = FALSE;
			break;
		}
		gint64 now = g_get_monotonic_time();
		for (int i = 0; ok && i < r->jobs; i++)
			if (p.ws[i].pid != 0)
				ok = collect_worker(r, &p.ws[i], now, error);
		draw_progress(r, FALSE);
	}
	workers_end(r, &p);
	return ok;
}

/* ---------------------------------------------------------------------- */
/* Deciding what to do.                                                   */

static gboolean
outputs_present(const Run *r, const DpLedgerEntry *e)
{
	if (e->txt_sha256 == NULL)
		return TRUE; /* a failure that wrote nothing */
	g_autofree char *base = run_output_base(r, e->path);
	g_autofree char *t = g_strconcat(base, ".txt", NULL);
	g_autofree char *x = g_strconcat(base, ".xml", NULL);
	return access(t, F_OK) == 0 && access(x, F_OK) == 0;
}

/*
 * What identifies the OCR language data files of LANGS without reading
 * them: each file's path, size, mtime and inode.  NULL when one cannot be
 * examined (missing: the description says so, and is not kept).
 */
static char *
ocr_data_stamp(const char *langs)
{
	g_autofree char *dir = dp_config_tessdata_dir();
	g_auto(GStrv) list = g_strsplit(langs ? langs : "eng", "+", -1);
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; list[i] != NULL; i++) {
		g_autofree char *file = g_strdup_printf("%s/%s.traineddata", dir, list[i]);
		struct stat st;
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
			return NULL;
		g_string_append_printf(s, "%s%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%09ld %" G_GUINT64_FORMAT,
		                       i ? "; " : "", file, (gint64)st.st_size, (gint64)st.st_mtim.tv_sec,
		                       (long)st.st_mtim.tv_nsec, (guint64)st.st_ino);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/*
 * The description of the language data (dp_ocr_language_data(): each
 * file's SHA-256), kept in the cache directory of the compiled rules
 * ($DOCPIPE_CACHE_DIR, else ~/.cache/docpipe; "off": none) under the
 * files' stamps, and taken from there while the stamps are the same, as
 * an input's unchanged size, mtime and inode are trusted (needs_work).
 * Hashing eng.traineddata (4 MB) at every run was 193 million of the 254
 * million instructions of the parent of a `docpipe run -j2` over six
 * legacy Office files (callgrind), for the same answer.  A missing,
 * unwritable or stale cache only means hashing again.
 */
static char *
ocr_language_data_cached(const char *langs)
{
	g_autofree char *stamp = ocr_data_stamp(langs);
	g_autofree char *sum = stamp ? g_compute_checksum_for_string(G_CHECKSUM_SHA256, stamp, -1) : NULL;
	g_autofree char *base = g_strdup_printf("ocr-data-%s.txt", sum ? sum : "");
	g_autofree char *path = dp_cache_file(base);
	if (stamp == NULL || path == NULL)
		return dp_ocr_language_data(langs);
	/* The file holds the stamp, a newline, then the description. */
	g_autofree char *cached = NULL;
	gsize len = 0;
	if (g_file_get_contents(path, &cached, &len, NULL) && strlen(cached) == len) {
		const char *nl = strchr(cached, '\n');
		if (nl != NULL && (gsize)(nl - cached) == strlen(stamp) && strncmp(cached, stamp, strlen(stamp)) == 0 &&
		    nl[1] != '\0')
			return g_strdup(nl + 1);
	}
	char *data = dp_ocr_language_data(langs);
	g_autofree char *parent = g_path_get_dirname(path);
	g_autofree char *contents = g_strconcat(stamp, "\n", data, NULL);
	if (g_mkdir_with_parents(parent, 0700) == 0)
		(void)g_file_set_contents(path, contents, -1, NULL);
	return data;
}

/*
 * The OCR engine's version (dp_ocr_engine_version()) is asked in a child
 * that loads the OCR module, writes the answer and exits.  Loaded in this
 * process, Tesseract and the ~45 libraries behind it (libcurl, GnuTLS,
 * Kerberos, libarchive, the image codecs: 225 of this process's 348
 * mappings) stayed in every worker forked after it, and a worker forks a
 * sandboxed child per input, copying each mapping every time: perf showed
 * fork, page-table copies and copy-on-write faults as most of the CPU of
 * a run over small files.  A worker that meets a scan loads the module
 * itself (dp_ocr_preload()).
 *
 * Loading the module takes the child 10 to 40 ms, a sixth of a run over
 * six small files, so the child starts as soon as the configuration is
 * read (ocr_probe_start) and its answer is read only when the ledger's
 * record of the engine is compared (ocr_probe_finish): the lock, the
 * names key, the ledger, the corpus database and the walk happen
 * meanwhile.  Its answer is remembered (batch/ocrcache.c): while the
 * files it came from are the same, no child is started at all.
 */
static void
ocr_probe_start(Run *r)
{
	static const DpProcSlot slots[] = { DP_PROC_NULL, DP_PROC_FROM_CHILD, DP_PROC_NULL };
	int fds[G_N_ELEMENTS(slots)];
	g_autoptr(GError) error = NULL;
	g_autofree char *mode = dp_config_get_string(r->cfg, "ocr", "mode");
	if (g_strcmp0(mode, "never") == 0 || (r->ocr_version = dp_ocr_engine_cached()) != NULL)
		return;
	pid_t pid = dp_proc_fork(slots, G_N_ELEMENTS(slots), fds, "the OCR engine probe", &error);
	if (pid < 0)
		return; /* cannot fork: ocr_probe_finish asks here, as before */
	if (pid == 0) {
		g_autofree char *v = dp_ocr_engine_version();
		gsize len = v != NULL ? strlen(v) : 0;
		gboolean ok = v != NULL && write(1, v, len) == (ssize_t)len;
		if (ok)
			dp_ocr_engine_remember(v);
		_exit(ok ? 0 : 1);
	}
	r->ocr_probe_pid = pid;
	r->ocr_probe_fd = fds[1];
}

/* The answer of the child of ocr_probe_start(); NULL when there is no engine. */
static char *
ocr_probe_finish(Run *r)
{
	if (r->ocr_version != NULL)
		return g_steal_pointer(&r->ocr_version);
	if (r->ocr_probe_pid <= 0)
		return dp_ocr_engine_version();
	GString *v = g_string_new(NULL);
	char buf[256];
	for (;;) {
		ssize_t n = read(r->ocr_probe_fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || v->len > 4096)
			break;
		g_string_append_len(v, buf, n);
	}
	close(r->ocr_probe_fd);
	r->ocr_probe_fd = -1;
	int status = 0;
	gboolean ok = dp_proc_wait(r->ocr_probe_pid, &status, NULL, 0) == r->ocr_probe_pid && WIFEXITED(status) &&
	              WEXITSTATUS(status) == 0;
	r->ocr_probe_pid = 0;
	if (!ok || v->len == 0 || v->len > 4096 || strlen(v->str) != v->len) {
		g_string_free(v, TRUE);
		return NULL;
	}
	return g_string_free(v, FALSE);
}

/* The child of ocr_probe_start() when the run ends before its answer is read. */
static void
ocr_probe_abandon(Run *r)
{
	if (r->ocr_probe_fd >= 0)
		close(r->ocr_probe_fd);
	r->ocr_probe_fd = -1;
	if (r->ocr_probe_pid > 0)
		dp_proc_kill_wait(r->ocr_probe_pid);
	r->ocr_probe_pid = 0;
}

/*
 * The OCR engine and language data that convert this run, against those
 * of the ledger's runs (meta "ocr-engine").  A new Tesseract or model may
 * read scans differently, but converting every scan again costs hours:
 * a change is only reported, and acted on with --reocr, which then
 * converts everything and records the new engine.
 */
static gboolean
ocr_engine_check(Run *r, gboolean reocr, GError **error)
{
	g_autofree char *mode = dp_config_get_string(r->cfg, "ocr", "mode");
	if (g_strcmp0(mode, "never") == 0)
		return TRUE;
	g_autofree char *langs = dp_config_get_string(r->cfg, "ocr", "languages");
	g_autofree char *version = ocr_probe_finish(r);
	g_autofree char *data = ocr_language_data_cached(langs);
	g_autofree char *now = g_strdup_printf("%s; %s", version ? version : "no OCR engine", data);
	if (r->ledger_to_create) {
		/* A new ledger has no record to compare: it gets this one (run_create_ledger). */
		r->ocr_engine_now = g_steal_pointer(&now);
		return TRUE;
	}
	g_autofree char *before = dp_ledger_get_meta(r->ledger, "ocr-engine");
	if (before != NULL && !g_str_equal(before, now)) {
		if (!reocr) {
			dp_warn("the OCR engine or its language data changed since the last run (now %s): "
			        "inputs already converted keep their text; --reocr converts them again",
			        now);
			return TRUE;
		}
		r->reocr_all = TRUE;
	}
	return dp_ledger_set_meta(r->ledger, "ocr-engine", now, error);
}

/*
 * Whether IN must be converted.  Unchanged metadata (size, mtime, inode)
 * is trusted without reading the file: that is the fast path for a rerun.
 * Changed metadata with the same content only refreshes the ledger row.
 */
static gboolean
needs_work(Run *r, const DpInput *in, DpLedgerEntry *e, GError **error)
{
	if (r->reocr_all || r->corpus_fresh)
		return TRUE;
	if (e == NULL || e->config == NULL || !g_str_equal(e->config, r->fingerprint) || e->version == NULL ||
	    !g_str_equal(e->version, DOCPIPE_VERSION))
		return TRUE;
	if (e->size != in->size || e->mtime_ns != in->mtime_ns || e->inode != in->inode) {
		g_autofree char *abs = g_build_filename(r->in_root, in->rel, NULL);
		g_autofree char *sha = dp_sha256_file(abs);
		if (sha == NULL || e->sha256 == NULL || !g_str_equal(sha, e->sha256))
			return TRUE;
		e->size = in->size;
		e->mtime_ns = in->mtime_ns;
		e->inode = in->inode;
		r->n_restat++;
		if (!ledger_write(r, e, error))
			return TRUE;
	}
	if (dp_ledger_status_failed(e->status)) {
		if (r->retry_failed)
			return TRUE;
		r->n_failed_before++;
		return FALSE;
	}
	if (!outputs_present(r, e))
		return TRUE;
	r->n_unchanged++;
	return FALSE;
}

static int
cmp_pstr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_cstr(gconstpointer a, gconstpointer b)
{
	return strcmp(a, b);
}

static int
cmp_size_desc(gconstpointer a, gconstpointer b)
{
	const DpInput *x = *(DpInput *const *)a, *y = *(DpInput *const *)b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->rel, y->rel);
}

static int
cmp_entry_path(gconstpointer a, gconstpointer b)
{
	const DpLedgerEntry *x = *(DpLedgerEntry *const *)a, *y = *(DpLedgerEntry *const *)b;
	return strcmp(x->path, y->path);
}

/* Remove empty directories from DIR up to (not including) OUT. */
static void
remove_empty_parents(const Run *r, const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	while (dp_path_is_inside(r->out_root, dir) && !g_str_equal(dir, r->out_root)) {
		if (rmdir(dir) != 0)
			break;
		char *up = g_path_get_dirname(dir);
		g_free(dir);
		dir = up;
	}
}

static gboolean
prune(Run *r, GHashTable *ledger, GHashTable *present, GError **error)
{
	GHashTableIter it;
	gpointer k, v;
	g_autoptr(GPtrArray) gone = g_ptr_array_new();
	g_hash_table_iter_init(&it, ledger);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(present, k))
			g_ptr_array_add(gone, k);
	g_ptr_array_sort(gone, cmp_pstr);
	for (guint i = 0; i < gone->len; i++) {
		const char *path = gone->pdata[i];
		g_autofree char *base = run_output_base(r, path);
		g_autofree char *t = g_strconcat(base, ".txt", NULL);
		g_autofree char *x = g_strconcat(base, ".xml", NULL);
		unlink(t);
		unlink(x);
		remove_empty_parents(r, t);
		if (!r->in_tx && !ledger_flush(r, TRUE, error))
			return FALSE;
		if (!dp_ledger_delete(r->ledger, path, error))
			return FALSE;
		g_autofree char *source = corpus_source(r, path);
		if (r->corpus != NULL &&
		    (!dp_corpus_db_begin(r->corpus, error) || !dp_corpus_db_delete_input(r->corpus, source, error)))
			return FALSE;
		r->n_pruned++;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Reporting.                                                             */

static void
print_summary(Run *r, int code, double secs)
{
	if (r->tty && !r->quiet)
		fputs("\r\033[K", stderr);
	g_ptr_array_sort(r->failures, cmp_entry_path);
	for (guint i = 0; i < r->failures->len; i++) {
		const DpLedgerEntry *f = r->failures->pdata[i];
		dp_warn("'%s': %s%s%s", f->path, f->status, f->error ? ": " : "", f->error ? f->error : "");
	}
	if (!r->quiet || code != DP_EXIT_OK) {
		g_autoptr(GString) s = g_string_new(NULL);
		g_string_append_printf(s, "%u inputs, %u converted", r->n_inputs, r->done);
		g_autoptr(GList) keys = g_hash_table_get_keys(r->by_status);
		keys = g_list_sort(keys, cmp_cstr);
		if (keys != NULL) {
			g_string_append(s, " (");
			for (GList *l = keys; l; l = l->next)
				g_string_append_printf(s, "%s%s %u", l == keys ? "" : ", ", (const char *)l->data,
				                       GPOINTER_TO_UINT(g_hash_table_lookup(r->by_status, l->data)));
			g_string_append(s, ")");
		}
		g_string_append_printf(s, ", %u unchanged", r->n_unchanged);
		if (r->n_failed_before)
			g_string_append_printf(s, ", %u failed before (not retried)", r->n_failed_before);
		if (r->n_pruned)
			g_string_append_printf(s, ", %u pruned", r->n_pruned);
		if (r->n_rejected)
			g_string_append_printf(s, ", %u rejected", r->n_rejected);
		if (stop_signal)
			g_string_append(s, ", interrupted");
		g_string_append_printf(s, " in %.1f s", secs);
		/* The audit, on the same line: what was redacted by rule and channel, counts only. */
		if (dp_redcount_any(r->redacted)) {
			g_string_append(s, "; redacted: ");
			dp_redcount_text(r->redacted, s, FALSE);
		}
		dp_warn("%s", s->str);
	}
	if (!r->json)
		return;
	g_autoptr(GString) j = g_string_new("{");
	g_string_append_printf(j,
	                       "\"inputs\": %u, \"converted\": %u, \"unchanged\": %u, "
	                       "\"failed_before\": %u, \"pruned\": %u, \"rejected\": %u, \"failed\": %u, ",
	                       r->n_inputs, r->done, r->n_unchanged, r->n_failed_before, r->n_pruned, r->n_rejected,
	                       r->failed);
	g_string_append_printf(j, "\"interrupted\": %s, \"seconds\": %.3f, \"exit\": %d, \"by_status\": {",
	                       stop_signal ? "true" : "false", secs, code);
	g_autoptr(GList) keys = g_hash_table_get_keys(r->by_status);
	keys = g_list_sort(keys, cmp_cstr);
	for (GList *l = keys; l; l = l->next) {
		if (l != keys)
			g_string_append(j, ", ");
		dp_json_string(j, l->data);
		g_string_append_printf(j, ": %u", GPOINTER_TO_UINT(g_hash_table_lookup(r->by_status, l->data)));
	}
	g_string_append(j, "}, \"redactions\": ");
	dp_redcount_json(r->redacted, j);
	g_string_append(j, ", \"failures\": [");
	for (guint i = 0; i < r->failures->len; i++) {
		const DpLedgerEntry *f = r->failures->pdata[i];
		g_string_append(j, i ? ", {" : "{");
		dp_json_members(j, "path", f->path, "status", f->status, "error", f->error, NULL);
		g_string_append(j, "}");
	}
	g_string_append(j, "]}\n");
	fputs(j->str, stdout);
}

/* ---------------------------------------------------------------------- */

static void
run_clear(Run *r)
{
	g_free(r->in_root);
	g_free(r->out_root);
	g_free(r->state_dir);
	g_clear_pointer(&r->name_key, g_bytes_unref);
	g_free(r->fingerprint);
	g_free(r->mem_limit_str);
	ocr_probe_abandon(r);
	g_free(r->ocr_version);
	g_free(r->ocr_engine_now);
	if (r->out_fd >= 0)
		close(r->out_fd);
	if (r->redactor)
		dp_redactor_free(r->redactor);
	if (r->cfg)
		dp_config_unref(r->cfg);
	if (r->ledger)
		dp_ledger_close(r->ledger);
	dp_corpus_db_close(r->corpus);
	if (r->by_status)
		g_hash_table_unref(r->by_status);
	if (r->failures)
		g_ptr_array_unref(r->failures);
	dp_redcount_free(r->redacted);
	/* The lock goes last: the ledger is closed by then. */
	if (r->lock_fd >= 0)
		close(r->lock_fd);
}

static void
install_signals(void)
{
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		sig_pipe[0] = sig_pipe[1] = -1;
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	/* A worker that died leaves its command pipe without a reader: EPIPE, not death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* ---------------------------------------------------------------------- */
/* The steps of a run, in order.  Each returns DP_EXIT_OK to go on, or    */
/* the exit code of the run, its message printed.                         */

/*
 * The configuration, the redactor and the limits of the workers, once,
 * before any fork.
 */
static int
run_configure(Run *r)
{
	g_autoptr(GError) error = NULL;
	r->cfg = dp_config_load(r->opt->config, &error);
	if (r->cfg == NULL || (r->opt->no_redact && !dp_config_set(r->cfg, "redact", "enabled", "false", &error)) ||
	    (r->opt->ocr_mode && !dp_config_set(r->cfg, "ocr", "mode", r->opt->ocr_mode, &error)) ||
	    !dp_stage_check_foia(r->cfg, &error) || (r->redactor = dp_redactor_new(r->cfg, &error)) == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	r->fingerprint = dp_config_fingerprint(r->cfg);
	gint64 cfg_jobs = dp_config_get_int(r->cfg, "run", "jobs");
	r->jobs = r->opt->jobs > 0 ? r->opt->jobs : cfg_jobs > 0 ? (int)cfg_jobs : (int)g_get_num_processors();
	r->timeout_s = dp_config_get_int(r->cfg, "limits", "timeout");
	r->cpu_s = dp_config_get_int(r->cfg, "limits", "cpu-time");
	r->mem_limit = dp_config_get_size(r->cfg, "limits", "memory");
	r->mem_limit_str = dp_config_get_string(r->cfg, "limits", "memory");
	r->fsize_limit = dp_config_get_size(r->cfg, "limits", "file-size");
	r->open_files = WORKER_OPEN_FILES_FACTOR * dp_config_get_int(r->cfg, "limits", "open-files");
	/*
	 * The timeout bounds each input as a whole, in its worker (enforced
	 * here, in the parent): the parsing child's own timer, started a little
	 * later for the same time, would only race it, and make the status of
	 * an input that hangs "limit" or "timeout" by chance.  The workers
	 * inherit this configuration; the fingerprint was taken above.
	 */
	if (!dp_config_set(r->cfg, "limits", "timeout", "0", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_SOFTWARE;
	}
	return DP_EXIT_OK;
}

/* IN and OUT: resolved, and never one inside the other's outputs; OUT/.docpipe made. */
static int
run_open_dirs(Run *r)
{
	const char *in_arg = r->opt->in, *out_arg = r->opt->out;
	r->in_root = realpath(in_arg, NULL);
	struct stat st;
	if (r->in_root == NULL || stat(r->in_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		dp_warn("cannot read input directory '%s': %s", in_arg,
		        r->in_root ? "not a directory" : g_strerror(errno));
		return DP_EXIT_NOINPUT;
	}
	if (g_mkdir_with_parents(out_arg, 0777) != 0 || (r->out_root = realpath(out_arg, NULL)) == NULL) {
		dp_warn("cannot create output directory '%s': %s", out_arg, g_strerror(errno));
		return DP_EXIT_CANTCREAT;
	}
	if (dp_path_is_inside(r->out_root, r->in_root)) {
		dp_warn("IN '%s' must not be OUT or inside it (outputs would be written into the inputs)", in_arg);
		return DP_EXIT_USAGE;
	}
	r->state_dir = g_build_filename(r->out_root, DP_LEDGER_DIR, NULL);
	r->out_fd = open(r->out_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g_mkdir_with_parents(r->state_dir, 0777) != 0) {
		dp_warn("cannot create '%s': %s", r->state_dir, g_strerror(errno));
		return DP_EXIT_CANTCREAT;
	}
	return DP_EXIT_OK;
}

/*
 * OUT/.docpipe/names.key: 32 random bytes (in hex), made by the first run
 * and kept, 0600, for the suffixes of redacted output names when no
 * pseudonym key is configured (run_output_base).  Like the ledger, it is
 * the operator's and is never published.
 */
static int
run_name_key(Run *r)
{
	g_autofree char *path = g_build_filename(r->state_dir, "names.key", NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, NULL) || len < 32) {
		guint8 raw[32];
		if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
			dp_warn("cannot make '%s': %s", path, g_strerror(errno));
			return DP_EXIT_OSERR;
		}
		g_free(data);
		GString *hex = g_string_sized_new(2 * sizeof raw);
		for (guint i = 0; i < sizeof raw; i++)
			g_string_append_printf(hex, "%02x", raw[i]);
		len = hex->len;
		data = g_string_free(hex, FALSE);
		g_autoptr(GError) error = NULL;
		if (!g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error)) {
			dp_warn("%s", error->message);
			return DP_EXIT_CANTCREAT;
		}
	}
	r->name_key = g_bytes_new(data, len);
	return DP_EXIT_OK;
}

/* The lock: one run per OUT.  Held until the run ends (run_clear). */
static int
run_lock(Run *r)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *lock_path = g_build_filename(r->state_dir, "lock", NULL);
	r->lock_fd = dp_lock_acquire(lock_path, r->opt->wait, &error);
	if (r->lock_fd >= 0)
		return DP_EXIT_OK;
	if (error->code == DP_EXIT_TEMPFAIL)
		dp_warn("another docpipe run holds the lock on '%s'; exiting (use --wait to wait)", r->opt->out);
	else
		dp_warn("%s", error->message);
	return error->code;
}

/*
 * The corpus database, OUT/corpus.sqlite, unless [corpus] enabled=false.
 * Made anew while the ledger has rows, it needs every input's rows: the
 * run converts everything once.  One that exists is opened (and its
 * version checked) now, before anything is converted; one that does not
 * is made later, while the workers convert (run_create_corpus): until
 * then it holds no rows that pruning would have to remove.
 */
static int
run_open_corpus(Run *r, GHashTable *rows)
{
	if (!dp_config_get_bool(r->cfg, "corpus", "enabled"))
		return DP_EXIT_OK;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(r->out_root, DP_CORPUS_DB_FILE, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		r->corpus_to_create = TRUE;
		r->corpus_fresh = g_hash_table_size(rows) > 0;
		return DP_EXIT_OK;
	}
	r->corpus = dp_corpus_db_open(path, TRUE, NULL, &error);
	if (r->corpus == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}

/*
 * The ledger, and its rows in *ROWS (path -> DpLedgerEntry); marked
 * unclean until the run ends in order.  A ledger that does not exist has
 * no rows, and a run without one sweeps the temporaries: it is made later,
 * while the workers convert (run_create_ledger), its sync and WAL set-up
 * then overlapping the conversions.  A run that dies before it exists
 * leaves no ledger, which the next run treats as unclean, as before.
 */
static int
run_open_ledger(Run *r, GHashTable **rows)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *ledger_path = g_build_filename(r->state_dir, DP_LEDGER_FILE, NULL);
	if (!g_file_test(ledger_path, G_FILE_TEST_EXISTS)) {
		sweep_temp_files(r->out_root, TRUE);
		r->ledger_to_create = TRUE;
		*rows = g_hash_table_new(g_str_hash, g_str_equal);
		return run_open_corpus(r, *rows);
	}
	r->ledger = dp_ledger_open(ledger_path, FALSE, &error);
	*rows = r->ledger ? dp_ledger_load(r->ledger, &error) : NULL;
	if (*rows == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	/* A run that did not end in order may have left temporaries. */
	g_autofree char *clean = dp_ledger_get_meta(r->ledger, "clean");
	if (clean == NULL || !g_str_equal(clean, "1"))
		sweep_temp_files(r->out_root, TRUE);
	if (!dp_ledger_set_meta(r->ledger, "clean", "0", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return run_open_corpus(r, *rows);
}

/*
 * The OCR engine against the ledger's record of it (ocr_engine_check),
 * after the walk: the probe's child ran meanwhile (ocr_probe_start).
 */
static int
run_check_ocr(Run *r)
{
	g_autoptr(GError) error = NULL;
	if (ocr_engine_check(r, r->opt->reocr, &error))
		return DP_EXIT_OK;
	dp_warn("%s", error->message);
	return DP_EXIT_IOERR;
}

/* The inputs, into *INPUTS: the walk of IN, or the list from --files-from. */
static int
run_walk(Run *r, GPtrArray **inputs)
{
	g_autoptr(GError) error = NULL;
	const char *skip = dp_path_is_inside(r->in_root, r->out_root) ? r->out_root : NULL;
	const char *from = r->opt->files_from;
	if (from != NULL) {
		g_autoptr(GBytes) list = g_str_equal(from, "-") ? dp_read_fd(0, "<stdin>", G_MAXUINT32, &error)
		                                                : dp_read_file(from, G_MAXUINT32, &error);
		if (list == NULL) {
			dp_warn("%s", error->message);
			return DP_EXIT_NOINPUT;
		}
		*inputs = dp_walk_list(r->in_root, r->opt->in, list, skip, warn_line, &r->n_rejected);
		return DP_EXIT_OK;
	}
	*inputs = dp_walk(r->in_root, skip, warn_line, &error);
	if (*inputs == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_NOINPUT;
	}
	return DP_EXIT_OK;
}

/*
 * What to convert, into TODO: the inputs of this shard that the ledger
 * does not show as done; then, with --prune, the outputs and rows of
 * inputs gone are removed.
 */
static gboolean
run_plan(Run *r, GPtrArray *inputs, GHashTable *ledger, GPtrArray *todo, GError **error)
{
	g_autoptr(GHashTable) present = g_hash_table_new(g_str_hash, g_str_equal);
	guint shard_k = r->opt->shard_k, shard_n = r->opt->shard_n;
	for (guint i = 0; i < inputs->len; i++) {
		DpInput *in = inputs->pdata[i];
		if (shard_n > 1 && dp_shard_of(in->rel, shard_n) != shard_k)
			continue;
		r->n_inputs++;
		g_hash_table_add(present, in->rel);
		GError *local = NULL;
		if (needs_work(r, in, g_hash_table_lookup(ledger, in->rel), &local))
			g_ptr_array_add(todo, in);
		if (local != NULL) {
			g_propagate_error(error, local);
			return FALSE;
		}
	}
	if (r->prune && !prune(r, ledger, present, error))
		return FALSE;
	/*
	 * Largest first: a big PDF started last would leave the other workers
	 * idle at the end.  The outputs do not depend on the order.
	 */
	g_ptr_array_sort(todo, cmp_size_desc);
	r->total = todo->len;
	return TRUE;
}

/* Convert TODO in the workers. */
static gboolean
run_convert(Run *r, GPtrArray *todo, GError **error)
{
	if (todo->len == 0)
		return TRUE;
	r->conf = (DpRunConf){ .cfg = r->cfg,
		               .redactor = r->redactor,
		               .name_key = r->name_key,
		               .in_root = r->in_root,
		               .out_root = r->out_root,
		               .jobs = r->jobs,
		               .cpu_s = r->cpu_s,
		               .open_files = r->open_files,
		               .mem_limit = r->mem_limit,
		               .fsize_limit = r->fsize_limit };
	/*
	 * No libmagic here: a worker loads its database before forking the
	 * sandboxed child of the first input its sniffers cannot name
	 * (chain.c), and most runs have none.
	 */
	if (todo->len >= WARM_UP_MIN_INPUTS)
		dp_run_warm_up(&r->conf, r->state_dir);
	return run_workers(r, todo, error);
}

/* The run's exit code, from OK and ERROR, and the summary. */
static int
run_report(Run *r, gboolean ok, const GError *error)
{
	int code = DP_EXIT_OK;
	double secs = (double)(g_get_monotonic_time() - r->started) / G_USEC_PER_SEC;
	if (!ok) {
		dp_warn("%s", error->message);
		code = error->code == DP_EXIT_OSERR ? DP_EXIT_OSERR : DP_EXIT_IOERR;
	} else if (stop_signal) {
		code = 128 + stop_signal;
	} else if (r->failed > 0 || r->n_rejected > 0) {
		/* As for a single input (README, Exit codes): 66 when one could not be read, the more serious. */
		code = r->unreadable > 0 ? DP_EXIT_NOINPUT : DP_EXIT_DATAERR;
	}
	print_summary(r, code, secs);
	if (r->json && !dp_close_stream(stdout, "<stdout>", NULL) && code == DP_EXIT_OK)
		code = DP_EXIT_IOERR;
	return code;
}

/*
 * ROWS (the ledger's message rows, from offset FROM on) with their first
 * column, the ledger's real input path, redacted as the worker redacts a
 * source: nothing written under OUT names an input unredacted.
 */
static GString *
redact_source_column(const Run *r, const GString *rows, gsize from)
{
	GString *out = g_string_new_len(rows->str, (gssize)from);
	g_autofree char *last_in = NULL;
	g_autofree char *last_out = NULL;
	for (const char *p = rows->str + from, *end = rows->str + rows->len; p < end;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *stop = nl ? nl + 1 : end;
		const char *tab = memchr(p, '\t', (gsize)(stop - p));
		if (tab == NULL) {
			g_string_append_len(out, p, stop - p);
			p = stop;
			continue;
		}
		gsize n = (gsize)(tab - p);
		if (last_in == NULL || strlen(last_in) != n || memcmp(last_in, p, n) != 0) {
			g_free(last_in);
			g_free(last_out);
			last_in = g_strndup(p, n);
			GString *v = dp_redactor_apply(r->redactor, p, n, NULL);
			last_out = g_string_free(v, FALSE);
		}
		g_string_append(out, last_out);
		g_string_append_len(out, tab, stop - tab);
		p = stop;
	}
	return out;
}

/*
 * OUT/messages.tsv, the message index of every input in the ledger
 * (README "The message index"), made again from the ledger's table when
 * an input was converted or pruned, or when it is missing; only where
 * there are messages.
 */
static gboolean
write_messages(Run *r, GError **error)
{
	g_autofree char *path = g_build_filename(r->out_root, "messages.tsv", NULL);
	gboolean exists = g_file_test(path, G_FILE_TEST_EXISTS);
	if (exists && r->done == 0 && r->n_pruned == 0)
		return TRUE;
	g_autoptr(GString) tsv = g_string_new(dp_msgindex_header());
	gsize header = tsv->len;
	if (!dp_ledger_messages_tsv(r->ledger, tsv, error))
		return FALSE;
	if (tsv->len == header) {
		if (exists && unlink(path) != 0 && errno != ENOENT) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot remove '%s': %s", path, g_strerror(e));
			return FALSE;
		}
		return TRUE;
	}
	g_autoptr(GString) shown = redact_source_column(r, tsv, header);
	return dp_write_atomic(path, shown->str, shown->len, error);
}

/*
 * The corpus database's groups and threads, for what this run (or an
 * interrupted one before it) stored.  Not after an interruption: the
 * next run finishes the work, the marks stay in the database.
 */
static gboolean
update_corpus(Run *r, GError **error)
{
	if (stop_signal || r->corpus == NULL)
		return TRUE;
	int threshold = (int)dp_config_get_int(r->cfg, "corpus", "near-threshold");
	int shingle = (int)dp_config_get_int(r->cfg, "corpus", "shingle");
	return dp_corpus_db_update(r->corpus, threshold, shingle, NULL, error);
}

/* The inputs found: plan, convert, mark the ledger clean, report. */
static int
run_inputs(Run *r, GPtrArray *inputs, GHashTable *ledger)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) todo = g_ptr_array_new();
	install_signals();
	r->tty = isatty(2);
	r->started = g_get_monotonic_time();
	r->last_commit = r->started;
	gboolean ok = run_plan(r, inputs, ledger, todo, &error) && run_convert(r, todo, &error) &&
	              run_create_ledger(r, &error) && run_create_corpus(r, &error) && ledger_flush(r, FALSE, &error) &&
	              update_corpus(r, &error) && write_messages(r, &error) &&
	              dp_ledger_set_meta(r->ledger, "clean", "1", &error);
	return run_report(r, ok, error);
}

int
dp_run_execute(const DpRunOptions *opts)
{
	Run r = { .opt = opts,
		  .prune = opts->prune,
		  .retry_failed = opts->retry_failed,
		  .json = opts->json,
		  .quiet = opts->quiet,
		  .out_fd = -1,
		  .lock_fd = -1,
		  .ocr_probe_fd = -1,
		  .by_status = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		  .failures = g_ptr_array_new_with_free_func((GDestroyNotify)dp_ledger_entry_free),
		  .redacted = dp_redcount_new() };
	g_autoptr(GHashTable) ledger = NULL;
	g_autoptr(GPtrArray) inputs = NULL;
	int code = run_configure(&r);
	if (code == DP_EXIT_OK) {
		ocr_probe_start(&r);
		code = run_open_dirs(&r);
	}
	if (code == DP_EXIT_OK)
		code = run_lock(&r);
	if (code == DP_EXIT_OK)
		code = run_name_key(&r);
	if (code == DP_EXIT_OK)
		code = run_open_ledger(&r, &ledger);
	if (code == DP_EXIT_OK)
		code = run_walk(&r, &inputs);
	if (code == DP_EXIT_OK)
		code = run_check_ocr(&r);
	if (code == DP_EXIT_OK)
		code = run_inputs(&r, inputs, ledger);
	run_clear(&r);
	return code;
}
