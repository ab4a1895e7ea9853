/*
 * image.c: images (PNG, JPEG, TIFF with all its pages, GIF, BMP, WebP)
 * through Leptonica and OCR, in docpipe-ocr.so.
 *
 * DESCRIPTION
 *	The image's header is read first (pixReadHeaderMem): its size in
 *	pixels decides whether it may be decoded at all.  A JPEG too large
 *	to decode whole is decoded at a half, quarter or eighth of its size
 *	(libjpeg's own reduction, which never holds the full image); any
 *	other format over the decoding cap gets status "limit".  A decoded
 *	page is made 8-bit grey (transparency blended on white), scaled down
 *	to [ocr] dpi when its resolution is higher, and to at most
 *	OCR_MAX_PIXELS in any case, then recognized by extract/ocr.c.
 *	Pages of a multi-page TIFF are decoded one at a time.
 *	The body is the text of the pages separated by form feeds, and the
 *	record says meta.pages, so an image is paged like a PDF; the "ocr"
 *	field lists the pages read and their mean word confidence.  With
 *	[ocr] words, the words of each page go in ocr-words lines
 *	(core/ocrwords.h), their boxes in pixels of the image as stored
 *	(the box Tesseract gives on the scaled page, scaled back), whole
 *	pixels from the top left.
 *
 * SECURITY
 *	Leptonica and the codecs under it (libpng, libjpeg, libtiff, giflib,
 *	libwebp) parse untrusted bytes here: this runs in the sandboxed child
 *	(sandbox/isolate.c), under its filter, CPU and memory limits.  A
 *	header is never trusted for an allocation size: dimensions are
 *	checked against the caps before decoding, and a decoder that fails
 *	(corrupt or truncated data) gives a status, never a crash.
 */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "util/exitcode.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>

#include "util/banned.h"

gboolean dp_ocr_recognize_pix_module(const DpOcrOptions *opt, struct Pix *pix, int ppi, DpOcrPage *page,
                                     GError **error);

/* Decoded at most this many pixels (32 bits each: 400 MiB). */
#define DECODE_MAX_PIXELS (100.0 * 1000 * 1000)
/* Recognized at most this many (an A3 page at 400 dpi is 31 million). */
#define OCR_MAX_PIXELS (40.0 * 1000 * 1000)

static void
pix_unref(PIX *pix)
{
	pixDestroy(&pix);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PIX, pix_unref)

static const char *
format_name(l_int32 format)
{
	switch (format) {
	case IFF_BMP: return "bmp";
	case IFF_JFIF_JPEG: return "jpeg";
	case IFF_PNG: return "png";
	case IFF_GIF: return "gif";
	case IFF_WEBP: return "webp";
	case IFF_JP2: return "jp2";
	case IFF_PNM: return "pnm";
	default: return L_FORMAT_IS_TIFF(format) ? "tiff" : "unknown";
	}
}

/*
 * PIX as 8-bit grey, scaled to at most DPI (when its resolution is known)
 * and OCR_MAX_PIXELS; *PPI is the resulting resolution, 0 when unknown.
 */
static PIX *
prepare(PIX *pix, guint dpi, int *ppi)
{
	g_autoptr(PIX) flat = pixGetSpp(pix) == 4 ? pixRemoveAlpha(pix) : pixClone(pix);
	if (flat == NULL)
		return NULL;
	g_autoptr(PIX) grey = pixConvertTo8(flat, FALSE);
	if (grey == NULL)
		return NULL;
	int res = pixGetXRes(pix);
	/* A resolution outside this range is a default or a lie: unknown. */
	if (res < 50 || res > 9600)
		res = 0;
	double w = pixGetWidth(grey), h = pixGetHeight(grey);
	double scale = 1.0;
	if (res > 0 && (double)res > dpi * 1.25)
		scale = (double)dpi / res;
	if (w * h * scale * scale > OCR_MAX_PIXELS)
		scale = sqrt(OCR_MAX_PIXELS / (w * h));
	*ppi = res > 0 ? (int)lround(res * scale) : 0;
	if (scale >= 0.999)
		return g_steal_pointer(&grey);
	PIX *small = pixScale(grey, (l_float32)scale, (l_float32)scale);
	if (small != NULL)
		pixSetResolution(small, *ppi, *ppi);
	return small;
}

