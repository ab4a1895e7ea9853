/*
 * extract-pool.c: the parts of a container extracted on worker threads,
 * their records emitted in order.
 *
 * A mailbox is thousands of messages that have nothing to do with one
 * another once the file is split: each one's parsing (GMime), its parts'
 * identification (libmagic) and hashing can run on a core of its own.
 * The container's extractor still splits the input in order, on its own
 * thread, and hands each part to dp_child_pool_add() instead of
 * dp_doc_child(); a worker runs the very same dp_doc_child() on it with
 * a private copy of the context whose emit function keeps the records;
 * the calling thread passes them on in the order the parts were added.
 * The output is byte for byte what the one-thread extraction gives.
 *
 * The part limit ([limits] max-children) counts over the whole input,
 * which a worker cannot know: it counts its own part's records, and when
 * the ones before plus its own would cross the limit, its work is thrown
 * away and the part is extracted again in order, exactly as without a
 * pool, so that the limit falls at the same record with the same words.
 *
 * Memory stays bounded: at most a few parts per worker are in flight
 * (their input and their records), and a large part is extracted on the
 * calling thread, streaming as before, once the ones before it are out.
 */
#include "docpipe.h"

#include <errno.h>
#include <libxml/parser.h>

/* Parts in flight per worker, and their input bytes in all. */
#define JOBS_PER_THREAD 4
#define MAX_PENDING_BYTES (8u << 20)
/* A part this large is extracted on the calling thread. */
#define INLINE_BYTES (2u << 20)
/* Never more workers than this, whatever the machine. */
#define MAX_THREADS 16

typedef struct {
	/* What dp_doc_child() is given. */
	char *path;
	char *type_hint;
	GBytes *data;
	char **meta;
	gsize mark;
	/* What the worker made of it. */
	GPtrArray *records; /* DpRecord*, in emit order */
	GString *bytes;     /* or the records serialized (ctx->emit_file) */
	guint64 children;
	gboolean done;
} Job;

struct DpChildPool {
	DpExtractCtx *ctx;     /* the caller's: output, part count */
	DpExtractCtx tmpl;     /* the workers' copy, never written after setup */
	DpDoc *parent;
	GThreadPool *threads;  /* NULL: everything runs inline */
	GQueue jobs;           /* Job*, in the order added */
	gsize pending_bytes;
	guint window;
	gint cancelled;        /* workers skip what they have not started */
	GMutex lock;
	GCond cond;
};

static void
job_free(Job *job)
{
	g_free(job->path);
	g_free(job->type_hint);
	g_bytes_unref(job->data);
	g_strfreev(job->meta);
	if (job->records != NULL)
		g_ptr_array_unref(job->records);
	if (job->bytes != NULL)
		g_string_free(job->bytes, TRUE);
	g_free(job);
}

/* The workers' emit function: keep a copy; the caller emits it later. */
static gboolean
keep_record(DpRecord *rec, gpointer user, GError **error)
{
	Job *job = user;
	g_ptr_array_add(job->records, dp_record_copy(rec));
	return TRUE;
}

/* The same when the output is a record stream: keep its bytes. */
static gboolean
keep_bytes(DpRecord *rec, gpointer user, GError **error)
{
	Job *job = user;
	dp_record_append(rec, job->bytes);
	return TRUE;
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
		ctx.n_children = 0;
		if (pool->tmpl.emit_file != NULL) {
			ctx.emit = keep_bytes;
			job->bytes = g_string_sized_new(g_bytes_get_size(job->data) + 4096);
		} else {
			ctx.emit = keep_record;
			job->records = g_ptr_array_new_with_free_func((GDestroyNotify)dp_record_free);
		}
		/* Cannot fail: keep_record does not. */
		(void)dp_doc_child(&ctx, pool->parent, job->path, job->type_hint, job->data,
				   (const char *const *)job->meta, NULL);
		job->children = ctx.n_children;
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

/* The oldest part's records out, once its worker is done. */
static gboolean
collect_oldest(DpChildPool *pool, GError **error)
{
	Job *job = g_queue_pop_head(&pool->jobs);
	g_mutex_lock(&pool->lock);
	while (!job->done)
		g_cond_wait(&pool->cond, &pool->lock);
	g_mutex_unlock(&pool->lock);
	pool->pending_bytes -= g_bytes_get_size(job->data);

	DpExtractCtx *ctx = pool->ctx;
	gboolean ok = TRUE;
	if (ctx->max_children > 0 && ctx->n_children + job->children > ctx->max_children) {
		/* The limit falls in this part: do it again, in order. */
		ok = dp_doc_child(ctx, pool->parent, job->path, job->type_hint, job->data,
				  (const char *const *)job->meta, error);
	} else if (job->bytes != NULL) {
		if (fwrite(job->bytes->str, 1, job->bytes->len, ctx->emit_file) != job->bytes->len) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write record: %s", g_strerror(e));
			ok = FALSE;
		}
		ctx->n_children += job->children;
	} else {
		for (guint i = 0; ok && i < job->records->len; i++)
			ok = ctx->emit(job->records->pdata[i], ctx->emit_data, error);
		ctx->n_children += job->children;
	}
	job_free(job);
	return ok;
}

/* Emit every part in flight, in order. */
static gboolean
drain(DpChildPool *pool, GError **error)
{
	while (!g_queue_is_empty(&pool->jobs))
		if (!collect_oldest(pool, error))
			return FALSE;
	return TRUE;
}

gboolean
dp_child_pool_add(DpChildPool *pool, const char *path, const char *type_hint, GBytes *data,
		  const char *const *meta, gsize mark, GError **error)
{
	gsize size = g_bytes_get_size(data);
	if (pool->threads == NULL || size > INLINE_BYTES) {
		/* In order: what is in flight goes first. */
		if (!drain(pool, error))
			return FALSE;
		return dp_doc_child(pool->ctx, pool->parent, path, type_hint, data, meta, error);
	}
	Job *job = g_new0(Job, 1);
	job->path = g_strdup(path);
	job->type_hint = g_strdup(type_hint);
	job->data = g_bytes_ref(data);
	job->mark = mark;
	/* The meta list may hold NULL values (pairs to skip): copy it pair by pair. */
	guint n = 0;
	while (meta != NULL && meta[n] != NULL)
		n += 2;
	job->meta = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i += 2) {
		job->meta[i] = g_strdup(meta[i]);
		job->meta[i + 1] = g_strdup(meta[i + 1] ? meta[i + 1] : "");
	}
	g_queue_push_tail(&pool->jobs, job);
	pool->pending_bytes += size;
	/*
	 * The workers were all started with the pool; a push that fails to
	 * start another one has still queued the job for them.
	 */
	(void)g_thread_pool_push(pool->threads, job, NULL);
	while (g_queue_get_length(&pool->jobs) > pool->window || pool->pending_bytes > MAX_PENDING_BYTES)
		if (!collect_oldest(pool, error))
			return FALSE;
	return TRUE;
}

gsize
dp_child_pool_low_mark(DpChildPool *pool, gsize none)
{
	Job *job = g_queue_peek_head(&pool->jobs);
	return job != NULL ? job->mark : none;
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
	g_mutex_clear(&pool->lock);
	g_cond_clear(&pool->cond);
	g_free(pool);
}
