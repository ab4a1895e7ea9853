/*
 * pdf-ocr.c: OCR of the pages of a PDF that have no usable text layer.
 *
 * DESCRIPTION
 *	The rule, per page, never per document ([ocr] mode):
 *	  never   no page is read by OCR;
 *	  always  every page is, and its OCR text replaces its text layer;
 *	  auto    a page is read when its text layer
 *	          - has no visible character (a scan), or
 *	          - is mostly unmapped glyphs (U+FFFD, private use, control
 *	            characters: pdf.c's "garbled"), or
 *	          - lies only in the top and bottom margins of a scan: fewer
 *	            than DP_PDF_MARGIN_MAX_CHARS visible characters, every one of
 *	            them within DP_PDF_MARGIN_FRACTION of the page's height from its
 *	            top or bottom edge, on a page whose images cover at least
 *	            SCAN_COVER of it (the stamped banner or Bates number of a
 *	            scanned FOIA release page; a page of real text that is
 *	            just short, a title alone at the top, has no such image).
 *	          A page with any other text layer is never read in auto,
 *	          whatever images it holds: the text layer wins, and a PDF
 *	          with a good text layer gives the same output as without OCR.
 *	A page to read is rendered by Poppler through cairo onto a white
 *	RGB24 surface at [ocr] dpi (JBIG2, JPEG 2000, CCITT images are
 *	decoded by Poppler on the way), capped at OCR_MAX_PIXELS and at
 *	cairo's 32767 pixels a side by lowering the resolution, converted to
 *	8-bit grey in memory and handed to Tesseract (extract/ocr.h): no
 *	temporary file, no other program.  The colour surface is freed before
 *	recognition, so a page holds at most one image at a time.
 *	A page on which OCR reads nothing (a blank page) keeps its text layer
 *	and is not counted as OCR'd.
 *	With [ocr] words, each OCR'd page's words go in the record's
 *	ocr-words lines (core/ocrwords.h), their boxes in PDF points from
 *	the top left of the page (as Poppler's text layout measures), one
 *	decimal: the render's pixels divided by its exact scale.  A record
 *	holds at most DP_WORDS_MAX_LINES of them; the pages after are listed
 *	from meta.ocr-words-cut on, without words.
 *	A text layer that OCR software made is told apart too, for the
 *	redactor's OCR-tolerant detectors ([redact] ocr-tolerant=auto): a
 *	page that was not read by OCR here, whose text layer has text, on a
 *	page whose images cover at least SCAN_COVER of it, in a file whose
 *	content streams draw text invisibly (render mode 3 or 7, as
 *	ocrmypdf, Tesseract, ABBYY FineReader and Acrobat's Paper Capture
 *	lay their text over the scan: pdf-streams.c) is listed in
 *	meta.ocr-layer-pages.  The byte scan is once per file; a page's
 *	images are looked at only when it found invisible text, so a
 *	born-digital file costs nothing more.  The producer's name is the
 *	redactor's other clue (redact.c), read from meta.producer.
 *	When OCR cannot read a page (no engine, no language data), the text
 *	layer stays and the page is listed in meta.ocr-pages-failed with the
 *	reason in meta.ocr-error; the document goes on.
 *
 * SECURITY
 *	Rendering runs Poppler's full graphics (fonts, images, shadings) on
 *	untrusted bytes, in the sandboxed child like the rest of pdf.c; the
 *	pixel cap bounds the memory of any page whatever its media box says.
 */
#include "extract/pdf-ocr.h"

#include "core/record.h"
#include "extract/pdf-page.h"
#include "util/exitcode.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

#include "util/banned.h"

/* A rendered page has at most this many pixels (A3 at 400 dpi is 31 million). */
#define OCR_MAX_PIXELS (40.0 * 1000 * 1000)
/* cairo's image surfaces are at most 32767 pixels a side. */
#define CAIRO_MAX_SIDE 32767.0
/* A scan: images cover at least half the page. */
#define SCAN_COVER 0.5

void
dp_pdf_ocr_init(DpPdfOcr *o, const DpConfig *cfg)
{
	memset(o, 0, sizeof *o);
	dp_ocr_options_from_config(cfg, &o->opt);
	o->pages = g_string_new(NULL);
	o->timed_out = g_array_new(FALSE, FALSE, sizeof(guint));
	o->failed = g_array_new(FALSE, FALSE, sizeof(guint));
	o->words = g_ptr_array_new_with_free_func(g_free);
	o->layer_pages = g_array_new(FALSE, FALSE, sizeof(guint));
}

/*
 * Whether PAGE looks like a scan: its images cover at least SCAN_COVER of
 * it.  Poppler runs the page's content for their areas, without decoding
 * an image.
 */
