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

/* What the content streams of one PDF may do. */
typedef struct {
	/*
	 * A rectangle at least a few points a side filled in a dark colour,
	 * or a stream the scan cannot read (other filters, encryption): the
	 * gate of pdf-covered.c.  FALSE only when no stream does.
	 */
	gboolean dark_fill;
	/*
	 * Where they are: DARK_BOXES, those a page's own content draws; and
	 * DARK_UNPLACED when some may be anywhere on any page (drawn in a
	 * form or pattern, on a rotated page, by a stream the scan cannot
	 * read, after too many streams left the CTM changed).
	 */
	GArray *dark_boxes; /* of DpPdfBox */
	gboolean dark_unplaced;
	double leaks[8][6]; /* the CTMs page content streams left changed for the next */
	guint n_leaks;      /* how many different ones (more than fit: boxes unplaced) */
	/* Text drawn invisibly: render mode 3 (or 7, invisible and clipping) set. */
	gboolean invisible_text;
} DpPdfStreamFacts;

/* Scan the content streams of the PDF DATA once (clear FACTS after). */
void dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *facts);
void dp_pdf_stream_facts_clear(DpPdfStreamFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DpPdfStreamFacts, dp_pdf_stream_facts_clear)

#endif
