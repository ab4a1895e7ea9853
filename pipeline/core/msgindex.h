/*
 * msgindex.h: the message index, one row per message (a real one, or one
 * printed in a document's text) with its document's FOIA furniture, as a
 * tab-separated table a researcher loads into a spreadsheet.  Fed the
 * records that are written out (redacted), in the order of the record
 * stream.
 */
#ifndef DOCPIPE_MSGINDEX_H
#define DOCPIPE_MSGINDEX_H

#include <glib.h>

#include "core/record.h"

typedef struct DpMsgIndex DpMsgIndex;

DpMsgIndex *dp_msgindex_new(void);
void dp_msgindex_free(DpMsgIndex *ix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpMsgIndex, dp_msgindex_free)

/* The header line of the table, with its newline. */
const char *dp_msgindex_header(void);

/*
 * Take REC, the next record of the stream (parents before their parts):
 * a message (message/rfc822 or message/x-printed) gets a row, any other
 * record may hold the furniture its messages inherit.
 */
void dp_msgindex_add(DpMsgIndex *ix, const DpRecord *rec);

/* The rows added since the last call (without the header), taken over by the caller. */
GString *dp_msgindex_take_rows(DpMsgIndex *ix);

#endif
