/*
 * NAME
 *	msg.c - Outlook .msg messages
 */
#include "extract/ole.h"
#include "util/exitcode.h"

#include "util/banned.h"

gboolean
dp_ole_msg(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "not yet");
	return TRUE;
}
