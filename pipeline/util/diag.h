/*
 * diag.h: diagnostics on stderr, "docpipe-x: message".
 */
#ifndef DOCPIPE_DIAG_H
#define DOCPIPE_DIAG_H

#include <glib.h>

/* The program name used in diagnostics, set once by main(). */
void dp_set_prgname(const char *argv0);
/* "docpipe-x: message\n" on stderr. */
void dp_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
