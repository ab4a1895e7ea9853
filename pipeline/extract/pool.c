/*
 * NAME
 *	pool.c - the parts of a container extracted on worker threads,
 *	their records emitted in order
 *
 * DESCRIPTION
 *	A mailbox is thousands of messages that have nothing to do with one
 *	another once the file is split: each one's parsing (GMime), its parts'
 *	identification (libmagic) and hashing can run on a core of its own.
 *	The container's extractor still splits the input in order, on its own
 *	thread, and hands each part to dp_child_pool_add() instead of
 *	dp_doc_child(); a worker runs the very same dp_doc_child() on it with
 *	a private copy of the context whose emit function keeps the records;
 *	the calling thread passes them on in the order the parts were added.
 *	The output is byte for byte what the one-thread extraction gives.
 *
 *	Parts travel in batches of a few hundred KiB (a job), not one by one:
 *	a hand-over between threads costs two wake-ups, which per message was
 *	a good part of what the threads gained.
 *
 *	The part limit ([limits] max-children) counts over the whole input,
 *	which a worker cannot know: it counts each part's records, and when
 *	the ones before plus a part's own would cross the limit, its work is
 *	thrown away and the part is extracted again in order, exactly as
 *	without a pool, so that the limit falls at the same record with the
 *	same words.
 *
 *	Memory stays bounded: at most a few jobs per worker are in flight
 *	(their input and their records), and a large part is extracted on the
 *	calling thread, streaming as before, once the ones before it are out.
 *	A small part can still expand (a zip of text attached to a message):
 *	a job keeps at most JOB_OUTPUT_MAX bytes of records; the part that
 *	would go past it is abandoned by the worker and, with the parts after
 *	it, extracted on the calling thread in order, streaming.
 *
 * SECURITY
 *	The pool parses nothing itself; its threads run the extractors
 *	inside the process that called it, the sandboxed child of
 *	sandbox/isolate.c, and share that child's seccomp filter and
 *	[limits] memory and cpu-time (CPU time is counted for the process,
 *	all threads together).  [extract] threads sets their number, at most
 *	MAX_THREADS (16) whatever is asked.  The bounds above keep the
 *	pool's own memory to a few jobs per thread; the records are the
 *	same as without threads, limits included (t2600 "three threads give
 *	the output of one, text and XML", "the part limit falls at the same
 *	record with threads", "small messages that expand past a job
 *	budget: the same, in bounded memory").
 */
#include "core/record.h"
#include "extract/extract.h"
#include "util/exitcode.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdio.h>

#include "util/banned.h"

/* A job: parts up to this many input bytes, or this many parts. */
#define JOB_BYTES (256u << 10)
#define JOB_PARTS 64
/* Jobs in flight per worker, and their input bytes in all. */
#define JOBS_PER_THREAD 3
#define MAX_PENDING_BYTES (8u << 20)
/* A part this large is extracted on the calling thread. */
#define INLINE_BYTES (2u << 20)
/* The records a job may keep; past this, the rest is done inline. */
#define JOB_OUTPUT_MAX (8u << 20)
/* Never more workers than this, whatever the machine. */
#define MAX_THREADS 16

/* One part: what dp_doc_child() is given, and what came of it. */
typedef struct {
	char *path;
	char *type_hint;
	GBytes *data;
	char **meta;
	gsize mark;
	guint64 children;
	guint first_record, n_records; /* in the job's records */
	gsize bytes_end;               /* end of its bytes in the job's */
} Part;

typedef struct {
	GArray *parts; /* of Part */
	gsize size;    /* input bytes */
	/* What the worker made of it. */
	GPtrArray *records; /* DpRecord*, in emit order */
	GString *bytes;     /* or the records serialized (ctx->emit_file) */
	gsize kept;         /* bytes of record bodies and headers kept */
	guint inline_from;  /* parts from here on are extracted by the caller */
	gboolean done;
} Job;

struct DpChildPool {
	DpExtractCtx *ctx; /* the caller's: output, part count */
	DpExtractCtx tmpl; /* the workers' copy, never written after setup */
	DpDoc *parent;
	GThreadPool *threads; /* NULL: everything runs inline */
	Job *filling;         /* parts not handed to a worker yet */
	GQueue jobs;          /* Job*, handed over, in order */
	gsize pending_bytes;
	guint window;
	gint cancelled; /* workers skip what they have not started */
	GMutex lock;
	GCond cond;
};

static void
part_clear(gpointer p)
{
	Part *part = p;
	g_free(part->path);
	g_free(part->type_hint);
	g_bytes_unref(part->data);
	g_strfreev(part->meta);
}

static Job *
job_new(void)
{
	Job *job = g_new0(Job, 1);
	job->inline_from = G_MAXUINT;
	job->parts = g_array_new(FALSE, TRUE, sizeof(Part));
	g_array_set_clear_func(job->parts, part_clear);
	return job;
}

