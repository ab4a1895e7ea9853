/*
 * pdf-page.h: the rules both PDF modules apply to a page's text layer
 * (extract/pdf-page.c, linked into docpipe-pdf.so and docpipe-pdftext.so,
 * so that the two judge every page alike and their outputs stay the same
 * bytes).
 */
#ifndef DOCPIPE_PDF_PAGE_H
#define DOCPIPE_PDF_PAGE_H

#include <glib.h>

#include "extract/pdf-streams.h"

G_BEGIN_DECLS

/* What a page's text layer is worth. */
typedef enum { PAGE_TEXT, PAGE_EMPTY, PAGE_GARBLED } PageQuality;

/*
 * Classify the text of a page.  Unmapped glyphs come out of Poppler as
 * U+FFFD, private-use code points or control characters; when they are
 * more than half of the visible characters the text is useless.
 */
PageQuality dp_pdf_page_quality(const char *text);

/*
 * The margin rule of pdf-ocr.c, which sends a page to OCR when its only
 * text is a stamp or a running head: LAYER has at least one and at most
 * DP_PDF_MARGIN_MAX_CHARS visible characters ...
 */
#define DP_PDF_MARGIN_MAX_CHARS 400
gboolean dp_pdf_margin_small(const char *layer);
/*
 * ... and every one of them lies within DP_PDF_MARGIN_FRACTION of the
 * page's HEIGHT from its top or bottom.  BOXES holds one box per
 * character of LAYER (spaces included), N of them; FALSE when N does not
 * match.
 */
#define DP_PDF_MARGIN_FRACTION 0.15
gboolean dp_pdf_margin_only(const char *layer, const DpPdfBox *boxes, guint n, double height);

/* "3 7 12" from PAGES, an array of guint page numbers (meta values list pages so). */
char *dp_pdf_page_list(const GArray *pages);

G_END_DECLS

#endif
