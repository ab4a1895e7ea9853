/*
 * pst.h: the two halves of docpipe-pst.so.  extract/pst.c walks the
 * folders of a PST/OST file; extract/pst-message.c makes each message an
 * RFC 822 message, so that it is read exactly as an .eml would be.
 */
#ifndef DOCPIPE_PST_H
#define DOCPIPE_PST_H

#include <glib.h>
#include <libbfio.h>
#include <libpff.h>

/*
 * MESSAGE (a libpff message item) as an RFC 822 message: its transport
 * headers when it has them, else headers made from its properties; its
 * body (plain text, else the text of its RTF body, else its HTML body);
 * its attachments, an attached message as message/rfc822 in its turn (to
 * DEPTH levels).  No attachment larger than MAX_PART is copied (it is
 * named in an X-Docpipe-Skipped header instead).  NULL with *ERROR when
 * libpff cannot read the message.
 */
GBytes *dp_pst_message_mime(libpff_item_t *message, guint depth, gsize max_part, GError **error);

/*
 * A libbfio handle over LEN bytes at DATA, read in place (extract/pst-io.c):
 * reads past the end get zeros, never bytes beyond the input.  DATA must
 * outlive the handle.  NULL when libbfio cannot make one.
 */
libbfio_handle_t *dp_pst_io_new(const guint8 *data, gsize len);

/* The message of a libpff error, one line, and the error freed. */
char *dp_pst_error_take(libpff_error_t **error);

#endif