static gboolean
scan_like(PopplerPage *page)
{
	double w = 0, h = 0;
	poppler_page_get_size(page, &w, &h);
	if (!(w > 0 && h > 0))
		return FALSE;
	double cover = 0;
	GList *maps = poppler_page_get_image_mapping(page);
	for (GList *l = maps; l != NULL; l = l->next) {
		const PopplerImageMapping *m = l->data;
		double x1 = MAX(0, MIN(m->area.x1, m->area.x2)), x2 = MIN(w, MAX(m->area.x1, m->area.x2));
		double y1 = MAX(0, MIN(m->area.y1, m->area.y2)), y2 = MIN(h, MAX(m->area.y1, m->area.y2));
		if (x2 > x1 && y2 > y1)
			cover += (x2 - x1) * (y2 - y1);
	}
	poppler_page_free_image_mapping(maps);
	return cover >= SCAN_COVER * w * h;
}

/* Whether every visible character of PAGE (text LAYER) sits in the top or bottom margin. */
static gboolean
margin_only(PopplerPage *page, const char *layer)
{
	if (!dp_pdf_margin_small(layer))
		return FALSE;
	double w = 0, h = 0;
	poppler_page_get_size(page, &w, &h);
	PopplerRectangle *rects = NULL;
	guint nr = 0;
	if (h <= 0 || !poppler_page_get_text_layout(page, &rects, &nr)) {
		g_free(rects);
		return FALSE;
	}
	DpPdfBox *boxes = g_new(DpPdfBox, MAX(nr, 1));
	for (guint i = 0; i < nr; i++)
		boxes[i] = (DpPdfBox){ rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2 };
	g_free(rects);
	gboolean only = dp_pdf_margin_only(layer, boxes, nr, h);
	g_free(boxes);
	if (!only)
		return FALSE;
	/* Only then the images' areas (Poppler runs the page's content for them). */
	return scan_like(page);
}

gboolean
dp_pdf_page_wants_ocr(DpOcrMode mode, PopplerPage *page, const char *layer, PageQuality quality)
{
	switch (mode) {
	case DP_OCR_NEVER: return FALSE;
	case DP_OCR_ALWAYS: return TRUE;
	case DP_OCR_AUTO: break;
	}
	return quality != PAGE_TEXT || margin_only(page, layer);
}

/* Also the render of pdf-covered.c's test for text under black boxes. */
guint8 *
dp_pdf_render_grey(PopplerPage *page, guint dpi, gboolean brightest, int *width, int *height, int *ppi,
                   double *pixels_per_pt, char **why)
{
	double wpt = 0, hpt = 0;
	poppler_page_get_size(page, &wpt, &hpt);
	if (!(wpt > 0 && hpt > 0)) {
		*why = g_strdup("the page has no size");
		return NULL;
	}
	double scale = dpi / 72.0;
	if (wpt * scale * hpt * scale > OCR_MAX_PIXELS)
		scale = sqrt(OCR_MAX_PIXELS / (wpt * hpt));
	scale = MIN(scale, CAIRO_MAX_SIDE / MAX(wpt, hpt));
	int w = MAX(1, (int)ceil(wpt * scale)), h = MAX(1, (int)ceil(hpt * scale));
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		*why = g_strdup_printf("cannot make a %dx%d image: %s", w, h,
		                       cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return NULL;
	}
	cairo_t *cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(surface);

	/*
	 * ITU-R BT.601 luma in fixed point: Leptonica's and Tesseract's weights
	 * too.  BRIGHTEST takes a pixel's brightest channel instead, so that
	 * only black is dark: green text on a red box differs in colour more
	 * than in luma.
	 */
	const guint8 *src = cairo_image_surface_get_data(surface);
	int stride = cairo_image_surface_get_stride(surface);
	guint8 *grey = g_malloc((gsize)w * (gsize)h);
	for (int y = 0; y < h; y++) {
		const guint32 *row = (const guint32 *)(const void *)(src + (gsize)y * (gsize)stride);
		guint8 *out = grey + (gsize)y * (gsize)w;
		for (int x = 0; x < w; x++) {
			guint32 px = row[x];
			guint32 r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
			out[x] =
			    brightest ? (guint8)MAX(r, MAX(g, b)) : (guint8)((r * 77 + g * 150 + b * 29 + 128) >> 8);
		}
	}
	cairo_surface_destroy(surface);
	*width = w;
	*height = h;
	*ppi = (int)lround(scale * 72.0);
	*pixels_per_pt = scale;
	return grey;
}

