/*
 * NAME
 *	cmd-merge.c - `docpipe merge`: one corpus database from the shards'
 *
 * SYNOPSIS
 *	docpipe merge [-c CONFIG] OUT1 OUT2 ... OUT
 *
 * DESCRIPTION
 *	Reads OUT1/corpus.sqlite, OUT2/corpus.sqlite, ... (each written by
 *	`docpipe run --shard K/N`) and writes OUT/corpus.sqlite with all
 *	their documents and messages, grouped and threaded across the shards
 *	(corpus/corpusdb.c, corpusidx.c): the same groups and threads as one
 *	run over every input.  CONFIG gives [corpus] near-threshold and
 *	shingle (the runs' configuration).  OUT is made when missing; its
 *	corpus.sqlite is replaced atomically, and only it: the shards'
 *	outputs and ledgers stay where they are.
 *
 * SECURITY
 *	The shard databases are read, never written; they hold only redacted
 *	values and hashes, and so does the result.
 *
 * EXIT STATUS
 *	0 merged; 64 usage; 66 a shard has no corpus database; 73 OUT cannot
 *	be made; 74 a database cannot be read or written; 78 configuration.
 */
#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/config.h"
#include "corpus/corpusdb.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/banned.h"

/* Whether paths A and B are the same directory. */
static gboolean
same_dir(const char *a, const char *b)
{
	g_autofree char *ra = realpath(a, NULL);
	g_autofree char *rb = realpath(b, NULL);
	return ra != NULL && rb != NULL && g_str_equal(ra, rb);
}

static int
merge(DpConfig *cfg, char **shards, int n, const char *out, gboolean quiet)
{
	g_autoptr(GError) error = NULL;
	if (g_mkdir_with_parents(out, 0777) != 0) {
		int e = errno;
		dp_warn("cannot create '%s': %s", out, g_strerror(e));
		return DP_EXIT_CANTCREAT;
	}
	for (int i = 0; i < n; i++) {
		if (same_dir(shards[i], out)) {
			dp_warn("OUT '%s' must not be one of the shards", out);
			return DP_EXIT_USAGE;
		}
	}
	g_autofree char *final = g_build_filename(out, DP_CORPUS_DB_FILE, NULL);
	g_autofree char *tmp = g_strdup_printf("%s.tmp-%d", final, (int)getpid());
	unlink(tmp);
	g_autoptr(DpCorpusDb) db = dp_corpus_db_open(tmp, TRUE, NULL, &error);
	gboolean ok = db != NULL;
	for (int i = 0; ok && i < n; i++) {
		g_autofree char *path = g_build_filename(shards[i], DP_CORPUS_DB_FILE, NULL);
		ok = dp_corpus_db_merge_from(db, path, &error);
	}
	int threshold = (int)dp_config_get_int(cfg, "corpus", "near-threshold");
	int shingle = (int)dp_config_get_int(cfg, "corpus", "shingle");
	g_autoptr(GString) stats = g_string_new(NULL);
	ok = ok && dp_corpus_db_update(db, threshold, shingle, stats, &error);
	/* Closing checkpoints the write-ahead log into the file, which can then be renamed. */
	g_clear_pointer(&db, dp_corpus_db_close);
	if (ok && rename(tmp, final) != 0) {
		int e = errno;
		g_set_error(&error, DP_ERROR, DP_EXIT_IOERR, "cannot rename '%s': %s", tmp, g_strerror(e));
		ok = FALSE;
	}
	if (!ok) {
		unlink(tmp);
		dp_warn("%s", error->message);
		return error->code == DP_EXIT_NOINPUT ? DP_EXIT_NOINPUT : DP_EXIT_IOERR;
	}
	/* The summary goes to stderr, as docpipe run's does. */
	if (!quiet)
		dp_warn("merged %d shard%s into '%s': %s", n, n == 1 ? "" : "s", final, stats->str);
	return DP_EXIT_OK;
}

int
dp_cmd_merge(int argc, char **argv)
{
	g_autofree char *opt_config = NULL;
	gboolean opt_quiet = FALSE;
	const GOptionEntry options[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
		  "[corpus] near-threshold and shingle from FILE (the runs' configuration)", "FILE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No summary line", NULL },
		G_OPTION_ENTRY_NULL,
	};
	if (!dp_cmd_parse("merge", "OUT1 OUT2 ... OUT - merge the corpus databases of shards into OUT",
	                  "Writes OUT/corpus.sqlite with the documents and messages of every\n"
	                  "OUTn/corpus.sqlite, duplicates grouped and messages threaded across\n"
	                  "them, as one run over all the inputs would.\n"
	                  "Exit status: 0 ok, 64 usage, 66 a shard has no corpus database,\n"
	                  "73 OUT cannot be made, 74 a database cannot be read or written,\n"
	                  "78 configuration error.",
	                  options, &argc, &argv))
		return DP_EXIT_USAGE;
	if (argc < 3)
		return dp_cmd_usage("merge", "expected at least one shard OUTn and the OUT to write");
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	if (cfg == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	return merge(cfg, argv + 1, argc - 2, argv[argc - 1], opt_quiet);
}
