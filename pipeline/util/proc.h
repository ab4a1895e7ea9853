/*
 * proc.h: finding and running other programs.
 */
#ifndef DOCPIPE_PROC_H
#define DOCPIPE_PROC_H

#include <glib.h>

/* Look for the program PROG beside SELF (argv[0]'s directory), then on PATH. */
char *dp_find_program(const char *self, const char *prog);

#endif
