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

/*
 * A printed message's fields, in the order the FOIA pass records them
 * (meta.NAME, extract/foia-pass.c); dp_printed_field_names[] names them.
 * The values as printed have their white space collapsed.
 */
typedef enum {
	DP_PRINTED_FROM,
	DP_PRINTED_TO,
	DP_PRINTED_CC,
	DP_PRINTED_BCC,
	DP_PRINTED_SUBJECT,
	DP_PRINTED_DATE,        /* ISO 8601 when the printed date parses (see ZONE), else NULL */
	DP_PRINTED_SENT,        /* the date line as printed */
	DP_PRINTED_ATTACHMENTS, /* the Attachments: line */
	DP_PRINTED_WITHHELD,    /* redaction marks found in the header: "from B6; cc B6" */
	DP_PRINTED_BODY,        /* the message's text, up to the next message */
	DP_PRINTED_N_FIELDS
} DpPrintedField;

extern const char *const dp_printed_field_names[DP_PRINTED_N_FIELDS];

/* One printed message, in document order (newest first, as printed). */
typedef struct {
	char *field[DP_PRINTED_N_FIELDS]; /* NULL when absent */
	gsize offset;                     /* byte offset of the message's first header line in the text */
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
