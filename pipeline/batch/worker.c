/*
 * NAME
 *	worker.c - the worker processes of `docpipe run`
 *
 * DESCRIPTION
 *	The parent forks -j N workers, each once, and hands each one input
 *	at a time: the input's path relative to IN, NUL-terminated, then the
 *	device and inode the walk saw ("DEV INO", NUL-terminated), on the
 *	worker's command pipe (its descriptor 0).  The worker converts it,
 *	reading no other file than that one (a link swapped in since the walk
 *	is refused, chain/chain.c),
 *	with the chain of `docpipe convert -o` (detect; extraction in a
 *	sandboxed child forked for this input alone, sandbox/isolate.c; redaction;
 *	atomic outputs in OUT) and answers with one result record on its
 *	result pipe (descriptor 3): status, error, the input's SHA-256 and
 *	size, redaction counts, the number of pages read by OCR (ocr-pages,
 *	absent when none) and the SHA-256 of both outputs, which the
 *	emitter computes as it writes them (nothing is read back), or
 *	"unreadable: true" for an input that could not be opened or shrank
 *	while it was read (the parent exits 66 for it, as convert).  The
 *	record is in the record format alone (core/RECORD-FORMAT.md), which
 *	says where a record ends: no other framing around it.  Its stderr
 *	(descriptor 2) is a pipe too, read by the parent to tell why a
 *	worker died.  The fork, the descriptors, the death with the parent,
 *	the limits and the reaping are util/proc.c's, as for the sandboxed
 *	child.
 *
 *	A worker costs one fork for its whole life instead of one per input,
 *	and keeps what it set up (the chain, the emitter, an extractor
 *	module it loaded) from one input to the next.  Only the sandboxed
 *	child that parses the input's bytes is new for every input.
 *
 * SECURITY
 *	The worker never parses an input's bytes while the sandbox is on
 *	(the default): that happens in the child, which writes only records
 *	to a pipe that the worker checks (sandbox/isolate.c).  The worker
 *	holds only its three pipes, /dev/null and what the chain opens;
 *	never the lock, the ledger or another worker's pipes (closed at
 *	start).  It dies with the parent (PR_SET_PDEATHSIG).  Limits, from
 *	[limits]: no core files; RLIMIT_AS (memory) and RLIMIT_FSIZE
 *	(file-size) and RLIMIT_NOFILE (a multiple of open-files, run.c) for
 *	the worker's whole life; RLIMIT_CPU is moved before every input to
 *	the CPU time used so far plus cpu-time, so that each input gets its
 *	own CPU budget (SIGXCPU ends the worker when one input spends it).
 *	The parent enforces the wall-clock timeout of each input and kills
 *	the worker at it.  An input that kills its worker is recorded as
 *	failed by the parent (run.c), which starts a fresh worker for the
 *	next input.  The parent trusts nothing in a result but a known
 *	status and well-formed hashes (run.c), and takes at most 1 MiB of
 *	it.
 */
#define _GNU_SOURCE 1
#include "batch/worker.h"

