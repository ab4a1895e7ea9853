/*
 * extract.h: the extractor dispatch.  Each format has one extractor
 * (extract/<format>.c) with the DpExtractorFn signature, built in or in a
 * loadable module, as the table in extract/dispatch.c says; containers hand
 * their parts back to the same dispatch through dp_doc_child(), so a PDF in
 * a zip in a message is extracted exactly as a loose PDF would be.
 */
#ifndef DOCPIPE_EXTRACT_H
#define DOCPIPE_EXTRACT_H

#include <glib.h>
#include <stdio.h>
#include "core/config.h"
#include "core/record.h"

/* Receives every record extract produces, parents before their children. */
typedef gboolean (*DpEmitFn)(DpRecord *rec, gpointer user, GError **error);

typedef struct {
	DpConfig *cfg;
	DpEmitFn emit;
	gpointer emit_data;
	/*
	 * When set, EMIT does nothing but dp_record_write() to this stream (the
	 * sandboxed child's record pipe): extract/pool.c then has its workers
	 * serialize the records and writes the bytes.
	 */
	FILE *emit_file;
	/* Limits, read from [limits] once. */
	guint max_depth;
	guint64 max_children;
	guint64 max_text;
	guint64 max_input;
	/* Passwords to try on encrypted documents, in order (may be NULL). */
	char **passwords;
	/* Parts emitted so far under the current top-level input. */
	guint64 n_children;
	/* [extract] identify-parts: libmagic for generically labelled parts. */
	gboolean identify_parts;
	/*
	 * Records carry each part's sha256 (TRUE unless told otherwise, see
	 * dp_chain_set_hashes()); without, a part is hashed only to look up
	 * libmagic's answer for bytes seen before.
	 */
	gboolean hash_parts;
	/* [extract] threads: workers for the parts of a mailbox (0: the CPUs). */
	guint threads;
	/* [extract] fallback-charset and html-drop, read once (every part asks). */
	char *fallback_charset;
	char **html_drop;
	/* [mail] alternatives=preferred: only the chosen rendering is read. */
	gboolean preferred_only;
	/*
	 * [foia]: the furniture patterns, compiled the first time a paged
	 * document needs them (extract/foia-pass.c; parts may be read on
	 * several threads, hence the once-guard).
	 */
	gsize foia_once;
	struct DpFurniture *furniture;
	char *foia_error;
} DpExtractCtx;

/* One document being extracted: its record, its bytes and its depth. */
typedef struct {
	DpRecord *rec;
	GBytes *data;
	guint depth;
	gboolean emitted;
} DpDoc;

typedef gboolean (*DpExtractorFn)(DpExtractCtx *ctx, DpDoc *doc, GError **error);

void dp_extract_ctx_init(DpExtractCtx *ctx, DpConfig *cfg, DpEmitFn emit, gpointer emit_data);
void dp_extract_ctx_clear(DpExtractCtx *ctx);

/*
 * Extract the top-level document described by IN (a detect record: id,
 * source, type, sha256, size) whose bytes are DATA.  Document problems end
 * up as the status of a record; FALSE means the output failed.
 */
gboolean dp_extract(DpExtractCtx *ctx, const DpRecord *in, GBytes *data, GError **error);

/*
 * Emit DOC's own record now (before its children).  An extractor that does
 * not call this has its record emitted when it returns.
 */
gboolean dp_doc_emit(DpExtractCtx *ctx, DpDoc *doc, GError **error);

/*
 * Extract a part of PARENT: PATH names it inside the container ("attachment
 * 2/minutes.pdf", "page 3/annotation 1"); TYPE_HINT (may be NULL) is the
 * container's claim of its type, checked against the content; META is a
 * list of key, value pairs ending with a NULL key, added to the child's
 * record; a pair whose value is NULL or empty is skipped.
 * Depth and count limits are enforced here.
 */
gboolean dp_doc_child(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type_hint, GBytes *data,
                      const char *const *meta, GError **error);
/*
 * The same, with SHA256, the hex digest of DATA, already computed (a zip's
 * quine check needs it first), or NULL.  The record carries it only when
 * records carry hashes (ctx->hash_parts); libmagic's cache uses it anyway.
 */
