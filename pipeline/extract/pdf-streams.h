/*
 * pdf-streams.h: what a PDF's content streams draw, read from its raw
 * bytes without Poppler (extract/pdf-streams.c, in docpipe-pdf.so).
 */
#ifndef DOCPIPE_PDF_STREAMS_H
#define DOCPIPE_PDF_STREAMS_H

#include <glib.h>

/* A box in default user space (PDF points, y up). */
typedef struct {
	double x1, y1, x2, y2;
} DpPdfBox;

/* What one page, found by walking the page tree, may hide text under. */
typedef struct {
	DpPdfBox crop;      /* its crop box (the media box when it has none) */
	int rotate;         /* its /Rotate: 0, 90, 180 or 270 */
	GArray *dark_boxes; /* of DpPdfBox: where a dark area is drawn over text it showed */
	gboolean unplaced;  /* some dark area may be anywhere on it (a stream that cannot be read) */
} DpPdfPageFacts;

/* What the content streams of one PDF may do. */
typedef struct {
	/*
	 * A dark area that may hide text: a rectangle or path at least a few
	 * points a side filled in a dark colour or a pattern, a shading, an
	 * image, or a stream the scan cannot read (other filters,
	 * encryption): the gate of pdf-covered.c.  FALSE only when no page
	 * has one.
	 */
	gboolean dark_fill;
	/*
	 * PAGES: each page of the page tree, in order, with its own dark
	 * areas; N_PAGES of them.  DARK_BOXES: those drawn by streams no
	 * walked page reaches (a damaged page tree), which may be on any
	 * page; and DARK_UNPLACED when some dark area may be anywhere on any
	 * page: the fallback, which renders every page with text.
	 */
	DpPdfPageFacts *pages;
	guint n_pages;
	GArray *dark_boxes; /* of DpPdfBox */
	gboolean dark_unplaced;
	double leaks[8][6]; /* the CTMs unreached page-like streams left changed for the next */
	guint n_leaks;      /* how many different ones (more than fit: boxes unplaced) */
	/* Text drawn invisibly: render mode 3 (or 7, invisible and clipping) set. */
	gboolean invisible_text;
} DpPdfStreamFacts;

/* Scan the content streams of the PDF DATA once (clear FACTS after). */
void dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *facts);
void dp_pdf_stream_facts_clear(DpPdfStreamFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DpPdfStreamFacts, dp_pdf_stream_facts_clear)

#endif