#include "batch/corpusrows.h"
#include "batch/walk.h"
#include "chain/chain.h"
#include "core/config.h"
#include "core/emit.h"
#include "core/msgindex.h"
#include "core/record.h"
#include "extract/extract.h"
#include "redact/redact.h"
#include "sandbox/sandbox.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/*
 * The message index rows of one input travel in its result's body, cut
 * at this size (at a row's end; the ledger says "messages-truncated").
 */
#define MESSAGES_MAX ((gsize)64 << 20)
/* The rest of a worker's result, its header, is small: more is garbage. */
#define RESULT_HEAD_MAX ((gsize)1 << 20)
#define RESULT_MAX (MESSAGES_MAX + RESULT_HEAD_MAX)
/* How much of a worker's stderr is kept to classify its death. */
#define ERR_TAIL 8192
/* The worker's descriptors. */
#define CMD_FD 0
#define ERR_FD 2
#define RES_FD 3

/* ---------------------------------------------------------------------- */
/* What the chain produced for one input.                                 */

typedef struct {
	gboolean seen_top;
	char *status, *error, *sha256;
	guint64 size;
	char *part_problem;   /* first failing part, "PATH: STATUS: ERROR" */
	GTree *redactions;    /* "RULE" and "RULE.CHANNEL" -> count */
	DpRedactor *redactor; /* the run's: the input's plain SHA-256 */
	guint64 ocr_pages;    /* pages read by OCR, of the input and its parts */
	DpMsgIndex *messages; /* the input's messages, as rows of the message index */
	DpCorpusRows *corpus; /* its documents and messages, as rows of the corpus database */
} Observed;

static int
cmp_rule(gconstpointer a, gconstpointer b, gpointer user)
{
	return strcmp(a, b);
}

static void
observed_init(Observed *o)
{
	memset(o, 0, sizeof *o);
	o->redactions = g_tree_new_full(cmp_rule, NULL, g_free, NULL);
	o->messages = dp_msgindex_new();
}

/* The corpus rows of the inputs to come: hashed with the run's key, shingles as configured. */
static void
observed_corpus(Observed *o, const DpRunConf *c)
{
	if (!dp_config_get_bool(c->cfg, "corpus", "enabled"))
		return;
	o->corpus = dp_corpus_rows_new(c->redactor, (guint)dp_config_get_int(c->cfg, "corpus", "shingle"));
}

static void
observed_clear(Observed *o)
{
	g_free(o->status);
	g_free(o->error);
	g_free(o->sha256);
	g_free(o->part_problem);
	if (o->redactions)
		g_tree_unref(o->redactions);
	dp_msgindex_free(o->messages);
	dp_corpus_rows_free(o->corpus);
	memset(o, 0, sizeof *o);
}

/*
 * The channel of a "redacted:" line's FIELD, for the audit: the body, a
 * message's header, a name (the source, a part's path, an attachment's
 * or entry's file name), other metadata; and covered text (PDF words
 * under a black box, rule "covered") whatever the field.
 */
static const char *
redaction_channel(const char *rule, const char *field)
{
	static const char *const headers[] = { "from",        "to",         "cc",         "bcc",  "reply-to",
		                               "sender",      "subject",    "date",       "sent", "message-id",
		                               "in-reply-to", "references", "return-path" };
	static const char *const names[] = { "filename", "name", "entry", "attachment" };
	if (g_str_equal(rule, "covered"))
		return "covered";
	if (g_str_equal(field, "body"))
		return "body";
	if (g_str_equal(field, DP_F_PATH) || g_str_equal(field, DP_F_SOURCE))
		return "path";
	if (!g_str_has_prefix(field, DP_META_PREFIX))
		return "metadata";
	const char *m = field + strlen(DP_META_PREFIX);
	for (guint i = 0; i < G_N_ELEMENTS(headers); i++)
		if (g_ascii_strcasecmp(m, headers[i]) == 0)
			return "header";
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(m, names[i]) == 0)
			return "path";
	return "metadata";
}

static void
count_redaction(GTree *t, const char *key, guint64 n)
{
	gpointer old = g_tree_lookup(t, key);
	g_tree_replace(t, g_strdup(key), GSIZE_TO_POINTER(GPOINTER_TO_SIZE(old) + n));
}

static void
observe(const DpRecord *rec, gpointer user)
{
	Observed *o = user;
	const char *status = dp_record_get(rec, DP_F_STATUS);
	dp_msgindex_add(o->messages, rec);
	if (o->corpus != NULL)
		dp_corpus_rows_after(o->corpus, rec);
	if (dp_record_get(rec, DP_F_PARENT) == NULL && !o->seen_top) {
		o->seen_top = TRUE;
		o->status = g_strdup(status ? status : DP_STATUS_OK);
		o->error = g_strdup(dp_record_get(rec, DP_F_ERROR));
		/* The ledger's is the plain hash, whatever [output] hashes made of the record's. */
		o->sha256 =
		    g_strdup(o->redactor ? dp_redactor_input_sha256(o->redactor) : dp_record_get(rec, DP_F_SHA256));
		const char *size = dp_record_get(rec, DP_F_SIZE);
		o->size = size ? g_ascii_strtoull(size, NULL, 10) : 0;
	} else if (dp_status_exit_code(status) != DP_EXIT_OK && o->part_problem == NULL) {
		const char *err = dp_record_get(rec, DP_F_ERROR);
		const char *path = dp_record_get(rec, DP_F_PATH);
		o->part_problem =
		    g_strdup_printf("%s: %s%s%s", path ? path : "?", status, err ? ": " : "", err ? err : "");
	}
	/* Each record counts its own OCR'd pages (an attachment's are the attachment's). */
	const char *ocr = dp_record_get(rec, DP_META_PREFIX "ocr-pages");
	if (ocr != NULL && g_ascii_isdigit(*ocr))
		o->ocr_pages += MIN(g_ascii_strtoull(ocr, NULL, 10), G_MAXUINT32);
	/* "redacted: RULE FIELD COUNT POS...": counts only, never values. */
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (!g_str_equal(f->key, DP_F_REDACTED))
			continue;
		g_auto(GStrv) p = g_strsplit(f->value, " ", 4);
		if (g_strv_length(p) < 3)
			continue;
		guint64 n = g_ascii_strtoull(p[2], NULL, 10);
		count_redaction(o->redactions, p[0], n);
		g_autofree char *by = g_strconcat(p[0], ".", redaction_channel(p[0], p[1]), NULL);
		count_redaction(o->redactions, by, n);
	}
}

