/*
 * stage.h: the start-up the stage executables (stages/) and `docpipe
 * convert` share: their common options, the configuration with the
 * options' overrides applied, the redactor, and the loop over the records
 * on standard input.
 *
 * A program describes its command line in one DpStageSpec, its options in
 * the order --help shows them, the common ones through the
 * DP_STAGE_OPTION_* entries, which store into a DpStage; one call then
 * parses it and loads what the program needs:
 *
 *	static DpStage stage;
 *	static const DpStageSpec spec = {
 *		"- what it does",
 *		(const GOptionEntry[]){ DP_STAGE_OPTION_CONFIG(&stage),
 *					{ "xml", 'x', ... },
 *					G_OPTION_ENTRY_NULL },
 *		"Exit status: ...",
 *		DP_STAGE_RECORDS_ONLY,
 *	};
 *	g_autoptr(DpConfig) cfg = NULL;
 *	int code = dp_stage_start(&stage, &spec, &cfg, NULL, &argc, &argv);
 */
#ifndef DOCPIPE_STAGE_H
#define DOCPIPE_STAGE_H

#include <glib.h>
#include "core/config.h"
#include "core/record.h"
#include "redact/redact.h"

/* The common options' values, as parsed. */
typedef struct {
	char *config; /* -c FILE */
	gboolean no_redact;
	char **passwords; /* -p PW, repeatable */
	char *first_page; /* -f N */
	char *last_page;  /* -l N */
	gboolean ocr;     /* --ocr: [ocr] mode=always */
	gboolean no_ocr;  /* --no-ocr: [ocr] mode=never (wins over --ocr) */
} DpStage;

#define DP_STAGE_OPTION_CONFIG(st)                                                                                     \
	{                                                                                                              \
		"config", 'c', 0, G_OPTION_ARG_FILENAME, &(st)->config, "Read the configuration from FILE", "FILE"     \
	}
/* HELP: what the option means for this program. */
#define DP_STAGE_OPTION_NO_REDACT(st, help)                                                                            \
	{                                                                                                              \
		"no-redact", 0, 0, G_OPTION_ARG_NONE, &(st)->no_redact, help, NULL                                     \
	}
#define DP_STAGE_OPTION_PASSWORD(st)                                                                                   \
	{                                                                                                              \
		"password", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &(st)->passwords,                                       \
		    "Try PW on encrypted documents (repeatable)", "PW"                                                 \
	}
#define DP_STAGE_OPTION_FIRST_PAGE(st)                                                                                 \
	{                                                                                                              \
		"first-page", 'f', 0, G_OPTION_ARG_STRING, &(st)->first_page,                                          \
		    "PDF: start at page N ([pdf] first-page)", "N"                                                     \
	}
#define DP_STAGE_OPTION_LAST_PAGE(st)                                                                                  \
	{                                                                                                              \
		"last-page", 'l', 0, G_OPTION_ARG_STRING, &(st)->last_page,                                            \
		    "PDF: stop after page N ([pdf] last-page)", "N"                                                    \
	}
#define DP_STAGE_OPTION_OCR(st)                                                                                        \
	{                                                                                                              \
		"ocr", 0, 0, G_OPTION_ARG_NONE, &(st)->ocr, "Read every page and image by OCR ([ocr] mode=always)",    \
		    NULL                                                                                               \
	}
#define DP_STAGE_OPTION_NO_OCR(st)                                                                                     \
	{                                                                                                              \
		"no-ocr", 0, 0, G_OPTION_ARG_NONE, &(st)->no_ocr, "No OCR ([ocr] mode=never)", NULL                    \
	}

/* What a program takes besides options. */
typedef enum {
	DP_STAGE_ARGS = 0,         /* paths or other arguments */
	DP_STAGE_RECORDS_ONLY = 1, /* none: records come on standard input */
} DpStageArgs;

/* A program's command line, as --help shows it. */
typedef struct {
	const char *parameter;       /* --help's first line, after the program's name */
	const GOptionEntry *options; /* in --help's order, ending with G_OPTION_ENTRY_NULL */
	const char *description;     /* --help's closing text */
	DpStageArgs args;            /* whether arguments are taken */
} DpStageSpec;

/*
 * Name the program after ARGV[0] (unless docpipe has named its built-in
 * subcommand already), parse the command line by SPEC into ST and, when
 * CFG is given, load what the program needs as dp_stage_setup() does.
 * DP_EXIT_OK, else the code to exit with after saying why on stderr:
 * DP_EXIT_USAGE for the command line, DP_EXIT_CONFIG for the
 * configuration.
 */
int dp_stage_start(DpStage *st, const DpStageSpec *spec, DpConfig **cfg, DpRedactor **rd, int *argc, char ***argv);

/*
 * The [foia] patterns files of CFG compile (dp_stage_setup checks them;
 * `docpipe run` loads its configuration itself and calls this too).
 */
gboolean dp_stage_check_foia(const DpConfig *cfg, GError **error);

/*
 * Into *CFG the configuration (-c FILE, or the usual places) with the
 * overrides of the options given: --no-redact is [redact] enabled=false,
 * -f and -l are [pdf] first-page and last-page, --ocr and --no-ocr are
 * [ocr] mode=always and mode=never.  When RD is given, into *RD the
 * redactor of that configuration: NULL when redaction is off, so that
 * nothing of it is built.  DP_EXIT_OK, or DP_EXIT_CONFIG after saying
 * why on stderr.  For a program that checks its arguments before it
 * reads the configuration; the others have dp_stage_start() call it.
 */
int dp_stage_setup(const DpStage *st, DpConfig **cfg, DpRedactor **rd);

/* The passwords of -p, handed over (the caller frees them). */
char **dp_stage_steal_passwords(DpStage *st);

/* Called with each record read; FALSE (ERROR set) stops the loop. */
typedef gboolean (*DpStageRecordFn)(DpRecord *rec, gpointer user, GError **error);

/*
 * Read the records on standard input to the end, each handed to FN.
 * FALSE when the stream is bad (said on stderr, and *STREAM_CODE set to
 * the exit code that says how) or when FN failed (*STREAM_CODE 0, ERROR
 * set by FN).
 */
gboolean dp_stage_each_record(DpStageRecordFn fn, gpointer user, int *stream_code, GError **error);

/*
 * The end of a program writing to standard output: when OK, standard
 * output is closed, which reports a late write error.  Then, when
 * anything failed, ERROR is said on stderr and FAIL_CODE is returned, or
 * ERROR's own code when FAIL_CODE is 0; else CODE.
 */
int dp_stage_finish(gboolean ok, GError **error, int fail_code, int code);

#endif