/* Page PAGENO's WORDS (tenths of a pixel at SCALE pixels per point) as ocr-words lines in points. */
static void
add_words(DpPdfOcr *o, guint pageno, double scale, GArray *words)
{
	if (o->words_cut != 0)
		return;
	for (guint i = 0; i < words->len; i++) {
		DpWord *w = &g_array_index(words, DpWord, i);
		w->x = (guint)lround(w->x / scale);
		w->y = (guint)lround(w->y / scale);
		w->w = (guint)lround(w->w / scale);
		w->h = (guint)lround(w->h / scale);
	}
	guint before = o->words->len;
	dp_words_encode(o->words, pageno, "pt", words);
	if (o->words->len > DP_WORDS_MAX_LINES) {
		g_ptr_array_set_size(o->words, before);
		o->words_cut = pageno;
	}
}

gboolean
dp_pdf_ocr_page(DpPdfOcr *o, PopplerPage *page, guint pageno, const char *layer, PageQuality quality, GString *out)
{
	if (!dp_pdf_page_wants_ocr(o->opt.mode, page, layer, quality))
		return FALSE;
	int w = 0, h = 0, ppi = 0;
	double scale = 1;
	g_autofree char *why = NULL;
	g_autofree guint8 *grey = dp_pdf_render_grey(page, o->opt.dpi, FALSE, &w, &h, &ppi, &scale, &why);
	g_autoptr(GError) local = NULL;
	DpOcrPage result = { 0 };
	if (grey == NULL || !dp_ocr_recognize_grey(&o->opt, grey, w, h, w, ppi, &result, &local)) {
		g_array_append_val(o->failed, pageno);
		if (o->error == NULL)
			o->error = g_strdup_printf("page %u: %s", pageno, why ? why : local->message);
		dp_ocr_page_clear(&result);
		return FALSE;
	}
	if (result.timed_out)
		g_array_append_val(o->timed_out, pageno);
	/*
	 * Nothing read (a blank page): the page is not an OCR'd page, and its
	 * text layer, if any, stays.
	 */
	if (result.text->len == 0) {
		dp_ocr_page_clear(&result);
		return FALSE;
	}
	g_string_append_len(out, result.text->str, (gssize)result.text->len);
	g_string_append_printf(o->pages, "%s%u:%d", o->pages->len ? " " : "", pageno, result.confidence);
	o->n_pages++;
	if (result.words != NULL)
		add_words(o, pageno, scale, result.words);
	dp_ocr_page_clear(&result);
	return TRUE;
}

void
dp_pdf_layer_page(DpPdfOcr *o, PopplerPage *page, guint pageno, PageQuality quality)
{
	if (o->invisible_text && quality == PAGE_TEXT && scan_like(page))
		g_array_append_val(o->layer_pages, pageno);
}

char *
dp_pdf_ocr_finish(DpPdfOcr *o, DpDoc *doc)
{
	char *limit = NULL;
	if (o->n_pages > 0) {
		g_autofree char *count = g_strdup_printf("%u", o->n_pages);
		dp_doc_meta(doc, "ocr-pages", count);
		dp_doc_meta(doc, "ocr-languages", o->opt.languages);
		dp_record_set(doc->rec, DP_F_OCR, o->pages->str);
		for (guint i = 0; i < o->words->len; i++)
			dp_record_add(doc->rec, DP_F_OCR_WORDS, o->words->pdata[i]);
		if (o->words_cut != 0) {
			g_autofree char *cut = g_strdup_printf("%u", o->words_cut);
			dp_doc_meta(doc, "ocr-words-cut", cut);
		}
	}
	if (o->timed_out->len > 0) {
		g_autofree char *list = dp_pdf_page_list(o->timed_out);
		dp_doc_meta(doc, "ocr-pages-over-time-limit", list);
		limit = g_strdup_printf("OCR stopped on page %s at the time limit of %u s ([ocr] page-time-limit)",
		                        list, o->opt.page_time_limit);
	}
	if (o->failed->len > 0) {
		g_autofree char *list = dp_pdf_page_list(o->failed);
		dp_doc_meta(doc, "ocr-pages-failed", list);
		dp_doc_meta(doc, "ocr-error", o->error);
	}
	if (o->layer_pages->len > 0) {
		g_autofree char *list = dp_pdf_page_list(o->layer_pages);
		dp_doc_meta(doc, "ocr-layer-pages", list);
	}
	g_string_free(o->pages, TRUE);
	g_ptr_array_free(o->words, TRUE);
	g_array_free(o->timed_out, TRUE);
	g_array_free(o->failed, TRUE);
	g_array_free(o->layer_pages, TRUE);
	g_free(o->error);
	dp_ocr_options_clear(&o->opt);
	return limit;
}