gboolean dp_doc_child_hashed(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type_hint, GBytes *data,
                             const char *sha256, const char *const *meta, GError **error);

/*
 * Parts extracted on worker threads (extract/pool.c), for containers of
 * many independent parts (the messages of a mailbox).  dp_child_pool_add()
 * is dp_doc_child() for PARENT, except that the part may be extracted on
 * another thread; the records still reach CTX's emit function on the
 * calling thread, in the order the parts were added, and are the same.
 * MARK is the caller's (an input offset): dp_child_pool_low_mark() gives
 * the oldest one still in flight, or NONE.  dp_child_pool_finish() emits
 * what is in flight; dp_child_pool_free() drops it (after an error).
 */
typedef struct DpChildPool DpChildPool;
DpChildPool *dp_child_pool_new(DpExtractCtx *ctx, DpDoc *parent);
gboolean dp_child_pool_add(DpChildPool *pool, const char *path, const char *type_hint, GBytes *data,
                           const char *const *meta, gsize mark, GError **error);
gsize dp_child_pool_low_mark(DpChildPool *pool, gsize none);
gboolean dp_child_pool_finish(DpChildPool *pool, GError **error);
void dp_child_pool_free(DpChildPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpChildPool, dp_child_pool_free)
/* The number of workers CTX asks for ([extract] threads, 0: the CPUs). */
guint dp_extract_threads(const DpExtractCtx *ctx);

