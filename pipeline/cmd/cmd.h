/*
 * cmd.h: the subcommands of the docpipe front command, one file each.
 * Each takes the arguments after "docpipe" (ARGV[0] is the subcommand's
 * name) and returns the exit code.
 */
#ifndef DOCPIPE_CMD_H
#define DOCPIPE_CMD_H

/* docpipe convert [options] FILE...|- */
int dp_cmd_convert(int argc, char **argv);
/* docpipe config [-c CONFIG] */
int dp_cmd_config(int argc, char **argv);
/* docpipe run [options] IN OUT (the engine is batch/run.c) */
int dp_cmd_run(int argc, char **argv);
/* docpipe status [--json] OUT... */
int dp_cmd_status(int argc, char **argv);
/* docpipe report [-o FILE] OUT (the page is report/report.c) */
int dp_cmd_report(int argc, char **argv);
/* docpipe dups [--json] OUT (the database is corpus/corpusdb.c) */
int dp_cmd_dups(int argc, char **argv);
/* docpipe threads [--json] OUT */
int dp_cmd_threads(int argc, char **argv);
/* docpipe merge [-c CONFIG] OUT1 OUT2 ... OUT */
int dp_cmd_merge(int argc, char **argv);

#endif
