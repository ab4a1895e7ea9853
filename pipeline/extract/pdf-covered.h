/*
 * pdf-covered.h: the words of a PDF page that lie under an opaque dark
 * box, a redaction that failed (extract/pdf-covered.c, in docpipe-pdf.so).
 */
#ifndef DOCPIPE_PDF_COVERED_H
#define DOCPIPE_PDF_COVERED_H

#include <glib.h>
#include <poppler.h>
#include "core/config.h"
#include "extract/extract.h"
#include "extract/pdf-streams.h"

/* [pdf] covered-text: replace covered words, only count them, or not look. */
typedef enum { DP_COVERED_REDACT, DP_COVERED_REPORT, DP_COVERED_KEEP } DpCoveredMode;

/* The label a covered word is replaced with, and the rule name of its redacted line. */
#define DP_COVERED_LABEL "[COVERED]"
#define DP_COVERED_RULE "covered"

/* The covered words of one PDF. */
typedef struct {
	DpCoveredMode mode;
	const DpPdfStreamFacts *streams; /* the dark boxes the file draws (pdf-streams.h), or NULL */
	guint words;                     /* covered words found */
	GArray *pages;                   /* of guint: the pages with some */
	guint spans;                     /* labels put in the body */
	GString *positions;              /* " OFF+LEN" of each label in the body */
	guint rendered;                  /* pages rendered to test their pixels */
	guint unplaced;                  /* of them, for a dark area that may be anywhere: the fallback */
	gboolean debug;                  /* DOCPIPE_COVERED_DEBUG set: say so on stderr */
} DpPdfCovered;

void dp_pdf_covered_init(DpPdfCovered *c, const DpConfig *cfg);

/*
 * Whether page layout character B, after A on the same line, is set
 * apart from it: a gap wider than a fifth of the character height, or a
 * jump back to the left (where pdf.c's page_text puts a space).
 */
gboolean dp_pdf_chars_apart(const PopplerRectangle *a, const PopplerRectangle *b);

/*
 * The covered characters of page PAGENO, whose text TEXT has N characters
 * with the boxes RECTS (poppler_page_get_text_layout): an array of N
 * flags, whole words flagged (g_free it), or NULL when none is covered or
 * C's mode is keep.  Counts the words in C.
 */
guint8 *dp_pdf_covered_find(DpPdfCovered *c, PopplerPage *page, guint pageno, const char *text,
                            const PopplerRectangle *rects, guint n);

/* A label put in the body at byte OFFSET, LENGTH bytes. */
void dp_pdf_covered_label(DpPdfCovered *c, gsize offset, gsize length);

/* Record on DOC what was found (meta.pdf.covered-words, -pages, the redacted line) and free C. */
void dp_pdf_covered_finish(DpPdfCovered *c, DpDoc *doc);

#endif