/* The record before redaction: hashes and signatures for the corpus database. */
static void
observe_before(const DpRecord *rec, gpointer user)
{
	Observed *o = user;
	if (o->corpus != NULL)
		dp_corpus_rows_before(o->corpus, rec);
}

static gboolean
append_redaction(gpointer key, gpointer value, gpointer user)
{
	GString *s = user;
	g_string_append_printf(s, "%s%s=%" G_GSIZE_FORMAT, s->len ? " " : "", (const char *)key,
	                       GPOINTER_TO_SIZE(value));
	return FALSE;
}

/* ---------------------------------------------------------------------- */
/* The worker process.                                                    */

/* The limits that hold for the worker's whole life. */
static void
worker_limits(const DpRunConf *c)
{
	/* A core dump would land in IN (the worker's working directory). */
	dp_proc_set_limit(RLIMIT_CORE, "core size", 0, 0, NULL);
#if !defined(__SANITIZE_ADDRESS__)
	/* AddressSanitizer reserves terabytes of address space up front. */
	if (c->mem_limit > 0)
		dp_proc_set_limit(RLIMIT_AS, "address space", (rlim_t)c->mem_limit, (rlim_t)c->mem_limit, NULL);
#endif
	if (c->fsize_limit > 0)
		dp_proc_set_limit(RLIMIT_FSIZE, "file size", (rlim_t)c->fsize_limit, (rlim_t)c->fsize_limit, NULL);
	if (c->open_files > 0)
		dp_proc_set_limit(RLIMIT_NOFILE, "open files", (rlim_t)c->open_files, (rlim_t)c->open_files, NULL);
}

/*
 * The CPU budget of the next input: RLIMIT_CPU counts the whole life of
 * the process, so its soft limit moves to what was used so far (rounded
 * up) plus [limits] cpu-time.  The hard limit stays as it is (a hard limit cannot
 * be raised again); the worker does not catch SIGXCPU, so the soft limit
 * ends it, and the wall-clock timeout covers the rest.
 */
static void
cpu_budget(const DpRunConf *c)
{
	struct rusage ru;
	if (c->cpu_s <= 0 || getrusage(RUSAGE_SELF, &ru) != 0)
		return;
	rlim_t used = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + 1;
	/* RLIM_INFINITY: the hard limit is lowered to the current one, never raised. */
	dp_proc_set_limit(RLIMIT_CPU, "CPU time", used + (rlim_t)c->cpu_s, RLIM_INFINITY, NULL);
}

/* The chain and emitter a worker keeps from one input to the next. */
typedef struct {
	DpEmitter *em;
	DpChain *chain;
	Observed o;
} Converter;

static void
converter_open(Converter *cv, const DpRunConf *c)
{
	cv->em = dp_emitter_new(DP_EMIT_TEXT | DP_EMIT_XML, c->out_root, NULL, FALSE);
	/* The parent syncs OUT once per ledger transaction (run.c, ledger_flush). */
	dp_emitter_set_durable(cv->em, FALSE);
	/* The ledger keeps the outputs' hashes: computed as they are written. */
	dp_emitter_set_hash_outputs(cv->em, TRUE);
	cv->chain = dp_chain_new(c->cfg, c->redactor, cv->em);
	dp_chain_set_observer(cv->chain, observe, &cv->o);
	dp_chain_set_pre_observer(cv->chain, observe_before, &cv->o);
	dp_chain_set_name_key(cv->chain, c->name_key);
}

/*
 * The workers share the CPUs already, so a mailbox is not split further
 * ([extract] threads=0 means one thread when there are several workers);
 * except a big one, which would otherwise be the batch's long
 * single-threaded tail once the other workers run out of inputs.  Time
 * slicing with the other workers meanwhile costs little.
 */
#define BIG_INPUT ((goffset)16 << 20)