/* Decode a JPEG of W x H pixels, reduced by libjpeg when it is too large. */
static PIX *
read_jpeg(const guint8 *d, gsize len, double w, double h)
{
	l_int32 reduction = 1;
	while (reduction < 8 && (w / reduction) * (h / reduction) > DECODE_MAX_PIXELS)
		reduction *= 2;
	if ((w / reduction) * (h / reduction) > DECODE_MAX_PIXELS)
		return NULL;
	l_int32 warnings = 0;
	PIX *pix = pixReadMemJpeg(d, len, 0, reduction, &warnings, 0);
	if (pix != NULL && reduction > 1) {
		/* The resolution stays the file's: it describes the full size. */
		int res = pixGetXRes(pix);
		if (res > 0)
			pixSetResolution(pix, res / reduction, res / reduction);
	}
	return pix;
}

typedef struct {
	GString *text;
	GString *ocr;      /* "PAGE:CONF ..." */
	GArray *timed_out; /* page numbers */
	guint pages;
	char *error;      /* the first page's error, if any */
	GPtrArray *words; /* [ocr] words: the ocr-words lines */
	guint words_cut;  /* the first page whose words did not fit the record, or 0 */
} ImageRun;

/*
 * Page PAGENO's WORDS, measured on GREY, as ocr-words lines in pixels of
 * the image as stored, FULL_WIDTH pixels wide (0: PIX's width).
 */
static void
add_words(ImageRun *run, guint pageno, PIX *pix, PIX *grey, int full_width, GArray *words)
{
	if (run->words_cut != 0)
		return;
	double scale = (double)(full_width > 0 ? full_width : pixGetWidth(pix)) / MAX(1, pixGetWidth(grey));
	for (guint i = 0; i < words->len; i++) {
		DpWord *w = &g_array_index(words, DpWord, i);
		w->x = (guint)lround(w->x * scale / 10) * 10;
		w->y = (guint)lround(w->y * scale / 10) * 10;
		w->w = (guint)lround(w->w * scale / 10) * 10;
		w->h = (guint)lround(w->h * scale / 10) * 10;
	}
	guint before = run->words->len;
	dp_words_encode(run->words, pageno, "px", words);
	if (run->words->len > DP_WORDS_MAX_LINES) {
		g_ptr_array_set_size(run->words, before);
		run->words_cut = pageno;
	}
}

/* Recognize page PAGENO of the image, PIX (FULL_WIDTH as stored, 0: its own), into RUN. */
static void
ocr_page(const DpOcrOptions *opt, PIX *pix, int full_width, guint pageno, ImageRun *run)
{
	if (run->pages > 0)
		g_string_append_c(run->text, '\f');
	run->pages++;
	int ppi = 0;
	g_autoptr(PIX) grey = prepare(pix, opt->dpi, &ppi);
	if (grey == NULL) {
		if (run->error == NULL)
			run->error = g_strdup_printf("page %u: cannot convert the image to grey", pageno);
		return;
	}
	DpOcrPage page = { 0 };
	g_autoptr(GError) local = NULL;
	if (!dp_ocr_recognize_pix_module(opt, grey, ppi, &page, &local)) {
		if (run->error == NULL)
			run->error = g_strdup_printf("page %u: %s", pageno, local->message);
		dp_ocr_page_clear(&page);
		return;
	}
	g_string_append_len(run->text, page.text->str, (gssize)page.text->len);
	/* A page with nothing to read is not an OCR'd page. */
	if (page.text->len > 0) {
		g_string_append_printf(run->ocr, "%s%u:%d", run->ocr->len ? " " : "", pageno, page.confidence);
		if (page.words != NULL)
			add_words(run, pageno, pix, grey, full_width, page.words);
	}
	if (page.timed_out)
		g_array_append_val(run->timed_out, pageno);
	dp_ocr_page_clear(&page);
}