static void
job_free(Job *job)
{
	g_array_unref(job->parts);
	if (job->records != NULL)
		g_ptr_array_unref(job->records);
	if (job->bytes != NULL)
		g_string_free(job->bytes, TRUE);
	g_free(job);
}

/* Whether a job has kept as much as it may; the part is then abandoned. */
static gboolean
over_budget(Job *job, GError **error)
{
	if (job->kept <= JOB_OUTPUT_MAX)
		return FALSE;
	g_set_error_literal(error, DP_ERROR, DP_EXIT_SOFTWARE, "part output over the job's budget");
	return TRUE;
}

/* The workers' emit function: keep a copy; the caller emits it later. */
static gboolean
keep_record(DpRecord *rec, gpointer user, GError **error)
{
	Job *job = user;
	g_ptr_array_add(job->records, dp_record_copy(rec));
	/* The header fields are short; count a fixed share for them. */
	job->kept += (rec->body != NULL ? rec->body->len : 0) + 512;
	return !over_budget(job, error);
}

/* The same when the output is a record stream: keep its bytes. */
static gboolean
keep_bytes(DpRecord *rec, gpointer user, GError **error)
{
	Job *job = user;
	dp_record_append(rec, job->bytes);
	job->kept = job->bytes->len;
	return !over_budget(job, error);
}

static void
run_job(gpointer data, gpointer user)
{
	Job *job = data;
	DpChildPool *pool = user;
	if (!g_atomic_int_get(&pool->cancelled)) {
		DpExtractCtx ctx = pool->tmpl;
		ctx.emit_data = job;
		ctx.emit_file = NULL;
		if (pool->tmpl.emit_file != NULL) {
			ctx.emit = keep_bytes;
			job->bytes = g_string_sized_new(job->size + 4096);
		} else {
			ctx.emit = keep_record;
			job->records = g_ptr_array_new_with_free_func((GDestroyNotify)dp_record_free);
		}
		for (guint i = 0; i < job->parts->len; i++) {
			Part *part = &g_array_index(job->parts, Part, i);
			ctx.n_children = 0;
			part->first_record = job->records ? job->records->len : 0;
			gsize bytes_start = job->bytes ? job->bytes->len : 0;
			/* Fails only when the job's budget is spent (over_budget). */
			if (!dp_doc_child(&ctx, pool->parent, part->path, part->type_hint, part->data,
			                  (const char *const *)part->meta, NULL)) {
				/* Drop what this part kept; the caller does it and the rest. */
				if (job->records != NULL)
					g_ptr_array_set_size(job->records, part->first_record);
				if (job->bytes != NULL)
					g_string_truncate(job->bytes, bytes_start);
				job->inline_from = i;
				break;
			}
			part->children = ctx.n_children;
			part->n_records = job->records ? job->records->len - part->first_record : 0;
			part->bytes_end = job->bytes ? job->bytes->len : 0;
		}
	}
	g_mutex_lock(&pool->lock);
	job->done = TRUE;
	g_cond_broadcast(&pool->cond);
	g_mutex_unlock(&pool->lock);
}

guint
dp_extract_threads(const DpExtractCtx *ctx)
{
	if (ctx->threads > 0)
		return MIN(ctx->threads, MAX_THREADS);
	return CLAMP(g_get_num_processors(), 1, MAX_THREADS);
}

DpChildPool *
dp_child_pool_new(DpExtractCtx *ctx, DpDoc *parent)
{
	DpChildPool *pool = g_new0(DpChildPool, 1);
	pool->ctx = ctx;
	pool->tmpl = *ctx;
	pool->parent = parent;
	g_queue_init(&pool->jobs);
	g_mutex_init(&pool->lock);
	g_cond_init(&pool->cond);
	guint n = dp_extract_threads(ctx);
	if (n > 1) {
		/*
		 * libxml2 sets up its globals on first use, which is not safe
		 * from two threads at once; GMime's are behind a GOnce.
		 */
		xmlInitParser();
		pool->threads = g_thread_pool_new(run_job, pool, (gint)n, TRUE, NULL);
		/* No worker could start (a thread limit, say): everything runs inline. */
		if (pool->threads != NULL && g_thread_pool_get_num_threads(pool->threads) == 0) {
			g_thread_pool_free(pool->threads, TRUE, FALSE);
			pool->threads = NULL;
		}
		pool->window = n * JOBS_PER_THREAD;
	}
	return pool;
}

/* Hand the batch being filled to the workers. */
static void
submit(DpChildPool *pool)
{
	Job *job = g_steal_pointer(&pool->filling);
	if (job == NULL)
		return;
	g_queue_push_tail(&pool->jobs, job);
	/*
	 * The workers were all started with the pool; a push that fails to
	 * start another one has still queued the job for them.
	 */
	(void)g_thread_pool_push(pool->threads, job, NULL);
}

