/*
 * options.h: the command line of a `docpipe` subcommand, parsed the same
 * way by each of them.
 */
#ifndef DOCPIPE_CMD_OPTIONS_H
#define DOCPIPE_CMD_OPTIONS_H

#include <glib.h>

/*
 * Names the program "docpipe NAME" for messages and --help, then parses
 * OPTIONS out of ARGC and ARGV; PARAMETER is the --help line after the
 * program name, DESCRIPTION the text after the options.  On an unknown
 * option or a bad value, says so in one line and returns FALSE: the
 * caller exits with DP_EXIT_USAGE.
 */
gboolean dp_cmd_parse(const char *name, const char *parameter, const char *description, const GOptionEntry *options,
                      int *argc, char ***argv);

/*
 * Says "WHAT; see 'docpipe NAME --help'" (WHAT: the operands expected)
 * and returns DP_EXIT_USAGE, for the caller to return.
 */
int dp_cmd_usage(const char *name, const char *what);

#endif
