/*
 * NAME
 *	cmd-run.c - `docpipe run`: the command line of incremental, parallel,
 *	isolated batch runs
 *
 * SYNOPSIS
 *	docpipe run [-j N] [--shard K/N] [--files-from FILE|-] [--prune]
 *	            [--retry-failed] [--wait] [--json] [-q] [-c CONFIG]
 *	            [--no-redact] [--ocr|--no-ocr] [--reocr] IN OUT
 *
 * DESCRIPTION
 *	Parses the options and hands them to the engine, dp_run_execute()
 *	(batch/run.c), which converts every regular file below IN (a sorted
 *	walk, or the list from --files-from) into OUT/<path>.txt and
 *	OUT/<path>.xml, skipping what the ledger (OUT/.docpipe/ledger.sqlite)
 *	shows as done with the same content, configuration and docpipe
 *	version.  --ocr and --no-ocr set [ocr] mode (always, never); the
 *	ledger also records the OCR engine and its language data, and
 *	--reocr converts everything again when they changed.  Only usage
 *	errors are found here; batch/run.c says how the workers are
 *	isolated.
 *
 * EXIT STATUS
 *	0 every input converted (or unsupported, or unchanged); 65 some
 *	inputs failed in this run; 64 usage; 66 IN, or an input, cannot be
 *	read (it vanished, shrank or was replaced while the run read it);
 *	74 the ledger cannot be written; 75 another run holds the lock; 78 bad
 *	configuration; 130/143 interrupted by SIGINT/SIGTERM.
 */
#include "batch/run.h"
#include "cmd/cmd.h"
#include "cmd/options.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* "K/N" with 1 <= K <= N. */
static gboolean
parse_shard(const char *s, guint *k, guint *n)
{
	guint64 a, b;
	g_auto(GStrv) p = g_strsplit(s, "/", 2);
	if (p[0] == NULL || p[1] == NULL || !g_ascii_string_to_unsigned(p[0], 10, 1, G_MAXUINT32, &a, NULL) ||
	    !g_ascii_string_to_unsigned(p[1], 10, 1, G_MAXUINT32, &b, NULL) || a > b)
		return FALSE;
	*k = (guint)a;
	*n = (guint)b;
	return TRUE;
}

/* ARGV with "-j8" split into "-j" "8", as make and xargs users type it and GOption does not take it. */
static GPtrArray *
split_jobs_option(int argc, char **argv)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < argc; i++) {
		if (g_str_has_prefix(argv[i], "-j") && argv[i][2] != '\0' && g_ascii_isdigit(argv[i][2])) {
			g_ptr_array_add(args, g_strdup("-j"));
			g_ptr_array_add(args, g_strdup(argv[i] + 2));
		} else {
			g_ptr_array_add(args, g_strdup(argv[i]));
		}
	}
	return args;
}

int
dp_cmd_run(int argc, char **argv)
{
	int opt_jobs = -1;
	gboolean opt_prune = FALSE, opt_retry = FALSE, opt_wait = FALSE, opt_json = FALSE, opt_quiet = FALSE;
	gboolean opt_no_redact = FALSE, opt_ocr = FALSE, opt_no_ocr = FALSE, opt_reocr = FALSE;
	g_autofree char *opt_config = NULL, *opt_files_from = NULL, *opt_shard = NULL;
	const GOptionEntry options[] = {
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &opt_jobs, "Run N workers (default: [run] jobs, else the CPUs)",
		  "N" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &opt_shard, "Take only shard K of N (1 <= K <= N)", "K/N" },
		{ "files-from", 'T', 0, G_OPTION_ARG_FILENAME, &opt_files_from,
		  "Read the inputs from FILE (NUL- or newline-separated; - is stdin) instead of walking IN", "FILE" },
		{ "prune", 0, 0, G_OPTION_ARG_NONE, &opt_prune, "Remove outputs and ledger rows of inputs gone", NULL },
		{ "retry-failed", 0, 0, G_OPTION_ARG_NONE, &opt_retry, "Convert again the inputs that failed", NULL },
		{ "wait", 0, 0, G_OPTION_ARG_NONE, &opt_wait, "Wait for the lock instead of exiting with 75", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print a JSON summary on standard output", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No progress or summary unless something failed",
		  NULL },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
		{ "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact, "Do not redact", NULL },
		{ "ocr", 0, 0, G_OPTION_ARG_NONE, &opt_ocr, "Read every page and image by OCR ([ocr] mode=always)",
		  NULL },
		{ "no-ocr", 0, 0, G_OPTION_ARG_NONE, &opt_no_ocr, "No OCR ([ocr] mode=never)", NULL },
		{ "reocr", 0, 0, G_OPTION_ARG_NONE, &opt_reocr,
		  "Convert everything again if the OCR engine or its language data changed", NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GPtrArray) args = split_jobs_option(argc, argv);
	argc = (int)args->len;
	g_ptr_array_add(args, NULL);
	/* GOption removes what it parses from the vector, not from ARGS, which frees the strings. */
	g_autofree char **argv_owned = g_memdup2(args->pdata, sizeof(char *) * args->len);
	argv = argv_owned;
	if (!dp_cmd_parse(
	        "run", "IN OUT - convert a tree incrementally",
	        "Converts every file below IN into OUT/<path>.txt and OUT/<path>.xml, in parallel\n"
	        "isolated workers, skipping inputs the ledger OUT/.docpipe/ledger.sqlite shows as done.\n"
	        "Exit status: 0 ok, 65 some inputs failed, 64 usage, 66 IN or an input unreadable, 74 ledger\n"
	        "write error, 75 another run holds the lock, 78 configuration error,\n"
	        "130/143 interrupted.  See docpipe(1) and README \"Batch runs\".",
	        options, &argc, &argv))
		return DP_EXIT_USAGE;
	if (argc != 3)
		return dp_cmd_usage("run", "expected IN and OUT");
	DpRunOptions o = { .in = argv[1],
		           .out = argv[2],
		           .config = opt_config,
		           .files_from = opt_files_from,
		           .jobs = opt_jobs,
		           .shard_k = 1,
		           .shard_n = 1,
		           .prune = opt_prune,
		           .retry_failed = opt_retry,
		           .wait = opt_wait,
		           .json = opt_json,
		           .quiet = opt_quiet,
		           .no_redact = opt_no_redact,
		           /* Both given: --no-ocr wins, as in `docpipe convert`. */
		           .ocr_mode = opt_no_ocr ? "never"
		                       : opt_ocr  ? "always"
		                                  : NULL,
		           .reocr = opt_reocr };
	if (opt_shard != NULL && !parse_shard(opt_shard, &o.shard_k, &o.shard_n)) {
		dp_warn("bad --shard '%s': expected K/N with 1 <= K <= N", opt_shard);
		return DP_EXIT_USAGE;
	}
	if (opt_jobs == 0 || opt_jobs > 1024) {
		dp_warn("bad -j %d: expected 1 to 1024", opt_jobs);
		return DP_EXIT_USAGE;
	}
	return dp_run_execute(&o);
}
