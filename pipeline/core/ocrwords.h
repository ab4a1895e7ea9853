/*
 * ocrwords.h: the words OCR read on a page, with their boxes and
 * confidences ([ocr] words=true), and their encoding in the record's
 * "ocr-words" lines (pipeline/core/RECORD-FORMAT.md).  Written by the
 * extractors (extract/pdf-ocr.c, extract/image.c), withheld word by word
 * by redaction (redact/redact.c), written as <words> by emit (core/emit.c).
 */
#ifndef DOCPIPE_OCRWORDS_H
#define DOCPIPE_OCRWORDS_H

#include <glib.h>

/* The record key; a page's words may take several lines, in page order. */
#define DP_F_OCR_WORDS "ocr-words"
/* One line is at most this many bytes (the record allows 65,536). */
#define DP_WORDS_LINE_MAX 32768
/*
 * A record holds at most this many ocr-words lines (the record allows
 * 4,096 header lines; the rest are for metadata and redaction notes).
 */
#define DP_WORDS_MAX_LINES 3000

/* What separates a word from the one before it in the page's text. */
typedef enum { DP_WORD_SPACE, DP_WORD_LINE, DP_WORD_PARA } DpWordBreak;

typedef struct {
	guint x, y, w, h; /* the box from the page's top left, in tenths of its unit */
	guint conf;       /* Tesseract's word confidence, 0..100 */
	DpWordBreak brk;  /* what comes before the word */
	char *text;       /* UTF-8, NFC; NULL when withheld by redaction */
	char *rule;       /* the redaction rule that withheld it, or NULL */
} DpWord;

/* An empty array of DpWord that frees their strings. */
GArray *dp_words_new(void);

/*
 * Append to LINES (of g_malloc'd strings) the values of the ocr-words
 * lines of page PAGE, whose WORDS are measured in UNIT ("pt" or "px"):
 * as few lines as fit DP_WORDS_LINE_MAX.  Returns how many were added.
 */
guint dp_words_encode(GPtrArray *lines, guint page, const char *unit, const GArray *words);

/*
 * Parse the value of one ocr-words line: its page, its unit (a static
 * "pt" or "px"), and its words appended to WORDS.  A malformed word is
 * skipped; FALSE when the line's page or unit is malformed.  Never trusts
 * the value: any bytes give a clean result.
 */
gboolean dp_words_decode(const char *value, guint *page, const char **unit, GArray *words);

/* "72", "72.5": a length in tenths, as the XML writes it. */
void dp_words_format_tenths(char buf[24], guint tenths);

#endif
