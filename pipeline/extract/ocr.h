/*
 * ocr.h: optical character recognition with Tesseract, for the PDF
 * extractor (pages without a usable text layer) and the image extractor.
 *
 * Tesseract and Leptonica live in the loadable module docpipe-ocr.so
 * (extract/ocr.c, extract/image.c), loaded the first time a page or an
 * image needs them; the functions here (extract/ocrload.c, in the
 * library) read [ocr], load the module and forward to it.  One engine per
 * process, initialized once with the configured languages and kept: forked
 * sandboxed children inherit an engine made before the fork.
 */
#ifndef DOCPIPE_OCR_H
#define DOCPIPE_OCR_H

#include <glib.h>
#include "core/config.h"
#include "core/ocrwords.h"

typedef enum { DP_OCR_NEVER, DP_OCR_AUTO, DP_OCR_ALWAYS } DpOcrMode;

/* [ocr], read once per extraction. */
typedef struct {
	DpOcrMode mode;
	guint dpi;             /* rendering and scaling target */
	char *languages;       /* Tesseract's form: "eng", "eng+deu" */
	guint page_time_limit; /* CPU seconds per page; 0: none */
	gboolean words;        /* [ocr] words: each word with its box (core/ocrwords.h) */
} DpOcrOptions;

void dp_ocr_options_from_config(const DpConfig *cfg, DpOcrOptions *opt);
void dp_ocr_options_clear(DpOcrOptions *opt);

/* What recognizing one page gave. */
typedef struct {
	GString *text;      /* Tesseract's lines and paragraphs, UTF-8 */
	int confidence;     /* mean word confidence, 0..100 */
	gboolean timed_out; /* the page hit [ocr] page-time-limit: TEXT is what was read */
	/*
	 * With [ocr] words: the words read, in reading order, their boxes in
	 * tenths of a pixel of the image recognized (DpWord, core/ocrwords.h);
	 * the caller scales them to its unit.  NULL without.
	 */
	GArray *words;
} DpOcrPage;

void dp_ocr_page_clear(DpOcrPage *page);

/*
 * Recognize the 8-bit grey image GREY (WIDTH x HEIGHT pixels, STRIDE bytes
 * per row, PPI pixels per inch) into PAGE.  FALSE with ERROR when OCR is
 * not available (module or language data missing) or the engine failed;
 * a page over its time limit is not an error (PAGE->timed_out).
 * Serialized: one recognition at a time per process.
 */
gboolean dp_ocr_recognize_grey(const DpOcrOptions *opt, const guint8 *grey, int width, int height, int stride, int ppi,
                               DpOcrPage *page, GError **error);

/*
 * Start the engine now (load the module, read the language data) if [ocr]
 * may need it for a document of TYPE; errors are left for the first page.
 * Called before a sandboxed child is forked, so that the child inherits the
 * engine, the language data is read before the seccomp filter goes on, and
 * a run loads the model once per worker instead of once per document.
 * "Surely": an image, a PDF in mode=always, or any input once an earlier
 * one of this process was OCR'd (dp_ocr_note_used()).  A PDF in mode=auto
 * before that may need no OCR at all (a text-layer PDF must not pay for
 * the model), and its child makes the engine itself if a page needs it.
 */
void dp_ocr_preload(const DpConfig *cfg, const char *type);
/*
 * A record of this process's inputs had OCR'd pages (seen by the parent):
 * from now on dp_ocr_preload() makes the engine for every input, so a run
 * over scanned PDFs loads the model once per worker, not once per PDF.
 */
void dp_ocr_note_used(void);

/*
 * "eng: /usr/share/tesseract-ocr/5/tessdata/eng.traineddata sha256:1f3c...",
 * one entry per language separated by "; ", or what is missing.
 */
char *dp_ocr_language_data(const char *languages);

/* "tesseract 5.3.0", or NULL when the module cannot be loaded. */
char *dp_ocr_engine_version(void);

/*
 * The module's entry points (extract/ocr.c), reached through
 * dp_module_symbol(); its extractor, dp_extract_image_module(), is in
 * extract/extract.h.
 */
typedef gboolean (*DpOcrInitFn)(const char *languages, GError **error);
typedef gboolean (*DpOcrGreyFn)(const DpOcrOptions *opt, const guint8 *grey, int width, int height, int stride, int ppi,
                                DpOcrPage *page, GError **error);
typedef const char *(*DpOcrVersionFn)(void);
gboolean dp_ocr_init_module(const char *languages, GError **error);
gboolean dp_ocr_recognize_grey_module(const DpOcrOptions *opt, const guint8 *grey, int width, int height, int stride,
                                      int ppi, DpOcrPage *page, GError **error);
const char *dp_ocr_version_module(void);

#endif
