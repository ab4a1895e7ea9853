/*
 * run.h: `docpipe run` (the batch driver) and `docpipe status` (its
 * report), called from the front command.
 */
#ifndef DOCPIPE_RUN_H
#define DOCPIPE_RUN_H

#include <glib.h>

/* docpipe run [options] IN OUT; ARGV[0] is "run".  Returns the exit code. */
int dp_run_main(int argc, char **argv);
/* docpipe status [--json] OUT...; ARGV[0] is "status". */
int dp_status_main(int argc, char **argv);

/* Append S to OUT as a JSON string (quoted, escaped; invalid UTF-8 replaced). */
void dp_json_string(GString *out, const char *s);

#endif