gboolean
dp_extract_image_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	/* Leptonica's own messages would only repeat the status, on stderr. */
	setMsgSeverity(L_SEVERITY_NONE);
	l_int32 format = IFF_UNKNOWN, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
	if (d == NULL || len == 0 || pixReadHeaderMem(d, len, &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 ||
	    h <= 0) {
		/*
		 * A container's label brought us here (image/jpeg on bytes that
		 * are no image at all): as before images were read, unsupported.
		 * An image format's magic with a bad header is a damaged image.
		 */
		const char *sniffed = d ? dp_detect_sniff(d, len) : NULL;
		if (sniffed == NULL || !g_str_has_prefix(sniffed, "image/"))
			dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "not an image docpipe reads");
		else
			dp_doc_fail(doc, DP_STATUS_ERROR, "cannot read the image: damaged %s header", sniffed);
		return TRUE;
	}
	dp_doc_meta(doc, "image-format", format_name(format));
	g_autofree char *size = g_strdup_printf("%dx%d px", w, h);
	dp_doc_meta(doc, "image-size", size);

	DpOcrOptions opt = { 0 };
	dp_ocr_options_from_config(ctx->cfg, &opt);
	if (opt.mode == DP_OCR_NEVER) {
		dp_ocr_options_clear(&opt);
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "image not read: OCR is off ([ocr] mode=never)");
		return TRUE;
	}
	gint64 max_pages = dp_config_get_int(ctx->cfg, "pdf", "max-pages");
	ImageRun run = { g_string_new(NULL),
		         g_string_new(NULL),
		         g_array_new(FALSE, FALSE, sizeof(guint)),
		         0,
		         NULL,
		         g_ptr_array_new_with_free_func(g_free),
		         0 };
	const char *limit = NULL;
	g_autofree char *limit_buf = NULL;

	if (L_FORMAT_IS_TIFF(format)) {
		size_t offset = 0;
		for (guint n = 1;; n++) {
			if (max_pages > 0 && n > (guint64)max_pages) {
				limit = limit_buf = g_strdup_printf(
				    "only the first %" G_GINT64_FORMAT " pages read ([pdf] max-pages)", max_pages);
				break;
			}
			g_autoptr(PIX) pix = pixReadMemFromMultipageTiff(d, len, &offset);
			if (pix == NULL) {
				if (n == 1 || offset != 0)
					run.error = g_strdup_printf("page %u: cannot decode the TIFF page", n);
				break;
			}
			ocr_page(&opt, pix, 0, n, &run);
			if (offset == 0)
				break;
		}
	} else if ((double)w * h > DECODE_MAX_PIXELS && format != IFF_JFIF_JPEG) {
		limit = limit_buf = g_strdup_printf("image of %dx%d pixels is over the limit of %.0f million pixels", w,
		                                    h, DECODE_MAX_PIXELS / 1e6);
	} else {
		g_autoptr(PIX) pix = format == IFF_JFIF_JPEG ? read_jpeg(d, len, w, h) : pixReadMem(d, len);
		if (pix == NULL && format == IFF_JFIF_JPEG && (double)w * h > 64 * DECODE_MAX_PIXELS)
			limit = limit_buf = g_strdup_printf("image of %dx%d pixels is over the limit", w, h);
		else if (pix == NULL)
			run.error = g_strdup("cannot decode the image: corrupt or truncated");
		else
			ocr_page(&opt, pix, w, 1, &run);
	}

	if (run.pages > 0) {
		g_autofree char *pages = g_strdup_printf("%u", run.pages);
		dp_doc_meta(doc, "pages", pages);
	}
	if (run.ocr->len > 0) {
		guint n_ocr = 1;
		for (const char *p = run.ocr->str; *p; p++)
			n_ocr += *p == ' ';
		g_autofree char *count = g_strdup_printf("%u", n_ocr);
		dp_doc_meta(doc, "ocr-pages", count);
		dp_doc_meta(doc, "ocr-languages", opt.languages);
		dp_record_set(doc->rec, DP_F_OCR, run.ocr->str);
		for (guint i = 0; i < run.words->len; i++)
			dp_record_add(doc->rec, DP_F_OCR_WORDS, run.words->pdata[i]);
		if (run.words_cut != 0) {
			g_autofree char *cut = g_strdup_printf("%u", run.words_cut);
			dp_doc_meta(doc, "ocr-words-cut", cut);
		}
	}
	if (run.timed_out->len > 0) {
		GString *list = g_string_new(NULL);
		for (guint i = 0; i < run.timed_out->len; i++)
			g_string_append_printf(list, "%s%u", i ? " " : "", g_array_index(run.timed_out, guint, i));
		dp_doc_meta(doc, "ocr-pages-over-time-limit", list->str);
		if (limit == NULL)
			limit = limit_buf = g_strdup_printf("OCR stopped on page %s at the time limit of %u s "
			                                    "([ocr] page-time-limit)",
			                                    list->str, opt.page_time_limit);
		g_string_free(list, TRUE);
	}
	dp_doc_take_text(ctx, doc, run.text);
	if (limit != NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "%s", limit);
	else if (run.error != NULL)
		dp_doc_fail(doc, run.ocr->len > 0 ? DP_STATUS_PARTIAL : DP_STATUS_ERROR, "%s", run.error);
	g_string_free(run.ocr, TRUE);
	g_ptr_array_free(run.words, TRUE);
	g_array_free(run.timed_out, TRUE);
	g_free(run.error);
	dp_ocr_options_clear(&opt);
	return TRUE;
}
