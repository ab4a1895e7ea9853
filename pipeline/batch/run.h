/*
 * run.h: the engine of `docpipe run` (batch/run.c).  The command line is
 * parsed by cmd/cmd-run.c, which fills a DpRunOptions and calls
 * dp_run_execute().
 */
#ifndef DOCPIPE_RUN_H
#define DOCPIPE_RUN_H

#include <glib.h>

/* What a run was asked to do: the options and operands of `docpipe run`. */
typedef struct {
	const char *in, *out;   /* IN and OUT, as given */
	const char *config;     /* -c FILE; NULL: the usual search (core/config.h) */
	const char *files_from; /* --files-from FILE ("-": stdin); NULL: walk IN */
	int jobs;               /* -j N; 0 or less: [run] jobs, else the CPUs */
	guint shard_k, shard_n; /* --shard K/N, 1 <= K <= N; 1/1: every input */
	gboolean prune;         /* remove outputs and ledger rows of inputs gone */
	gboolean retry_failed;  /* convert again the inputs that failed before */
	gboolean wait;          /* wait for the lock instead of failing with 75 */
	gboolean json;          /* print the JSON summary on standard output */
	gboolean quiet;         /* no progress or summary unless something failed */
	gboolean no_redact;     /* [redact] enabled=false */
	const char *ocr_mode;   /* --ocr "always", --no-ocr "never": [ocr] mode; NULL: as configured */
	gboolean reocr;         /* convert everything again when the OCR engine or its data changed */
} DpRunOptions;

/*
 * Run the batch OPTS describes: configuration, the lock on OUT, the
 * ledger, the walk of IN, the workers, the summary.  Diagnostics go to
 * standard error, the --json summary to standard output.  Returns the exit
 * code of `docpipe run` (docpipe(1)).  Call it once per process: it
 * installs handlers for SIGINT, SIGTERM, SIGCHLD and SIGPIPE.
 */
int dp_run_execute(const DpRunOptions *opts);

#endif
