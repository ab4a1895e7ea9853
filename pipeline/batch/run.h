/*
 * run.h: `docpipe run` (the batch driver) and `docpipe status` (its
 * report), called from the front command.
 */
#ifndef DOCPIPE_RUN_H
#define DOCPIPE_RUN_H

#include <glib.h>

/* docpipe run [options] IN OUT; ARGV[0] is "run".  Returns the exit code. */
int dp_run_main(int argc, char **argv);


#endif