static void
converter_threads(Converter *cv, const DpRunConf *c, const char *rel)
{
	if (c->jobs <= 1 || dp_config_get_int(c->cfg, "extract", "threads") != 0)
		return;
	struct stat st;
	gboolean big = stat(rel, &st) == 0 && (goffset)st.st_size >= BIG_INPUT;
	dp_chain_set_threads(cv->chain, big ? 0 : 1);
}

static void
converter_close(Converter *cv)
{
	/* The emitter removes the temporaries of a document left open. */
	g_clear_pointer(&cv->chain, dp_chain_free);
	g_clear_pointer(&cv->em, dp_emitter_free);
}

/* Convert REL (relative to the working directory, IN); the result record. */
static DpRecord *
convert_one(Converter *cv, const DpRunConf *c, const char *rel, guint64 dev, guint64 ino)
{
	if (cv->chain == NULL)
		converter_open(cv, c);
	converter_threads(cv, c, rel);
	observed_clear(&cv->o);
	observed_init(&cv->o);
	observed_corpus(&cv->o, c);
	Observed *o = &cv->o;
	o->redactor = c->redactor;
	g_autoptr(GError) error = NULL;
	int code = DP_EXIT_OK;
	/* The file the walk saw, and no link swapped in since (batch/walk.c). */
	dp_chain_expect_input(cv->chain, dev, ino);
	gboolean ok = dp_chain_run(cv->chain, rel, &code, &error);

	DpRecord *res = dp_record_new();
	if (!ok) {
		/* The output failed (disk full, file size limit): no output. */
		gboolean big = strstr(error->message, g_strerror(EFBIG)) != NULL;
		dp_record_set(res, DP_F_STATUS, big ? DP_STATUS_LIMIT : DP_STATUS_ERROR);
		dp_record_set(res, DP_F_ERROR, error->message);
		/* Whatever state the failed output left, the next input starts afresh. */
		converter_close(cv);
	} else if (!o->seen_top) {
		dp_record_set(res, DP_F_STATUS, DP_STATUS_ERROR);
		dp_record_set(res, DP_F_ERROR,
		              dp_chain_input_replaced(cv->chain) ? "the input was " DP_ERROR_REPLACED
		                                                   " (by another file, or a link to one); not read"
		                                                 : "cannot open or read the input");
		if (code == DP_EXIT_NOINPUT)
			dp_record_set(res, "unreadable", "true");
	} else if (code == DP_EXIT_NOINPUT) {
		/*
		 * It shrank while it was read (util/fileio.c): its records were
		 * wrong, and the chain dropped its outputs.
		 */
		dp_record_set(res, DP_F_STATUS, DP_STATUS_ERROR);
		dp_record_set(res, DP_F_ERROR, DP_ERROR_SHRANK);
		dp_record_set(res, "unreadable", "true");
	} else {
		gboolean part_failed = o->part_problem != NULL && g_str_equal(o->status, DP_STATUS_OK);
		dp_record_set(res, DP_F_STATUS, part_failed ? DP_STATUS_PARTIAL : o->status);
		dp_record_set(res, DP_F_ERROR, part_failed ? o->part_problem : o->error);
		dp_record_set(res, DP_F_SHA256, o->sha256);
		dp_record_setf(res, DP_F_SIZE, "%" G_GUINT64_FORMAT, o->size);
		g_autoptr(GString) red = g_string_new(NULL);
		g_tree_foreach(o->redactions, append_redaction, red);
		if (red->len)
			dp_record_set(res, "redactions", red->str);
		if (o->ocr_pages > 0)
			dp_record_setf(res, "ocr-pages", "%" G_GUINT64_FORMAT, o->ocr_pages);
		dp_record_set(res, "txt-sha256", dp_emitter_output_sha256(cv->em, DP_EMIT_TEXT));
		dp_record_set(res, "xml-sha256", dp_emitter_output_sha256(cv->em, DP_EMIT_XML));
		g_autoptr(GString) rows = dp_msgindex_take_rows(o->messages);
		if (rows->len > MESSAGES_MAX) {
			gsize cut = MESSAGES_MAX;
			while (cut > 0 && rows->str[cut - 1] != '\n')
				cut--;
			g_string_truncate(rows, cut);
			dp_record_set(res, "messages-truncated", "true");
		}
		/* The corpus rows follow the message rows, in what is left of the same budget. */
		g_autoptr(GString) corpus = o->corpus ? dp_corpus_rows_take(o->corpus) : g_string_new(NULL);
		if (rows->len + corpus->len > MESSAGES_MAX) {
			gsize cut = MESSAGES_MAX - rows->len;
			while (cut > 0 && corpus->str[cut - 1] != '\n')
				cut--;
			g_string_truncate(corpus, cut);
			dp_record_set(res, "corpus-truncated", "true");
		}
		dp_record_setf(res, "corpus-offset", "%" G_GSIZE_FORMAT, rows->len);
		g_string_append_len(rows, corpus->str, (gssize)corpus->len);
		g_string_free(res->body, TRUE);
		res->body = g_steal_pointer(&rows);
	}
	return res;
}