/* Emit one part of a finished job, or extract it again if the limit falls in it. */
static gboolean
emit_part(DpChildPool *pool, Job *job, Part *part, guint i, GError **error)
{
	DpExtractCtx *ctx = pool->ctx;
	if (i >= job->inline_from || (ctx->max_children > 0 && ctx->n_children + part->children > ctx->max_children)) {
		/* Past the job's budget, or the limit falls in this part: do it in order. */
		return dp_doc_child(ctx, pool->parent, part->path, part->type_hint, part->data,
		                    (const char *const *)part->meta, error);
	}
	ctx->n_children += part->children;
	if (job->bytes != NULL) {
		gsize start = i > 0 ? g_array_index(job->parts, Part, i - 1).bytes_end : 0;
		gsize n = part->bytes_end - start;
		if (fwrite(job->bytes->str + start, 1, n, ctx->emit_file) != n) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write record: %s", g_strerror(e));
			return FALSE;
		}
		return TRUE;
	}
	for (guint r = 0; r < part->n_records; r++)
		if (!ctx->emit(job->records->pdata[part->first_record + r], ctx->emit_data, error))
			return FALSE;
	return TRUE;
}

/* The oldest job's records out, once its worker is done. */
static gboolean
collect_oldest(DpChildPool *pool, GError **error)
{
	if (g_queue_is_empty(&pool->jobs))
		submit(pool);
	Job *job = g_queue_pop_head(&pool->jobs);
	if (job == NULL)
		return TRUE;
	g_mutex_lock(&pool->lock);
	while (!job->done)
		g_cond_wait(&pool->cond, &pool->lock);
	g_mutex_unlock(&pool->lock);
	pool->pending_bytes -= job->size;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < job->parts->len; i++)
		ok = emit_part(pool, job, &g_array_index(job->parts, Part, i), i, error);
	job_free(job);
	return ok;
}

/* Emit every part in flight, in order. */
static gboolean
drain(DpChildPool *pool, GError **error)
{
	submit(pool);
	while (!g_queue_is_empty(&pool->jobs))
		if (!collect_oldest(pool, error))
			return FALSE;
	return TRUE;
}

gboolean
dp_child_pool_add(DpChildPool *pool, const char *path, const char *type_hint, GBytes *data, const char *const *meta,
                  gsize mark, GError **error)
{
	gsize size = g_bytes_get_size(data);
	if (pool->threads == NULL || size > INLINE_BYTES) {
		/* In order: what is in flight goes first. */
		if (!drain(pool, error))
			return FALSE;
		return dp_doc_child(pool->ctx, pool->parent, path, type_hint, data, meta, error);
	}
	if (pool->filling == NULL)
		pool->filling = job_new();
	Job *job = pool->filling;
	Part part = { 0 };
	part.path = g_strdup(path);
	part.type_hint = g_strdup(type_hint);
	part.data = g_bytes_ref(data);
	part.mark = mark;
	/* The meta list may hold NULL values (pairs to skip): copy it pair by pair. */
	guint n = 0;
	while (meta != NULL && meta[n] != NULL)
		n += 2;
	part.meta = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i += 2) {
		part.meta[i] = g_strdup(meta[i]);
		part.meta[i + 1] = g_strdup(meta[i + 1] ? meta[i + 1] : "");
	}
	g_array_append_val(job->parts, part);
	job->size += size;
	pool->pending_bytes += size;
	if (job->size >= JOB_BYTES || job->parts->len >= JOB_PARTS)
		submit(pool);
	while (g_queue_get_length(&pool->jobs) > pool->window || pool->pending_bytes > MAX_PENDING_BYTES)
		if (!collect_oldest(pool, error))
			return FALSE;
	return TRUE;
}

gsize
dp_child_pool_low_mark(DpChildPool *pool, gsize none)
{
	Job *job = g_queue_peek_head(&pool->jobs);
	if (job == NULL)
		job = pool->filling;
	return job != NULL && job->parts->len > 0 ? g_array_index(job->parts, Part, 0).mark : none;
}

gboolean
dp_child_pool_finish(DpChildPool *pool, GError **error)
{
	return drain(pool, error);
}

void
dp_child_pool_free(DpChildPool *pool)
{
	if (pool == NULL)
		return;
	/* After a failed output: what is left is not wanted. */
	g_atomic_int_set(&pool->cancelled, 1);
	if (pool->threads != NULL)
		g_thread_pool_free(pool->threads, FALSE, TRUE);
	Job *job;
	while ((job = g_queue_pop_head(&pool->jobs)) != NULL)
		job_free(job);
	if (pool->filling != NULL)
		job_free(pool->filling);
	g_mutex_clear(&pool->lock);
	g_cond_clear(&pool->cond);
	g_free(pool);
}
