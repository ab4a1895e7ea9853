/*
 * exitcode.h: the one exit-code table of every docpipe executable, and the
 * error domain used by library code.  Values follow sysexits(3).
 */
#ifndef DOCPIPE_EXITCODE_H
#define DOCPIPE_EXITCODE_H

#include <glib.h>

typedef enum {
	DP_EXIT_OK = 0,         /* every input converted (or unsupported) */
	DP_EXIT_USAGE = 64,     /* bad command line */
	DP_EXIT_DATAERR = 65,   /* an input was malformed or failed; others went on */
	DP_EXIT_NOINPUT = 66,   /* an input could not be opened or read */
	DP_EXIT_SOFTWARE = 70,  /* internal error, a stage crashed */
	DP_EXIT_OSERR = 71,     /* fork, exec or another system call failed */
	DP_EXIT_CANTCREAT = 73, /* an output could not be created */
	DP_EXIT_IOERR = 74,     /* write error (disk full, broken pipe) */
	DP_EXIT_TEMPFAIL = 75,  /* try again later: the output lock is held */
	DP_EXIT_PROTOCOL = 76,  /* the record stream between stages is invalid */
	DP_EXIT_NOPERM = 77,    /* an input is encrypted and no password works */
	DP_EXIT_CONFIG = 78,    /* bad configuration file or value */
} DpExit;

/* Error domain of library functions; the codes are DpExit values. */
#define DP_ERROR (dp_error_quark())
GQuark dp_error_quark(void);

/* TRUE when a run that ended with CODE may succeed if simply retried. */
gboolean dp_exit_is_temporary(int code);

/* A short name for CODE ("ok", "dataerr", ...), for logs and --json. */
const char *dp_exit_name(int code);

/*
 * Combine two exit codes of one run: the more serious wins, so that a run
 * that saw one malformed and one unreadable input reports the unreadable one.
 */
int dp_exit_merge(int a, int b);

/* Document status values carried by records and the ledger. */
#define DP_STATUS_OK "ok"
#define DP_STATUS_PARTIAL "partial"         /* some text recovered, with errors */
#define DP_STATUS_ERROR "error"             /* nothing could be extracted */
#define DP_STATUS_UNSUPPORTED "unsupported" /* no extractor for this type */
#define DP_STATUS_ENCRYPTED "encrypted"     /* no working password */
#define DP_STATUS_LIMIT "limit"             /* a size, depth or time limit hit */
#define DP_STATUS_SKIPPED "skipped"         /* not a regular file (FIFO, device) */

/* The exit code a document with STATUS contributes to its run. */
int dp_status_exit_code(const char *status);

#endif