static gboolean
write_all(int fd, const void *buf, gsize len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		p += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/*
 * The result on the result pipe: the record alone, whose body line says
 * where it ends (RECORD-FORMAT.md).  Written at once, so that the parent
 * never waits long for the rest of a record it has begun to read.
 */
static gboolean
send_result(const DpRecord *res)
{
	g_autoptr(GString) buf = g_string_new(NULL);
	dp_record_append(res, buf);
	return buf->len <= RESULT_MAX && write_all(RES_FD, buf->str, buf->len);
}

/*
 * TEST ONLY: DOCPIPE_FAULT=KIND[:SUBSTRING] makes the worker misbehave on
 * every input whose relative path contains SUBSTRING (every input without
 * one), so that the tests can prove the parent survives it: crash
 * (SIGSEGV), abort, hang (sleeps forever), spin (burns CPU), alloc
 * (allocates and touches memory without bound), exit (exits without a
 * result), slow (sleeps 300 ms, then converts normally: for interruption
 * tests), burn (spends 600 ms of CPU time, then converts normally: for the
 * CPU budget of each input), stale (crashes when this worker has converted
 * an input before, as if an earlier input had left it broken), lie (sends
 * a result with a status that does not exist, then converts normally, as
 * a worker taken over by a document might), garbage (begins a result, then
 * sends a line that is no header line, and hangs), garbage-key (begins a
 * result, breaks off inside a key with a byte no key holds, and hangs),
 * swap=TARGET (replaces the input with a symbolic link to TARGET before it
 * is converted, as someone changing the tree between the walk and the
 * read would), shrink (cuts the input to half its size right after it is mapped, as a
 * process rewriting it would: honoured by util/fileio.c itself, in every
 * program that reads inputs).
 * Honoured only in workers; it has no effect elsewhere.
 */
static void
fault_inject(const char *rel, guint served)
{
	const char *f = g_getenv("DOCPIPE_FAULT");
	if (f == NULL || *f == '\0')
		return;
	g_auto(GStrv) p = g_strsplit(f, ":", 2);
	if (p[1] != NULL && strstr(rel, p[1]) == NULL)
		return;
	if (g_str_equal(p[0], "crash")) {
		raise(SIGSEGV);
	} else if (g_str_equal(p[0], "abort")) {
		abort();
	} else if (g_str_equal(p[0], "hang")) {
		for (;;)
			pause();
	} else if (g_str_equal(p[0], "spin")) {
		for (volatile guint64 i = 0;; i++)
			;
	} else if (g_str_equal(p[0], "alloc")) {
		for (;;) {
			gsize n = 16u << 20;
			char *m = g_malloc(n);
			memset(m, 1, n);
		}
	} else if (g_str_equal(p[0], "exit")) {
		_exit(3);
	} else if (g_str_equal(p[0], "slow")) {
		g_usleep(300000);
	} else if (g_str_equal(p[0], "burn")) {
		struct rusage ru;
		gint64 until = -1, now = 0;
		while (now < until || until < 0) {
			if (getrusage(RUSAGE_SELF, &ru) != 0)
				break;
			now = (gint64)ru.ru_utime.tv_sec * G_USEC_PER_SEC + ru.ru_utime.tv_usec +
			      (gint64)ru.ru_stime.tv_sec * G_USEC_PER_SEC + ru.ru_stime.tv_usec;
			if (until < 0)
				until = now + 600000;
		}
	} else if (g_str_equal(p[0], "stale") && served > 0) {
		raise(SIGSEGV);
	} else if (g_str_equal(p[0], "garbage") || g_str_equal(p[0], "garbage-key")) {
		static const char line[] = DP_RECORD_MAGIC "\nstatus: ok\nthis is no header line\n";
		static const char key[] = DP_RECORD_MAGIC "\nstat\x01";
		const char *g = g_str_equal(p[0], "garbage") ? line : key;
		write_all(RES_FD, g, strlen(g));
		for (;;)
			pause();
	} else if (g_str_has_prefix(p[0], "swap=")) {
		if (unlink(rel) != 0 || symlink(p[0] + strlen("swap="), rel) != 0) {
			/* Test only: the test sees that nothing was swapped. */
		}
	} else if (g_str_equal(p[0], "lie")) {
		g_autoptr(DpRecord) res = dp_record_new();
		dp_record_set(res, DP_F_STATUS, "splendid");
		send_result(res);
	}
}

/*
 * The worker's life: inputs from the command pipe until it closes.  Never
 * returns.  dp_proc_fork() has laid out its descriptors already: 0
 * commands, 1 /dev/null, 2 stderr pipe, 3 result pipe, nothing else (not
 * the lock, the ledger or the other workers' pipes).
 */
static void G_GNUC_NORETURN
worker_main(const DpRunConf *c)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	/* Over the file size limit, write() fails with EFBIG instead of killing us. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGXFSZ, &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (chdir(c->in_root) != 0)
		_exit(DP_EXIT_NOINPUT);
	worker_limits(c);

	FILE *cmd = fdopen(CMD_FD, "r");
	if (cmd == NULL)
		_exit(DP_EXIT_OSERR);
	Converter cv = { 0 };
	char *rel = NULL, *ident = NULL;
	size_t cap = 0, icap = 0;
	for (guint served = 0;; served++) {
		ssize_t n = getdelim(&rel, &cap, '\0', cmd);
		if (n <= 0)
			_exit(0); /* the parent closed the pipe: no more inputs */
		if (rel[n - 1] != '\0' || n == 1)
			_exit(DP_EXIT_PROTOCOL);
		/* The device and inode the walk saw: "DEV INO". */
		guint64 dev, ino;
		n = getdelim(&ident, &icap, '\0', cmd);
		if (n <= 0 || ident[n - 1] != '\0' ||
		    sscanf(ident, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &dev, &ino) != 2)
			_exit(DP_EXIT_PROTOCOL);
		cpu_budget(c);
		fault_inject(rel, served);
		g_autoptr(DpRecord) res = convert_one(&cv, c, rel, dev, ino);
		if (!send_result(res))
			_exit(DP_EXIT_IOERR);
	}
}