/* Set the status and error message of DOC. */
void dp_doc_fail(DpDoc *doc, const char *status, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Set DOC's text: normalized, and cut to the text size limit. */
void dp_doc_set_text(DpExtractCtx *ctx, DpDoc *doc, const char *text, gsize len);
/* The same, taking TEXT over (no copy when it is normalized already). */
void dp_doc_take_text(DpExtractCtx *ctx, DpDoc *doc, GString *text);

/* Set meta.NAME to VALUE (whitespace collapsed); empty values are skipped. */
void dp_doc_meta(DpDoc *doc, const char *name, const char *value);

/*
 * Emit a part of PARENT that is not extracted (encrypted, over a limit,
 * unreadable): a record with PATH, TYPE (may be NULL), META as for
 * dp_doc_child, and STATUS with the message FMT.  Counts as a part.
 */
gboolean dp_doc_child_problem(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type,
                              const char *const *meta, const char *status, GError **error, const char *fmt, ...)
    G_GNUC_PRINTF(8, 9);

/*
 * Emit a part of PARENT whose text is already known (a message printed in
 * a document's text): a record with PATH, TYPE, META as for dp_doc_child,
 * TEXT as its body and status ok.  Counts as a part, within the limits.
 */
gboolean dp_doc_child_text(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type,
                           const char *const *meta, const char *text, gsize len, GError **error);

/*
 * The FOIA pass (extract/foia-pass.c) over a paged document's text: its
 * page furniture made metadata before DOC is emitted (dp_foia_furniture,
 * which returns the text as it was when it took furniture out of it and
 * printed messages are to be read, else NULL), its printed messages
 * emitted as parts after (dp_foia_messages, given that text).  Both do
 * nothing for a document the pass is not for.
 */
GString *dp_foia_furniture(DpExtractCtx *ctx, DpDoc *doc);
/*
 * Compile the furniture patterns now when an input of TYPE will want them:
 * called before forking a sandboxed child, so that a run compiles them
 * once, not once per input.
 */
void dp_foia_prepare(DpExtractCtx *ctx, const char *type);
gboolean dp_foia_messages(DpExtractCtx *ctx, DpDoc *doc, const GString *unstripped, GError **error);

/* The built-in extractors. */
gboolean dp_extract_text(DpExtractCtx *ctx, DpDoc *doc, GError **error);
gboolean dp_extract_html(DpExtractCtx *ctx, DpDoc *doc, GError **error);
gboolean dp_extract_mbox(DpExtractCtx *ctx, DpDoc *doc, GError **error);
gboolean dp_extract_maildir(DpExtractCtx *ctx, DpDoc *doc, GError **error);
gboolean dp_extract_rtf(DpExtractCtx *ctx, DpDoc *doc, GError **error);

/*
 * The loadable modules (extract/module.c): docpipe-pdf.so, -mail.so,
 * -zip.so, -ocr.so (images, and the OCR engine, extract/ocr.h) and
 * -tnef.so (winmail.dat), -pst.so (PST/OST mailboxes), -ole.so (legacy
 * Office, Outlook .msg) and -office.so (DOCX, XLSX, PPTX, OpenDocument,
 * EPUB); a PDF goes to -pdftext.so first (the PDFs of text alone).  Which
 * types each one reads is said in one place, the table of
 * extract/dispatch.c.
 */
typedef enum {
	DP_MODULE_NONE,
	DP_MODULE_PDF,
	DP_MODULE_MAIL,
	DP_MODULE_ZIP,
	DP_MODULE_OCR,
	DP_MODULE_TNEF,
	DP_MODULE_PST,
	DP_MODULE_OLE,
	DP_MODULE_OFFICE,
	/*
	 * docpipe-pdftext.so (extract/pdf-text.cc): the PDFs that need only
	 * their text, without poppler-glib; DP_MODULE_PDF reads the rest.
	 */
	DP_MODULE_PDF_TEXT,
} DpModule;

/*
 * A module's extractor that may decline DOC: *DECLINED, with nothing
 * recorded or emitted, when another module must read it.
 */
typedef gboolean (*DpDecliningExtractorFn)(DpExtractCtx *ctx, DpDoc *doc, gboolean *declined, GError **error);

/*
 * Run MODULE's extractor on DOC, loading the module the first time.  A
 * module that cannot be loaded makes DOC "unsupported" and says why.
 */
gboolean dp_module_extract(DpModule module, DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* Load MODULE now, once per process (a failure is reported when it is used). */
void dp_module_load(DpModule module);
/*
 * Another entry point of MODULE than its extractor (the OCR engine's, for
 * extract/ocrload.c), loading the module the first time; NULL with *WHY
 * (free it) when the module or the symbol cannot be found.
 */
gpointer dp_module_symbol(DpModule module, const char *symbol, char **why);

/*
 * Load the module that extracts TYPE, or that its parts need (an mbox's
 * messages), now, if any.  Called before forking a sandboxed child, so
 * that a run over many PDFs links Poppler once, not once per child.
 */
void dp_extract_preload(const char *type);
/* The module that reads TYPE, or that its parts need, or DP_MODULE_NONE. */
DpModule dp_extract_module_of(const char *type);
/* The extractors proper of the modules, looked up by name when loaded. */
gboolean dp_extract_pdf_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* docpipe-pdftext.so's, a DpDecliningExtractorFn (extract/pdf-text.cc). */
gboolean dp_extract_pdf_text_module(DpExtractCtx *ctx, DpDoc *doc, gboolean *declined, GError **error);
gboolean dp_extract_mail_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
gboolean dp_extract_zip_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* winmail.dat (extract/tnef.c). */
gboolean dp_extract_tnef_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* PST/OST mailboxes (extract/pst.c). */
gboolean dp_extract_pst_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* OLE2 compound files: legacy Office and Outlook .msg (extract/ole.c). */
gboolean dp_extract_ole_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/*
 * docpipe-mail.so's reading of a header block HEADERS (LEN bytes, an
 * Outlook message's transport headers) into DOC's meta keys, the same as
 * for an RFC 822 message's own; reached through dp_module_symbol() under
 * the name DP_MAIL_HEADERS_SYMBOL.
 */
typedef void (*DpMailHeadersFn)(DpExtractCtx *ctx, DpDoc *doc, const char *headers, gsize len);
#define DP_MAIL_HEADERS_SYMBOL "dp_mail_headers_meta"
void dp_mail_headers_meta(DpExtractCtx *ctx, DpDoc *doc, const char *headers, gsize len);
/* Zip-based office documents and EPUB (extract/office-zip.c). */
gboolean dp_extract_office_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);
/* Images, read by OCR (extract/image.c). */
gboolean dp_extract_image_module(DpExtractCtx *ctx, DpDoc *doc, GError **error);

#endif
