/*
 * rtf.h: Rich Text Format, and the compressed RTF of Outlook messages.
 *
 * dp_rtf_decompress() undoes the LZFu compression of MS-OXRTFCP (the
 * PR_RTF_COMPRESSED property of .msg, TNEF and PST messages).
 * dp_rtf_parse() reads RTF with a small tokenizer of our own: the text
 * (code pages decoded, \uN, tables as tabs and lines, Outlook's
 * HTML-encapsulated RTF), the \info metadata and the embedded objects and
 * pictures.  dp_rtf_to_text() is the text alone.  All of them take hostile
 * bytes: output, nesting and parts are bounded, and nothing here crashes.
 */
#ifndef DOCPIPE_RTF_H
#define DOCPIPE_RTF_H

#include <glib.h>

/*
 * Decompress the compressed RTF DATA (a 16-byte header, then "LZFu" data or
 * "MELA" raw bytes) into *OUT.  More than MAX_OUT bytes of output, a bad
 * header, a CRC that does not match or data that ends early is an error.
 */
gboolean dp_rtf_decompress(const guint8 *data, gsize len, gsize max_out, GByteArray **out, GError **error);

/* An embedded object or picture of an RTF document. */
typedef struct {
	/* "object" (\object's \objdata) or "picture" (\pict). */
	const char *kind;
	/* The object's class (\objclass) or NULL. */
	char *class_name;
	/* "image/png" and the like for pictures, else NULL. */
	const char *type;
	/* The bytes: for objects, the OLE1 object as stored. */
	GByteArray *data;
} DpRtfPart;

typedef struct {
	/* The text, UTF-8, at most the MAX_TEXT given (not normalized). */
	GString *text;
	/* \info: key, value, key, value... ("title", "author", "created"...). */
	GPtrArray *meta;
	/* DpRtfPart, in document order. */
	GPtrArray *parts;
	/* Outlook's HTML-encapsulated RTF (\fromhtml1). */
	gboolean from_html;
	/*
	 * What a limit cut, for the document's status: NULL, or a sentence
	 * ("text cut at 100 bytes", "groups nested deeper than 200").
	 */
	char *cut;
} DpRtfDoc;

void dp_rtf_doc_free(DpRtfDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpRtfDoc, dp_rtf_doc_free)

/*
 * Read the RTF document RTF (LEN bytes; it need not end with a NUL).  The
 * text is cut at MAX_TEXT bytes, the parts' bytes at MAX_PARTS in all (0:
 * parts are not kept).  Bytes that do not start with "{\rtf" are an error;
 * anything after that gives a document, whatever it holds.
 */
DpRtfDoc *dp_rtf_parse(const char *rtf, gsize len, gsize max_text, gsize max_parts, GError **error);

/* The text of RTF alone, as dp_rtf_parse() reads it. */
GString *dp_rtf_to_text(const char *rtf, gsize len, gsize max_text, GError **error);

#endif
