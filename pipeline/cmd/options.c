/*
 * NAME
 *	options.c - the command line of a `docpipe` subcommand
 *
 * DESCRIPTION
 *	What every subcommand does before its own work: name the program
 *	"docpipe NAME" (messages and --help say which subcommand spoke),
 *	parse its options with GOption, and turn a bad command line into one
 *	line on standard error and exit code 64, so that each says it alike.
 */
#include "cmd/options.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include "util/banned.h"

gboolean
dp_cmd_parse(const char *name, const char *parameter, const char *description, const GOptionEntry *options, int *argc,
             char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new(parameter);
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, description);
	g_autofree char *prgname = g_strconcat("docpipe ", name, NULL);
	dp_set_prgname(prgname);
	if (!g_option_context_parse(octx, argc, argv, &error)) {
		dp_warn("%s", error->message);
		return FALSE;
	}
	return TRUE;
}

int
dp_cmd_usage(const char *name, const char *what)
{
	dp_warn("%s; see 'docpipe %s --help'", what, name);
	return DP_EXIT_USAGE;
}
