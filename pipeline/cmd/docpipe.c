/*
 * NAME
 *	docpipe - batch document conversion and redaction
 *
 * SYNOPSIS
 *	docpipe convert [--xml] [-c CONFIG] [--no-redact] [-o DIR] [-p PW]...
 *			[-f N] [-l N] FILE...|-
 *	docpipe config [-c CONFIG]
 *	docpipe run [options] IN OUT
 *	docpipe status [--json] OUT...
 *	docpipe dups [--json] OUT
 *	docpipe threads [--json] OUT
 *	docpipe merge [-c CONFIG] OUT1 OUT2 ... OUT
 *	docpipe report [-o FILE] OUT
 *	docpipe STAGE [ARGS...]
 *
 * DESCRIPTION
 *	The front command.  "convert" runs detect, extract, redact and emit
 *	in one process and writes text (or XML) to standard output, or both
 *	into DIR.  "config" prints the effective configuration and where
 *	each value came from.  "run" converts a tree incrementally, in
 *	parallel workers (cmd/cmd-run.c over batch/run.c), and "status" says
 *	what the ledgers of such runs hold.  "dups" and "threads" list the
 *	duplicate groups and message threads of a run's corpus database,
 *	"merge" merges the databases of shards, and "report" draws a run's
 *	corpus database as one HTML page.  Any other command runs
 *	docpipe-COMMAND, found beside this program, then on PATH (git
 *	style).
 *
 * EXIT STATUS
 *	The table in docpipe(1): 0 ok, 64 usage, 65 a document failed, 66 an
 *	input could not be read, 77 encrypted, 78 configuration, 74 I/O.
 */
#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/proc.h"

#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static const char *self_path;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: docpipe convert [--xml] [-c CONFIG] [--no-redact] [-o DIR] [-p PW]... [-f N] [-l N]\n"
	            "                       FILE...|-\n"
	            "       docpipe config [-c CONFIG]\n"
	            "       docpipe run [-j N] [--shard K/N] [--files-from FILE] [--prune] IN OUT\n"
	            "       docpipe status [--json] OUT...\n"
	            "       docpipe dups [--json] OUT\n"
	            "       docpipe threads [--json] OUT\n"
	            "       docpipe merge [-c CONFIG] OUT1 OUT2 ... OUT\n"
	            "       docpipe report [-o FILE] OUT\n"
	            "       docpipe STAGE [ARGS...]   (detect, extract, redact, emit)\n"
	            "       docpipe --version\n"
	            "\n"
	            "Run 'docpipe COMMAND --help' for the options of a command; man docpipe for the rest.\n");
}

/* git-style: "docpipe foo ARGS" runs docpipe-foo ARGS. */
static int
dispatch(int argc, char **argv)
{
	g_autofree char *name = g_strconcat("docpipe-", argv[1], NULL);
	if (strchr(argv[1], '/') != NULL) {
		dp_warn("'%s' is not a docpipe command", argv[1]);
		return DP_EXIT_USAGE;
	}
	g_autofree char *prog = dp_find_program(self_path, name);
	if (prog == NULL) {
		dp_warn("'%s' is not a docpipe command; see 'docpipe --help'", argv[1]);
		return DP_EXIT_USAGE;
	}
	argv[1] = prog;
	execv(prog, argv + 1);
	int e = errno;
	dp_warn("cannot run '%s': %s", prog, g_strerror(e));
	return DP_EXIT_OSERR;
}

int
main(int argc, char **argv)
{
	self_path = argv[0];
	dp_set_prgname(argv[0]);
	if (argc < 2) {
		usage(stderr);
		return DP_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (g_str_equal(cmd, "--help") || g_str_equal(cmd, "-h") || g_str_equal(cmd, "help")) {
		usage(stdout);
		return DP_EXIT_OK;
	}
	if (g_str_equal(cmd, "--version")) {
		printf("docpipe %s\n", DOCPIPE_VERSION);
		return DP_EXIT_OK;
	}
	if (g_str_equal(cmd, "convert")) {
		dp_set_prgname("docpipe convert");
		return dp_cmd_convert(argc - 1, argv + 1);
	}
	if (g_str_equal(cmd, "config")) {
		dp_set_prgname("docpipe config");
		return dp_cmd_config(argc - 1, argv + 1);
	}
	if (g_str_equal(cmd, "run"))
		return dp_cmd_run(argc - 1, argv + 1);
	if (g_str_equal(cmd, "status"))
		return dp_cmd_status(argc - 1, argv + 1);
	if (g_str_equal(cmd, "dups"))
		return dp_cmd_dups(argc - 1, argv + 1);
	if (g_str_equal(cmd, "threads"))
		return dp_cmd_threads(argc - 1, argv + 1);
	if (g_str_equal(cmd, "merge"))
		return dp_cmd_merge(argc - 1, argv + 1);
	if (g_str_equal(cmd, "report"))
		return dp_cmd_report(argc - 1, argv + 1);
	return dispatch(argc, argv);
}
