/*
 * corpus-bench.c: the cost of near-duplicate grouping, for
 * scripts/bench-corpus (not a unit test: t4101 does not run it).
 *
 *   corpus-bench DB N
 *
 * makes N short generated documents (60 words of a 5,000-word vocabulary;
 * one in ten a near copy of the one before it, one word changed, one in
 * twenty an exact copy), signs them as a worker does, stores them in a
 * new corpus database DB as inputs of one document each, groups them
 * (dp_corpus_db_update), then adds 100 more and groups again: the
 * incremental update of a run that adds 100 documents.  Prints one line:
 * N, CPU seconds to sign, to store, to group, to add 100 and regroup,
 * the peak resident memory in MiB, and what was grouped.
 */
#include "corpus/corpusdb.h"
#include "corpus/minhash.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static char *vocab[5000];

static void
make_vocab(void)
{
	static const char *const syl[] = { "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "ha" };
	guint32 x = 12345;
	for (guint i = 0; i < G_N_ELEMENTS(vocab); i++) {
		GString *w = g_string_new(NULL);
		for (guint k = 0; k < 3; k++) {
			x = x * 1103515245u + 12345u;
			g_string_append(w, syl[(x >> 16) % G_N_ELEMENTS(syl)]);
		}
		g_string_append_printf(w, "%u", i);
		vocab[i] = g_string_free(w, FALSE);
	}
}

/* Document I's text: its own words, or (a near or exact copy) those of the one before it. */
static char *
doc_text(guint i, guint32 *state)
{
	guint base = (i % 10 == 9 || i % 20 == 19) && i > 0 ? i - 1 : i;
	guint32 x = base * 2654435761u + 7;
	GString *t = g_string_new(NULL);
	for (guint k = 0; k < 60; k++) {
		x = x * 1103515245u + 12345u;
		g_string_append_printf(t, "%s%s", k ? " " : "", vocab[(x >> 8) % G_N_ELEMENTS(vocab)]);
	}
	if (i % 10 == 9 && i % 20 != 19)
		g_string_append(t, " postscript");
	(void)state;
	return g_string_free(t, FALSE);
}

/* CPU seconds (user and system) of this process: the machine is shared, its wall clock is noisy. */
static double
now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* Sign and store documents FROM..TO-1 as inputs of DB; *SIGN gets the seconds spent signing. */
static void
add_docs(DpCorpusDb *db, guint from, guint to, double *sign)
{
	guint32 st = 1;
	*sign = 0;
	for (guint i = from; i < to; i++) {
		double t0 = now();
		g_autofree char *text = doc_text(i, &st);
		g_autoptr(GString) norm = dp_minhash_normalize(text, strlen(text));
		DpMinhash h;
		dp_minhash_sign(norm->str, 5, &h);
		g_autofree char *hash = dp_sha256_hex(norm->str, norm->len);
		g_autofree char *sig = dp_minhash_to_string(&h);
		*sign += now() - t0;
		g_autofree char *rows =
		    g_strdup_printf("D\t\ttext/plain\tok\t\t\t\t\t%u\t\t\t%s\t%s\t1\n", (guint)strlen(text), hash, sig);
		g_autofree char *source = g_strdup_printf("doc/%07u.txt", i);
		if (!dp_corpus_db_put_input(db, source, "ok", NULL, NULL, rows, NULL))
			exit(1);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: corpus-bench DB N\n");
		return 64;
	}
	guint n = (guint)strtoul(argv[2], NULL, 10);
	make_vocab();
	g_autoptr(GError) error = NULL;
	g_autoptr(DpCorpusDb) db = dp_corpus_db_open(argv[1], TRUE, NULL, &error);
	if (db == NULL) {
		fprintf(stderr, "%s\n", error->message);
		return 74;
	}
	double sign, sign2, t0 = now();
	add_docs(db, 0, n, &sign);
	if (!dp_corpus_db_commit(db, &error))
		return 74;
	double t1 = now();
	g_autoptr(GString) stats = g_string_new(NULL);
	if (!dp_corpus_db_update(db, 90, 5, stats, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return 74;
	}
	double t2 = now();
	add_docs(db, n, n + 100, &sign2);
	g_autoptr(GString) stats2 = g_string_new(NULL);
	if (!dp_corpus_db_commit(db, &error) || !dp_corpus_db_update(db, 90, 5, stats2, &error))
		return 74;
	double t3 = now();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%u\t%.2f\t%.2f\t%.2f\t%.3f\t%.0f\t%s | %s\n", n, sign, t1 - t0 - sign, t2 - t1, t3 - t2,
	       (double)ru.ru_maxrss / 1024, stats->str, stats2->str);
	return 0;
}
