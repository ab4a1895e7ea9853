/*
 * module.c: extractors that live in loadable modules, loaded on first use.
 * Which types they read is the table in extract/dispatch.c; this file only
 * knows each module's file, entry point and name.
 *
 * Poppler, GMime and libzip, with the libraries they pull in, cost
 * milliseconds of dynamic linking at every program start, more than all
 * the rest of a small conversion, so their extractors are built as
 * docpipe-pdf.so, docpipe-mail.so and docpipe-zip.so (and the office
 * packages', which use libzip, docpipe-office.so) and loaded the first
 * time such a document is met.  A PDF goes first to docpipe-pdftext.so,
 * Poppler's core library without poppler-glib and cairo, which reads the
 * PDFs that need only their text and declines the others to
 * docpipe-pdf.so (extract/pdf-text.cc says which).  The programs export the shared library's symbols
 * (--export-dynamic), which the module calls back into.  Tesseract and
 * Leptonica are docpipe-ocr.so the same way: its extractor reads images,
 * and extract/ocrload.c reaches the OCR engine's other entry points
 * through dp_module_symbol().
 *
 * Where the module file is looked for is util/moddir.c's.
 */
#include "extract/extract.h"
#include "util/exitcode.h"
#include "util/moddir.h"

#include <gmodule.h>

#include "util/banned.h"

/* One loaded (or failed) module extractor. */
typedef struct {
	const char *module, *symbol, *what;
	/*
	 * The module's libraries start a thread per CPU unless told otherwise
	 * before they are loaded (Tesseract's OpenMP reads OMP_THREAD_LIMIT
	 * once, then): one thread, unless the user set it, so that the -j N
	 * workers of a run never oversubscribe the cores N times.  (For the
	 * OCR module, dp_ocr_preload() sets it first, on the main thread.)
	 */
	gboolean one_thread;
	/*
	 * One document at a time per process: the messages of a mailbox are
	 * extracted on several threads (extract/pool.c), and Poppler's global
	 * state (fonts, caches) is not made for that.  Recursive: an
	 * attachment of a PDF may be a PDF.
	 */
	gboolean serial;
	/*
	 * A module tried first, whose extractor may decline the document
	 * (DpDecliningExtractorFn): poppler-glib and cairo cost more than a
	 * small PDF, and docpipe-pdftext.so reads most PDFs with libpoppler
	 * alone (extract/pdf-text.cc).
	 */
	DpModule first;
	gboolean tried;
	GModule *handle;
	DpExtractorFn fn;
	char *why;
} ModuleExtractor;

/*
 * docpipe-ocr.so is not serial: its engine recognizes one page at a time
 * itself (extract/ocr.c).
 */
static ModuleExtractor modules[] = {
	[DP_MODULE_PDF] = { .module = "docpipe-pdf",
	                    .symbol = "dp_extract_pdf_module",
	                    .what = "PDF",
	                    .serial = TRUE,
	                    .first = DP_MODULE_PDF_TEXT },
	[DP_MODULE_MAIL] = { .module = "docpipe-mail", .symbol = "dp_extract_mail_module", .what = "E-mail" },
	[DP_MODULE_ZIP] = { .module = "docpipe-zip", .symbol = "dp_extract_zip_module", .what = "Zip" },
	[DP_MODULE_OCR] = { .module = "docpipe-ocr",
	                    .symbol = "dp_extract_image_module",
	                    .what = "Image",
	                    .one_thread = TRUE },
	/* libytnef is not known to be thread-safe: one TNEF at a time. */
	[DP_MODULE_TNEF] = { .module = "docpipe-tnef",
	                     .symbol = "dp_extract_tnef_module",
	                     .what = "TNEF",
	                     .serial = TRUE },
	/* libpff: one mailbox at a time (its messages' parts are read meanwhile). */
	[DP_MODULE_PST] = { .module = "docpipe-pst", .symbol = "dp_extract_pst_module", .what = "PST", .serial = TRUE },
	[DP_MODULE_OLE] = { .module = "docpipe-ole",
	                    .symbol = "dp_extract_ole_module",
	                    .what = "OLE2 (Office 97-2003, Outlook)" },
	[DP_MODULE_OFFICE] = { .module = "docpipe-office", .symbol = "dp_extract_office_module", .what = "Office" },
	[DP_MODULE_PDF_TEXT] = { .module = "docpipe-pdftext",
	                         .symbol = "dp_extract_pdf_text_module",
	                         .what = "PDF",
	                         .serial = TRUE },
};
static GMutex module_lock;
static GRecMutex serial_lock;

static DpExtractorFn
module_load(ModuleExtractor *me)
{
	g_mutex_lock(&module_lock);
	if (!me->tried) {
		if (me->one_thread)
			g_setenv("OMP_THREAD_LIMIT", "1", FALSE);
		const char *const symbols[] = { me->symbol, NULL };
		gpointer fn = NULL;
		me->handle = dp_moddir_open(me->module, symbols, &fn, &me->why);
		if (me->handle != NULL)
			me->fn = (DpExtractorFn)fn;
		me->tried = TRUE;
	}
	g_mutex_unlock(&module_lock);
	return me->fn;
}

void
dp_module_load(DpModule module)
{
	g_return_if_fail(module > DP_MODULE_NONE && module < G_N_ELEMENTS(modules));
	if (modules[module].first != DP_MODULE_NONE)
		module_load(&modules[modules[module].first]);
	module_load(&modules[module]);
}

/*
 * Run the extractor of ME->first on DOC: TRUE in *DONE when it read it
 * (its result returned), FALSE when it declined or cannot be loaded.
 */
static gboolean
try_first(ModuleExtractor *me, DpExtractCtx *ctx, DpDoc *doc, gboolean *done, GError **error)
{
	*done = FALSE;
	if (me->first == DP_MODULE_NONE)
		return TRUE;
	ModuleExtractor *first = &modules[me->first];
	DpDecliningExtractorFn fn = (DpDecliningExtractorFn)(void (*)(void))module_load(first);
	if (fn == NULL)
		return TRUE;
	gboolean declined = TRUE;
	if (first->serial)
		g_rec_mutex_lock(&serial_lock);
	gboolean ok = fn(ctx, doc, &declined, error);
	if (first->serial)
		g_rec_mutex_unlock(&serial_lock);
	*done = !declined;
	return ok;
}

gpointer
dp_module_symbol(DpModule module, const char *symbol, char **why)
{
	g_return_val_if_fail(module > DP_MODULE_NONE && module < G_N_ELEMENTS(modules), NULL);
	ModuleExtractor *me = &modules[module];
	gpointer fn = NULL;
	if (module_load(me) == NULL) {
		*why = g_strdup(me->why);
		return NULL;
	}
	if (!g_module_symbol(me->handle, symbol, &fn) || fn == NULL) {
		*why = g_strdup(g_module_error());
		return NULL;
	}
	return fn;
}

gboolean
dp_module_extract(DpModule module, DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	g_return_val_if_fail(module > DP_MODULE_NONE && module < G_N_ELEMENTS(modules), FALSE);
	ModuleExtractor *me = &modules[module];
	gboolean done = FALSE;
	gboolean first_ok = try_first(me, ctx, doc, &done, error);
	if (done)
		return first_ok;
	DpExtractorFn fn = module_load(me);
	if (fn == NULL) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "%s support is not available: %s", me->what, me->why);
		return TRUE;
	}
	if (me->serial)
		g_rec_mutex_lock(&serial_lock);
	gboolean ok = fn(ctx, doc, error);
	if (me->serial)
		g_rec_mutex_unlock(&serial_lock);
	return ok;
}
