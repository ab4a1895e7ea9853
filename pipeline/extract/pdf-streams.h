/*
 * pdf-streams.h: what a PDF's content streams draw, read from its raw
 * bytes without Poppler (extract/pdf-streams.c, in docpipe-pdf.so).
 */
#ifndef DOCPIPE_PDF_STREAMS_H
#define DOCPIPE_PDF_STREAMS_H

#include <glib.h>

/* What the content streams of one PDF may do. */
typedef struct {
	/*
	 * A rectangle at least a few points a side filled in a dark colour,
	 * or a stream the scan cannot read (other filters, encryption): the
	 * gate of pdf-covered.c.  FALSE only when no stream does.
	 */
	gboolean dark_fill;
	/* Text drawn invisible: render mode 3 (or 7, invisible and clipping) set. */
	gboolean invisible_text;
} DpPdfStreamFacts;

/* Scan the content streams of the PDF DATA once, stopping when every fact holds. */
void dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *facts);

#endif
