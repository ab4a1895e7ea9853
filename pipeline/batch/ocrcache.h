/*
 * ocrcache.h - the OCR engine's version, remembered under the stamps of
 * the files that gave it
 */
#ifndef DOCPIPE_BATCH_OCRCACHE_H
#define DOCPIPE_BATCH_OCRCACHE_H

#include <glib.h>

/*
 * The OCR engine's version remembered by dp_ocr_engine_remember(), when
 * every file it listed still has the same path, size, mtime and inode,
 * and the dynamic loader's search (LD_LIBRARY_PATH, /etc/ld.so.cache) is
 * the same; else NULL: the engine must be asked.
 */
char *dp_ocr_engine_cached(void);

/*
 * Remember VERSION, the answer of the OCR module loaded in this process,
 * under the stamps of every file this process has mapped (the module,
 * Tesseract and the libraries behind them).  Quietly does nothing when it
 * cannot.
 */
void dp_ocr_engine_remember(const char *version);

#endif
