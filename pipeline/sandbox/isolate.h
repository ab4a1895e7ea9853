/*
 * isolate.h: extraction of one input in a forked, sandboxed child.
 *
 * The parent has read (or mapped) the input and detected its type; the
 * child inherits those bytes through fork(), locks itself down (sandbox.h),
 * runs dp_extract() and writes the records to a pipe.  The parent reads them
 * with the record reader, checks them, and hands each to the context's emit
 * function as if extraction had run in-process.  A child that crashes, hits
 * a limit, runs past the timeout or writes a bad stream becomes a record
 * with status "error" or "limit" and a reason; the run goes on.
 */
#ifndef DOCPIPE_ISOLATE_H
#define DOCPIPE_ISOLATE_H

#include <glib.h>
#include "core/config.h"
#include "core/record.h"
#include "extract/extract.h"
#include "sandbox/sandbox.h"

typedef struct {
	gboolean enabled; /* [sandbox] enabled */
	guint64 timeout;  /* [limits] timeout, wall-clock seconds; 0: none */
	DpSandboxLimits limits;
} DpIsolateOpts;

void dp_isolate_opts_from_config(const DpConfig *cfg, DpIsolateOpts *opts);

/*
 * Extract the document described by the detect record IN, whose bytes are
 * DATA, in a child process; every record goes to CTX->emit in the parent.
 * FALSE only when CTX->emit failed (the output) or the child could not be
 * started at all; everything the document does is a status.
 */
gboolean dp_isolate_extract(DpExtractCtx *ctx, const DpIsolateOpts *opts, const DpRecord *in, GBytes *data,
                            GError **error);

/*
 * The test-only switch DOCPIPE_SANDBOX_TEST=ACTION[:SUBSTRING]: the child
 * extracting an input whose path contains SUBSTRING (every input when
 * omitted) does ACTION after entering the sandbox instead of extracting.
 * ACTION is one of open-write, socket, exec, fork, ptrace (forbidden calls),
 * spin (CPU), sleep (wall clock), alloc (memory), crash (SIGSEGV), garbage
 * (a bad record stream).  Exposed for the tests only.
 */
#define DP_SANDBOX_TEST_ENV "DOCPIPE_SANDBOX_TEST"

#endif
