/*
 * text.h: charset decoding and text normalization.
 */
#ifndef DOCPIPE_TEXT_H
#define DOCPIPE_TEXT_H

#include <glib.h>

/*
 * Decode DATA to UTF-8.  The charset is, in order: a byte-order mark;
 * DECLARED (from a meta tag or a MIME header) when iconv knows it; UTF-8 when
 * the bytes are valid UTF-8; UTF-16 without a BOM when the NUL pattern says
 * so; else FALLBACK (ISO-8859-1 is read as its superset windows-1252).
 * Undecodable bytes become U+FFFD; this never fails.  *USED (may be NULL)
 * receives the charset name actually used, lowercase.
 */
char *dp_text_decode(const guint8 *data, gsize len, const char *declared, const char *fallback, gsize *out_len,
                     char **used);
/* The same, as a GString. */
GString *dp_text_decode_string(const guint8 *data, gsize len, const char *declared, const char *fallback, char **used);

/* The charset a byte-order mark at DATA names, or NULL; *BOM_LEN its size. */
const char *dp_text_bom_charset(const guint8 *data, gsize len, gsize *bom_len);

/*
 * TRUE when the LEN bytes at S are valid UTF-8 without NULs, as
 * g_utf8_validate_len() says, with the ASCII at the start skipped eight
 * bytes at a time: GLib's check goes byte by byte, and most text (record
 * header lines, extracted text) is ASCII.
 */
gboolean dp_text_utf8_valid(const char *s, gsize len);

/* A canonical lowercase charset name for LABEL ("latin1" -> "windows-1252"). */
char *dp_text_canonical_charset(const char *label);

/*
 * What dp_text_append_clean() keeps.  Every mode makes the text valid
 * UTF-8: each byte that starts no valid sequence becomes U+FFFD (as
 * g_utf8_make_valid() does, but NULs are not invalid).
 */
typedef enum {
	DP_CLEAN_UTF8 = 0,                   /* every valid character, NUL too */
	DP_CLEAN_DROP_NUL = 1 << 0,          /* NULs dropped */
	DP_CLEAN_XML = 1 << 1,               /* what XML 1.0 cannot carry dropped: C0 controls but tab and
	                                        newline, U+FFFE, U+FFFF */
	DP_CLEAN_XML_ESCAPE = 1 << 2,        /* with DP_CLEAN_XML: & < > " as the entities of text content,
	                                        as xmlEncodeSpecialChars() writes them */
	DP_CLEAN_CONTROLS_TO_SPACE = 1 << 3, /* C0 controls and DEL become a space (record header values) */
} DpCleanFlags;

/*
 * Append the LEN bytes at S to OUT cleaned as HOW says, and at most MAX
 * bytes of it (G_MAXSIZE: all), stopping before the first character or
 * replacement that would not fit whole.  Returns the bytes of S consumed.
 * Plain ASCII is copied eight bytes at a time: this is on the path of
 * every text and XML output.
 */
gsize dp_text_append_clean(GString *out, const char *s, gsize len, DpCleanFlags how, gsize max);

/*
 * Normalize UTF-8 text in place of IN: valid UTF-8 (U+FFFD for bad bytes),
 * NFC, LF line ends, no control characters but \n, \t and \f, no trailing
 * blanks on a line, at most one blank line in a row, no blank lines at the
 * start, exactly one final newline when not empty.  Idempotent.
 */
GString *dp_text_normalize(const char *in, gsize len);

/*
 * TRUE when dp_text_normalize(STR, LEN) would return STR unchanged (a fast
 * check; it may say FALSE for some normalized texts, with characters
 * outside its NFC fast path, never TRUE for others).  Page breaks are
 * checked page by page.
 */
gboolean dp_text_is_normal(const char *str, gsize len);

/* TRUE when C is its own NFC in any context (see text.c); conservative. */
gboolean dp_text_nfc_stable(gunichar c);

/* Collapse all whitespace runs of S to single spaces and trim (metadata). */
char *dp_text_one_line(const char *s);

#endif
