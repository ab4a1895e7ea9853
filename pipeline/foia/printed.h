/*
 * printed.h: e-mail messages printed on paper (and released as PDF or
 * scanned), found in a document's text: the Outlook header block
 * (From:/Sent:/To:/Cc:/Subject:/Attachments:), the "-----Original
 * Message-----", "---------- Forwarded message ----------" and "On ...
 * wrote:" separators, OCR-damaged labels.
 */
#ifndef DOCPIPE_PRINTED_H
#define DOCPIPE_PRINTED_H

#include <glib.h>

/* One printed message, in document order (newest first, as printed). */
typedef struct {
	char *from, *to, *cc, *bcc; /* as printed, whitespace collapsed; NULL when absent */
	char *subject;
	char *sent;        /* the date line as printed */
	char *date;        /* ISO 8601 when the printed date parses (see ZONE), else NULL */
	char *attachments; /* the Attachments: line */
	char *withheld;    /* redaction marks found in the header: "from B6; cc B6", or NULL */
	char *body;        /* the message's text, up to the next message */
	gsize offset;      /* byte offset of the message's first header line in the text */
} DpPrintedMessage;

void dp_printed_message_free(DpPrintedMessage *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpPrintedMessage, dp_printed_message_free)

/*
 * Split TEXT (LEN bytes of normalized UTF-8, pages separated by form feeds,
 * furniture already removed) into printed messages.  Returns an array of
 * DpPrintedMessage (freeing its elements), empty when TEXT is not printed
 * e-mail (a memo with To: and Subject:, an article quoting a From: line).
 * ZONE is the time zone of printed dates that name none (an offset or a
 * tz name; NULL: no offset, the local time as printed).
 * Linear in LEN.
 */
GPtrArray *dp_printed_parse(const char *text, gsize len, const char *zone);

#endif
