/*
 * worker-test: the two halves of a `docpipe run` worker's answer: the
 * emitter hashing its outputs as it writes them (core/emit.c), and the
 * parent taking the result record off the pipe by the record format alone
 * (batch/worker.c, dp_run_worker_result).
 */
#include "batch/walk.h"
#include "batch/worker.h"
#include "core/emit.h"
#include "core/record.h"
#include "util/hash.h"
#include "util/proc.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "util/banned.h"

static DpRecord *
doc(const char *source, const char *body)
{
	DpRecord *rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, "0123456789abcdef");
	dp_record_set(rec, DP_F_SOURCE, source);
	dp_record_set(rec, DP_F_TYPE, "text/plain");
	dp_record_set(rec, DP_F_STATUS, "ok");
	dp_record_set_body(rec, body, strlen(body));
	return rec;
}

/* The hashes of what was written are those of the files on disk. */
static void
test_emitter_hashes(void)
{
	/* The test runs in a scratch directory of its own. */
	const char *dir = "emit-out";
	g_autoptr(DpEmitter) em = dp_emitter_new(DP_EMIT_TEXT | DP_EMIT_XML, dir, NULL, FALSE);
	dp_emitter_set_durable(em, FALSE);
	dp_emitter_set_hash_outputs(em, TRUE);
	g_assert_null(dp_emitter_output_sha256(em, DP_EMIT_TEXT));

	/* Big enough to pass through stdio's buffer more than once. */
	g_autoptr(GString) body = g_string_new(NULL);
	for (guint i = 0; i < 5000; i++)
		g_string_append_printf(body, "line %u: caf\xc3\xa9 & <tags>\n", i);
	g_autoptr(DpRecord) a = doc("a.txt", body->str);
	g_autoptr(GError) error = NULL;
	g_assert_true(dp_emitter_add(em, a, &error));
	/* Not committed yet. */
	g_assert_null(dp_emitter_output_sha256(em, DP_EMIT_XML));
	g_assert_true(dp_emitter_finish(em, &error));
	g_assert_no_error(error);
	const char *exts[] = { ".txt", ".xml" };
	DpEmitFormat formats[] = { DP_EMIT_TEXT, DP_EMIT_XML };
	for (guint i = 0; i < 2; i++) {
		g_autofree char *path = g_strconcat(dir, "/a.txt", exts[i], NULL);
		g_autofree char *want = dp_sha256_file(path);
		g_assert_nonnull(want);
		g_assert_cmpstr(dp_emitter_output_sha256(em, formats[i]), ==, want);
	}

	/* The next document forgets the last one's hashes until it is written. */
	g_autoptr(DpRecord) b = doc("b.txt", "");
	g_assert_true(dp_emitter_add(em, b, &error));
	g_assert_null(dp_emitter_output_sha256(em, DP_EMIT_TEXT));
	g_assert_true(dp_emitter_finish(em, &error));
	g_autofree char *empty = dp_sha256_hex("", 0);
	g_assert_cmpstr(dp_emitter_output_sha256(em, DP_EMIT_TEXT), ==, empty);

	/* Without hashing, no hash. */
	g_autoptr(DpEmitter) plain = dp_emitter_new(DP_EMIT_TEXT, dir, NULL, FALSE);
	g_assert_true(dp_emitter_add(plain, a, &error));
	g_assert_true(dp_emitter_finish(plain, &error));
	g_assert_null(dp_emitter_output_sha256(plain, DP_EMIT_TEXT));
}

/* A slot as dp_run_worker_start() leaves it, around a process that only waits. */
static void
fake_worker(DpRunWorker *w, DpInput *in)
{
	static const DpProcSlot none[] = { DP_PROC_NULL };
	int unused;
	memset(w, 0, sizeof *w);
	w->cmd_fd = w->res_fd = w->err_fd = -1;
	w->pid = dp_proc_fork(none, 1, &unused, "a fake worker", NULL);
	g_assert_cmpint(w->pid, >=, 0);
	if (w->pid == 0) {
		for (;;)
			pause();
	}
	w->res = g_byte_array_new();
	w->err = g_string_new(NULL);
	w->in = in;
}

