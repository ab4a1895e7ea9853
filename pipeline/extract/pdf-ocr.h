/*
 * pdf-ocr.h: which pages of a PDF are read by OCR, and reading them
 * (extract/pdf-ocr.c, in docpipe-pdf.so with extract/pdf.c).
 */
#ifndef DOCPIPE_PDF_OCR_H
#define DOCPIPE_PDF_OCR_H

#include <glib.h>
#include <poppler.h>
#include "core/config.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "extract/pdf-page.h"

/* The OCR of one PDF's pages. */
typedef struct {
	DpOcrOptions opt;
	GString *pages;          /* "PAGE:CONF ..." (the record's ocr field) */
	guint n_pages;           /* pages read by OCR */
	GArray *timed_out;       /* pages stopped at [ocr] page-time-limit */
	GArray *failed;          /* pages OCR could not read: their text layer stays */
	char *error;             /* why the first of them failed */
	GPtrArray *words;        /* [ocr] words: the ocr-words lines (core/ocrwords.h) */
	guint words_cut;         /* the first page whose words did not fit the record, or 0 */
	gboolean invisible_text; /* the file draws text invisibly (pdf-streams.h) */
	GArray *layer_pages;     /* of guint: text layers that look made by OCR */
} DpPdfOcr;

void dp_pdf_ocr_init(DpPdfOcr *o, const DpConfig *cfg);

/*
 * Whether PAGE, whose text layer is LAYER of QUALITY, is to be read by
 * OCR in mode MODE (the rule is documented in pdf-ocr.c).
 */
gboolean dp_pdf_page_wants_ocr(DpOcrMode mode, PopplerPage *page, const char *layer, PageQuality quality);

/*
 * Read page PAGENO by OCR if the rule says so and append its text to OUT:
 * TRUE when OUT got the page's text, FALSE when the caller is to append
 * the text layer (no OCR wanted, or OCR failed).
 */
gboolean dp_pdf_ocr_page(DpPdfOcr *o, PopplerPage *page, guint pageno, const char *layer, PageQuality quality,
                         GString *out);

/*
 * PAGE rendered to 8-bit grey (one byte a pixel, rows of *WIDTH bytes) at
 * about DPI, on white: the buffer (g_free it), its size, in *PPI the
 * resolution it got and in *PIXELS_PER_PT pixels per point.  A pixel is
 * its luma, or with BRIGHTEST its brightest channel.  The pixels are
 * capped whatever the media box says.  NULL with *WHY when it cannot.
 */
guint8 *dp_pdf_render_grey(PopplerPage *page, guint dpi, gboolean brightest, int *width, int *height, int *ppi,
                           double *pixels_per_pt, char **why);

/*
 * Note page PAGENO, whose text layer (of QUALITY) was kept, when that
 * layer looks made by OCR: the file draws invisible text and the page's
 * images cover most of it (the rule is documented in pdf-ocr.c).
 */
void dp_pdf_layer_page(DpPdfOcr *o, PopplerPage *page, guint pageno, PageQuality quality);

/*
 * Record on DOC what OCR did (meta.ocr-pages, meta.ocr-languages, the ocr
 * and ocr-words fields, pages over the time limit or failed, the text
 * layers that look made by OCR in meta.ocr-layer-pages) and free O.  Returns the
 * message of a limit hit, or NULL.
 */
char *dp_pdf_ocr_finish(DpPdfOcr *o, DpDoc *doc);

#endif