/* ---------------------------------------------------------------------- */
/* The parent's side.                                                     */

static void
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

gboolean
dp_run_worker_start(DpRunWorker *w, const DpRunConf *conf, GError **error)
{
	static const DpProcSlot slots[] = { DP_PROC_TO_CHILD, DP_PROC_NULL, DP_PROC_FROM_CHILD, DP_PROC_FROM_CHILD };
	G_STATIC_ASSERT(G_N_ELEMENTS(slots) == RES_FD + 1);
	int fds[G_N_ELEMENTS(slots)];
	/* Nothing buffered in stdio may be written twice, by the worker too. */
	fflush(NULL);
	pid_t pid = dp_proc_fork(slots, G_N_ELEMENTS(slots), fds, "a worker", error);
	if (pid < 0)
		return FALSE;
	if (pid == 0)
		worker_main(conf);
	set_nonblock(fds[RES_FD]);
	set_nonblock(fds[ERR_FD]);
	memset(w, 0, sizeof *w);
	w->pid = pid;
	w->cmd_fd = fds[CMD_FD];
	w->res_fd = fds[RES_FD];
	w->err_fd = fds[ERR_FD];
	w->res = g_byte_array_new();
	w->err = g_string_new(NULL);
	return TRUE;
}

gboolean
dp_run_worker_give(DpRunWorker *w, DpInput *in, gint64 deadline, GError **error)
{
	g_assert(w->pid > 0 && w->in == NULL);
	/* What it wrote to stderr before this input is not this input's. */
	if (w->err_fd >= 0)
		dp_run_worker_drain(w, w->err_fd);
	g_string_truncate(w->err, 0);
	g_byte_array_set_size(w->res, 0);
	w->in = in;
	w->timed_out = FALSE;
	w->start = g_get_monotonic_time();
	w->deadline = deadline;
	/*
	 * The pipe is empty (the worker took the last command before it
	 * answered), so this does not block for long.  A dead worker gives
	 * EPIPE (SIGPIPE is ignored in the run): its death, seen on its other
	 * pipes, is then recorded for this input like any other.
	 */
	g_autoptr(GString) cmd = g_string_new(in->rel);
	g_string_append_printf(cmd, "%c%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "%c", 0, in->dev, in->inode, 0);
	if (w->cmd_fd >= 0 && !write_all(w->cmd_fd, cmd->str, cmd->len) && errno != EPIPE) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot write to a worker: %s", g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

void
dp_run_worker_drain(DpRunWorker *w, int fd)
{
	char buf[16384];
	gboolean is_result = fd == w->res_fd;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return; /* EAGAIN: more later */
		if (n == 0) {
			close(fd);
			if (is_result)
				w->res_fd = -1;
			else
				w->err_fd = -1;
			return;
		}
		if (is_result) {
			/* Past a result of the largest size, it is garbage: keep the overflow mark only. */
			if (w->res->len <= RESULT_MAX)
				g_byte_array_append(w->res, (const guint8 *)buf, (guint)n);
		} else {
			g_string_append_len(w->err, buf, n);
			if (w->err->len > ERR_TAIL)
				g_string_erase(w->err, 0, (gssize)(w->err->len - ERR_TAIL));
		}
	}
}

static void
worker_kill_bad(DpRunWorker *w)
{
	w->bad = TRUE;
	kill(w->pid, SIGKILL);
}

/*
 * Whether the N bytes at L, a header line (WHOLE: up to its newline, else
 * as far as it has come), can be one of a record (RECORD-FORMAT.md): a
 * key of [a-z0-9][a-z0-9._-]* (at most 128 bytes), ": ", a value without
 * NUL; a whole line valid UTF-8.
 */
static gboolean
head_line_ok(const guint8 *l, gsize n, gboolean whole)
{
	gsize k = 0;
	while (
	    k < n && k <= 128 &&
	    (g_ascii_islower(l[k]) || g_ascii_isdigit(l[k]) || (k > 0 && (l[k] == '.' || l[k] == '_' || l[k] == '-'))))
		k++;
	if (k > 128)
		return FALSE;
	if (k == n)
		return !whole;
	if (k == 0 || l[k] != ':')
		return FALSE;
	if (k + 1 == n)
		return !whole;
	if (l[k + 1] != ' ' || memchr(l + k + 2, '\0', n - k - 2) != NULL)
		return FALSE;
	return !whole || g_utf8_validate_len((const char *)l, n, NULL);
}

/*
 * Whether the header lines of the record at the start of BUF (LEN bytes,
 * its first line the magic one) already break the format, whole or as far
 * as they have come.  A worker writes its result at once: what breaks the
 * format now never becomes a record, and waiting for the rest would only
 * wait for the input's timeout.  The lines up to the body line are looked
 * at; the body's length is record_length()'s.
 */
static gboolean
head_broken(const guint8 *buf, gsize len)
{
	for (gsize p = strlen(DP_RECORD_MAGIC) + 1; p < len;) {
		const guint8 *nl = memchr(buf + p, '\n', len - p);
		gsize le = nl != NULL ? (gsize)(nl - buf) : len;
		if (!head_line_ok(buf + p, le - p, nl != NULL))
			return TRUE;
		if (nl == NULL || (le - p > 6 && memcmp(buf + p, "body: ", 6) == 0))
			return FALSE;
		p = le + 1;
	}
	return FALSE;
}

/*
 * The length of the record at the start of BUF (LEN bytes): its body line
 * ("body: N") says where it ends, N bytes and a newline later.  0 while
 * the record is incomplete.  Bytes that cannot begin a record, or header
 * lines that break the format, get a length at once, and other garbage
 * may get one too: the record reader then rejects it.
 */
static gsize
record_length(const guint8 *buf, gsize len)
{
	static const char magic[] = DP_RECORD_MAGIC "\n";
	if (memcmp(buf, magic, MIN(len, strlen(magic))) != 0)
		return len;
	/* Not a record, for all that has come: the reader says why at once. */
	if (len > strlen(magic) && head_broken(buf, len))
		return len;
	static const char body[] = "\nbody: ";
	const guint8 *b = memmem(buf, len, body, strlen(body));
	if (b == NULL)
		return len > RESULT_HEAD_MAX ? len : 0;
	const guint8 *digits = b + strlen(body);
	const guint8 *nl = memchr(digits, '\n', len - (gsize)(digits - buf));
	if (nl == NULL)
		return 0;
	gsize head = (gsize)(nl - buf) + 1;
	guint64 n = g_ascii_strtoull((const char *)digits, NULL, 10);
	if (head > RESULT_HEAD_MAX || n > MESSAGES_MAX)
		return head; /* the reader's limit, not this one, says what is wrong */
	return len >= head + n + 1 ? head + (gsize)n + 1 : 0;
}

DpRecord *
dp_run_worker_result(DpRunWorker *w)
{
	if (w->bad || w->timed_out || w->res->len == 0)
		return NULL;
	if (w->in == NULL) {
		/* Nothing was asked. */
		worker_kill_bad(w);
		return NULL;
	}
	gsize n = record_length(w->res->data, w->res->len);
	if (n == 0 && w->res->len <= RESULT_MAX)
		return NULL; /* more to come */
	g_autoptr(GPtrArray) recs = NULL;
	if (n == 0 || n != w->res->len || !dp_record_parse_buffer(w->res->data, n, &recs, NULL) || recs->len != 1) {
		/* Too long, more than one record, or not a record at all. */
		worker_kill_bad(w);
		return NULL;
	}
	g_byte_array_set_size(w->res, 0);
	w->served++;
	return dp_record_copy(recs->pdata[0]);
}

gboolean
dp_run_worker_reap(DpRunWorker *w, int *wstatus, struct rusage *ru)
{
	pid_t p = dp_proc_wait(w->pid, wstatus, ru, WNOHANG);
	if (p == 0)
		return FALSE; /* pipes closed, not yet exited: SIGCHLD will wake us */
	if (p < 0) {
		*wstatus = 0x7f00; /* lost: treat as a failed exit */
		memset(ru, 0, sizeof *ru);
	}
	return TRUE;
}

void
dp_run_worker_clear(DpRunWorker *w)
{
	if (w->cmd_fd >= 0)
		close(w->cmd_fd);
	if (w->res_fd >= 0)
		close(w->res_fd);
	if (w->err_fd >= 0)
		close(w->err_fd);
	if (w->res)
		g_byte_array_unref(w->res);
	if (w->err)
		g_string_free(w->err, TRUE);
	memset(w, 0, sizeof *w);
	w->cmd_fd = w->res_fd = w->err_fd = -1;
}

void
dp_run_worker_stop(DpRunWorker *w)
{
	if (w->pid > 0)
		dp_proc_kill_wait(w->pid);
	dp_run_worker_clear(w);
}

/* ---------------------------------------------------------------------- */
/* Warm-up.                                                               */

static gboolean
discard_record(DpRecord *rec, gpointer user, GError **error)
{
	return TRUE;
}

void
dp_run_warm_up(const DpRunConf *c, const char *state_dir)
{
	static const struct {
		const char *name, *text;
	} docs[] = {
		{ "in.html", "<html><head><title>warm-up</title></head><body><p>docpipe warm-up \xc3\xa9 mail "
		             "a@example.org call 555-123-4567</p></body></html>\n" },
		{ "in.txt", "docpipe warm-up \xc3\xa9\nmail a@example.org, call 555-123-4567\n" },
	};
	/*
	 * The seccomp filter is compiled once, here, instead of once in every
	 * worker (isolate.c compiles it before its first fork).
	 */
	g_autoptr(GError) prep_err = NULL;
	(void)dp_sandbox_prepare(&prep_err);
	g_autofree char *dir = g_build_filename(state_dir, "warm-up", NULL);
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || g_mkdir_with_parents(dir, 0777) != 0 || chdir(dir) != 0) {
		if (cwd >= 0)
			close(cwd);
		return;
	}
	DpExtractCtx ctx;
	dp_extract_ctx_init(&ctx, c->cfg, discard_record, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(docs); i++) {
		if (!g_file_set_contents(docs[i].name, docs[i].text, -1, NULL))
			continue;
		/*
		 * The extraction of our own document, here: the extractors'
		 * symbols are then bound, and their one-time set-up done, before
		 * the workers are forked, and so in every sandboxed child they
		 * fork (about 0.6 ms of CPU saved per small HTML or text input).
		 * The whole chain once more, in a sandboxed child, as this used
		 * to do, saved nothing measurable beyond that.
		 */
		g_autoptr(GBytes) data = NULL;
		g_autoptr(DpRecord) in = dp_detect_input(docs[i].name, 1u << 20, TRUE, &data, NULL);
		if (in != NULL && data != NULL)
			dp_extract(&ctx, in, data, NULL);
		/* And the redactor's matching, which every worker runs over every text. */
		g_string_free(dp_redactor_apply(c->redactor, docs[i].text, strlen(docs[i].text), NULL), TRUE);
		unlink(docs[i].name);
	}
	dp_extract_ctx_clear(&ctx);
	if (fchdir(cwd) != 0)
		dp_warn("cannot return to the working directory: %s", g_strerror(errno));
	close(cwd);
	rmdir(dir);
}
