/*
 * furniture.h: the page furniture of FOIA releases and court productions
 * (classification banners, release stamps, exemption codes, Bates numbers)
 * found in a document's pages, made metadata and taken out of the text.
 */
#ifndef DOCPIPE_FURNITURE_H
#define DOCPIPE_FURNITURE_H

#include <glib.h>

#include "core/record.h"

/* Compiled furniture patterns: the built-in set plus any extra files. */
typedef struct DpFurniture DpFurniture;

/*
 * Compile the built-in patterns (config/furniture.conf, compiled into the
 * program) and then those of each file in EXTRA (NULL-terminated, may be
 * NULL), which add to them.  NULL with ERROR set (DP_ERROR_CONFIG, naming
 * the file, line and pattern) when a file cannot be read or a pattern does
 * not compile.
 */
DpFurniture *dp_furniture_new(const char *const *extra, GError **error);

/*
 * Compile every pattern now rather than on first use (dp_furniture_new()
 * compiles only the user's files; a built-in pattern is compiled the
 * first time a line could be its furniture).  Results are the same
 * either way; the tests use it to check that every built-in pattern
 * compiles.  FALSE with ERROR set naming the first that does not.
 */
gboolean dp_furniture_compile_all(const DpFurniture *f, GError **error);
void dp_furniture_free(DpFurniture *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpFurniture, dp_furniture_free)

/*
 * Find the furniture in REC's body (pages separated by form feeds) and set
 * REC's metadata from it: meta.foia.case, .doc, .date (ISO 8601), .release
 * (full, part or withheld), .exemptions (sorted, ';'-separated, each code
 * once), .classification, .bates ("FIRST;LAST"), .stamp (';'-separated),
 * and one "exemption" field per code: "CODE PAGES MEANING", PAGES the
 * ','-separated page numbers the code is printed on.  Unless KEEP, the
 * furniture lines are removed from the body; pages stay pages (the form
 * feeds are kept).  Linear in the body's size.  Returns TRUE when any
 * furniture was found (REC is untouched otherwise).
 */
gboolean dp_furniture_apply(const DpFurniture *f, DpRecord *rec, gboolean keep);

/* The meaning of exemption CODE ("B6", "B7(C)", "1.4(D)"), or NULL. */
const char *dp_furniture_exemption_meaning(const char *code);

#endif