/* Whether the parent killed the fake worker W as bad. */
static gboolean
killed_bad(DpRunWorker *w)
{
	int st = 0;
	gboolean bad = w->bad;
	if (!bad)
		kill(w->pid, SIGKILL);
	g_assert_cmpint(dp_proc_wait(w->pid, &st, NULL, 0), ==, w->pid);
	dp_run_worker_clear(w);
	return bad && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static GString *
result_bytes(void)
{
	g_autoptr(DpRecord) res = dp_record_new();
	dp_record_set(res, DP_F_STATUS, "ok");
	dp_record_set(res, "txt-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	dp_record_set_body(res, "x\ny", 3); /* a newline in the body, where no line may be looked for */
	GString *s = g_string_new(NULL);
	dp_record_append(res, s);
	return s;
}

/* A result arriving a byte at a time is taken whole at its last byte, not before. */
static void
test_result_by_bytes(void)
{
	DpInput in = { 0 };
	DpRunWorker w;
	fake_worker(&w, &in);
	g_autoptr(GString) bytes = result_bytes();
	for (gsize i = 0; i < bytes->len; i++) {
		g_byte_array_append(w.res, (const guint8 *)bytes->str + i, 1);
		g_autoptr(DpRecord) rec = dp_run_worker_result(&w);
		if (i + 1 < bytes->len) {
			g_assert_null(rec);
			g_assert_false(w.bad);
		} else {
			g_assert_nonnull(rec);
			g_assert_cmpstr(dp_record_get(rec, DP_F_STATUS), ==, "ok");
			g_assert_cmpuint(rec->body->len, ==, 3);
		}
	}
	g_assert_cmpuint(w.served, ==, 1);
	g_assert_cmpuint(w.res->len, ==, 0);
	g_assert_false(killed_bad(&w));
}

/* Anything but one record, whole, kills the worker. */
static void
test_result_bad(void)
{
	DpInput in = { 0 };
	g_autoptr(GString) good = result_bytes();
	struct {
		const char *what;
		GString *bytes;
	} cases[] = {
		{ "two records", g_string_new(NULL) },
		{ "trailing bytes", g_string_new(NULL) },
		{ "not a record", g_string_new("hello, parent\n") },
		{ "a broken header", g_string_new(DP_RECORD_MAGIC "\nNo Colon\nbody: 0\n\n") },
		{ "a body longer than declared", g_string_new(DP_RECORD_MAGIC "\nbody: 1\nxy\n") },
		{ "an endless header", g_string_new(DP_RECORD_MAGIC "\n") },
	};
	g_string_append_len(g_string_append_len(cases[0].bytes, good->str, good->len), good->str, good->len);
	g_string_append(g_string_append_len(cases[1].bytes, good->str, good->len), "x");
	while (cases[5].bytes->len <= (1u << 20))
		g_string_append(cases[5].bytes, "key: value value value value value value value value\n");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		DpRunWorker w;
		fake_worker(&w, &in);
		g_byte_array_append(w.res, (const guint8 *)cases[i].bytes->str, cases[i].bytes->len);
		g_autoptr(DpRecord) rec = dp_run_worker_result(&w);
		if (rec != NULL || !killed_bad(&w))
			g_error("%s: not rejected", cases[i].what);
		g_string_free(cases[i].bytes, TRUE);
	}
	/* A result while no input was given. */
	DpRunWorker w;
	fake_worker(&w, NULL);
	g_byte_array_append(w.res, (const guint8 *)good->str, good->len);
	g_assert_null(dp_run_worker_result(&w));
	g_assert_true(killed_bad(&w));
}

DP_UNIT_MAIN("worker", test_emitter_hashes, test_result_by_bytes, test_result_bad)
