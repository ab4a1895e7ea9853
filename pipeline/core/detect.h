/*
 * detect.h: what kind of document a byte string is.
 */
#ifndef DOCPIPE_DETECT_H
#define DOCPIPE_DETECT_H

#include <glib.h>

#define DP_TYPE_PDF "application/pdf"
#define DP_TYPE_HTML "text/html"
#define DP_TYPE_TEXT "text/plain"
#define DP_TYPE_RFC822 "message/rfc822"
#define DP_TYPE_MBOX "application/mbox"
#define DP_TYPE_ZIP "application/zip"
#define DP_TYPE_MAILDIR "inode/x-maildir"
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
 * formats docpipe reads (PDF, zip, images, mbox, message, HTML, text) or empty,
 * else NULL.  Static strings.
 */
const char *dp_detect_sniff(const guint8 *data, gsize len);

/*
 * The second step of dp_detect_type, for DATA that dp_detect_sniff() did
 * not name: libmagic's answer, mapped to ours (source code and other text
 * is text/plain).  SHA256 as for dp_detect_type.
 */
char *dp_detect_magic(const guint8 *data, gsize len, const char *sha256);

/* The type of the directory PATH: DP_TYPE_MAILDIR or "inode/directory". */
const char *dp_detect_directory(const char *path);

#endif
