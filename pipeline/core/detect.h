/*
 * detect.h: what kind of document a byte string is.
 */
#ifndef DOCPIPE_DETECT_H
#define DOCPIPE_DETECT_H

#include <glib.h>
#include "core/record.h"

#define DP_TYPE_PDF "application/pdf"
#define DP_TYPE_HTML "text/html"
#define DP_TYPE_TEXT "text/plain"
#define DP_TYPE_RFC822 "message/rfc822"
#define DP_TYPE_MBOX "application/mbox"
#define DP_TYPE_ZIP "application/zip"
/*
 * An OLE2 compound file, before its root entries are read (extract/ole.c
 * then names it): Word, Excel, PowerPoint, Outlook .msg, encrypted OOXML.
 */
#define DP_TYPE_OLE2 "application/x-ole-storage"
#define DP_TYPE_MSWORD "application/msword"
#define DP_TYPE_MSEXCEL "application/vnd.ms-excel"
#define DP_TYPE_MSPOWERPOINT "application/vnd.ms-powerpoint"
#define DP_TYPE_MSG "application/vnd.ms-outlook"
#define DP_TYPE_MAILDIR "inode/x-maildir"
/* Zip packages told apart by their entries (core/detect.c), read by extract/office-zip.c. */
#define DP_TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define DP_TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define DP_TYPE_PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#define DP_TYPE_ODT "application/vnd.oasis.opendocument.text"
#define DP_TYPE_ODS "application/vnd.oasis.opendocument.spreadsheet"
#define DP_TYPE_ODP "application/vnd.oasis.opendocument.presentation"
#define DP_TYPE_EPUB "application/epub+zip"
/* A message printed in a document's text (extract/foia-pass.c): no bytes of its own. */
#define DP_TYPE_PRINTED "message/x-printed"
/* Rich Text Format, and Outlook's containers (extract/rtf-doc.c, tnef.c, pst.c). */
#define DP_TYPE_RTF "text/rtf"
#define DP_TYPE_TNEF "application/vnd.ms-tnef"
#define DP_TYPE_PST "application/vnd.ms-outlook-pst"
#define DP_TYPE_EMPTY "application/x-empty"
#define DP_TYPE_UNKNOWN "application/octet-stream"
/* Images, read by OCR (extract/image.c). */
#define DP_TYPE_PNG "image/png"
#define DP_TYPE_JPEG "image/jpeg"
#define DP_TYPE_TIFF "image/tiff"
#define DP_TYPE_GIF "image/gif"
#define DP_TYPE_BMP "image/bmp"
#define DP_TYPE_WEBP "image/webp"

/*
 * The MIME type of DATA.  Content sniffing for the types docpipe extracts
 * comes first (a PDF header after junk, an mbox named .txt, headers of an
 * extensionless RFC 822 message, HTML behind a UTF-16 BOM), then libmagic
 * for the rest.  SHA256 (the hex digest of DATA, may be NULL) lets
 * libmagic's answer be reused for the same bytes later in the process.
 */
char *dp_detect_type(const guint8 *data, gsize len, const char *sha256);

/*
 * Only the first step of dp_detect_type, without libmagic (which costs a
 * millisecond or more on binary data): the type when DATA is one of the
 * formats docpipe reads (PDF, zip and the office packages in zips, images, mbox, message, HTML, text) or empty,
 * else NULL.  Static strings.
 */
const char *dp_detect_sniff(const guint8 *data, gsize len);

/*
 * The second step of dp_detect_type, for DATA that dp_detect_sniff() did
 * not name: libmagic's answer, mapped to ours (source code and other text
 * is text/plain).  SHA256 as for dp_detect_type.
 */
char *dp_detect_magic(const guint8 *data, gsize len, const char *sha256);

/*
 * Open libmagic and load its database for the calling thread now.  The
 * database is a system file, not input: loading it parses nothing
 * hostile, so a parent may do it before forking sandboxed children, which
 * then inherit it and only run libmagic over the input's bytes, instead
 * of each loading the database again.
 */
void dp_detect_magic_prepare(void);

/*
 * Is TYPE one of a message's (an RFC 822 message, an Outlook .msg, a
 * message printed in a document's text)?  Their records share the meta
 * keys from, to, cc, subject, date, message-id, ...: the message index
 * and the text output's header block treat them alike.
 */
gboolean dp_type_is_message(const char *type);

/* The type of the directory PATH: DP_TYPE_MAILDIR or "inode/directory". */
const char *dp_detect_directory(const char *path);

/* How dp_detect_input() identifies an input. */
typedef enum {
	/*
	 * libmagic for what docpipe's own sniffers cannot name.  Without it
	 * the record says "detect: deferred" and the type is left to
	 * dp_extract(), which runs in the sandboxed child: libmagic parses
	 * hostile bytes, so a sandboxed path never runs it in the parent.
	 */
	DP_DETECT_MAGIC = 1 << 0,
	/*
	 * The SHA-256 of a file's bytes left for later: the record's id and
	 * sha256 hold DP_HASH_PENDING, and dp_isolate_extract() hashes the
	 * bytes while the sandboxed child already extracts (the ids it gives
	 * its records are then rewritten), or nothing ever does when records
	 * carry no hashes.
	 */
	DP_DETECT_DEFER_HASH = 1 << 1,
} DpDetectFlags;

/*
 * The detect record of the input PATH ("-" is stdin): id, source, type,
 * sha256, size.  *DATA receives the bytes (at most MAX).  A FIFO, device
 * or socket gives a record with status "skipped" and no data: it is never
 * read, so never waited on; a directory gives its type and no data.
 * NULL (DP_EXIT_NOINPUT, or the read's error) when PATH cannot be read.
 */
DpRecord *dp_detect_input(const char *path, guint64 max, DpDetectFlags flags, GBytes **data, GError **error);

/*
 * The bytes to extract for the detect record REC, given the bytes DATA
 * that detect read (NULL when it read none, as in a record stream): DATA
 * itself, the record's inline body ("data: inline"), no bytes for a
 * maildir (its extractor reads the directory), else the file REC names,
 * read with the limit MAX.  A record detect settled (a status such as
 * "skipped") or a directory no extractor takes gets no bytes: NULL, with
 * no error, and REC's status says why ("unsupported" for the directory).
 * NULL with ERROR set when the file cannot be read.
 */
GBytes *dp_detect_record_bytes(DpRecord *rec, GBytes *data, guint64 max, GError **error);

#endif
