/*
 * redcount.h: the redaction counts of many inputs added up, by rule and
 * channel (batch/redcount.c), for docpipe run's summary and docpipe
 * status.  Counts only: no value is ever held.
 */
#ifndef DOCPIPE_REDCOUNT_H
#define DOCPIPE_REDCOUNT_H

#include <glib.h>

typedef struct DpRedCount DpRedCount;

DpRedCount *dp_redcount_new(void);
void dp_redcount_free(DpRedCount *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpRedCount, dp_redcount_free)

/* Add one input's counts, a ledger row's "RULE=N RULE.CHANNEL=N ..." (worker.c). */
void dp_redcount_add(DpRedCount *c, const char *value);

/* Whether anything was counted. */
gboolean dp_redcount_any(const DpRedCount *c);

/*
 * Append the counts to OUT, rules sorted by name, channels after each:
 * as lines "  RULE         N (body N, header N)\n" (LINES), or on one line
 * as "RULE N (body N, header N), RULE N (...)".
 */
void dp_redcount_text(const DpRedCount *c, GString *out, gboolean lines);

/* Append the counts to OUT as a JSON object: {"RULE": {"total": N, "body": N}, ...}. */
void dp_redcount_json(const DpRedCount *c, GString *out);

#endif
