/*
 * headers.h: the display names beside redacted addresses in headers
 * ([redact] header-names), found for redact/redact.c.  Not for other
 * folders.
 */
#ifndef DOCPIPE_REDACT_HEADERS_H
#define DOCPIPE_REDACT_HEADERS_H

#include <glib.h>

#include "core/record.h"
#include "redact/internal.h"

/*
 * The names found beside addresses in the record being redacted
 * (IN_RECORD), and those of the record CARRIED_PARENT, whose parts follow
 * it: see dp_header_names_begin().
 */
typedef struct {
	gboolean in_record;
	GPtrArray *learned;
	GPtrArray *carried;
	char *carried_parent;
} DpHeaderNames;

void dp_header_names_init(DpHeaderNames *hn);
void dp_header_names_clear(DpHeaderNames *hn);

/*
 * The display names of the redacted addresses A[0..N) (original offsets,
 * in text order) in TEXT, into FOUND (emptied first), in text order and
 * disjoint.  HEADER: TEXT is an address header's value, and ALL_ITEMS its
 * every item a name.
 */
void dp_header_names_find(DpHeaderNames *hn, const char *text, gsize len, const DpRange *a, guint n, gboolean header,
                          gboolean all_items, GArray *found);

/* Before and after redacting REC; ENABLED: [redact] header-names is on. */
void dp_header_names_begin(DpHeaderNames *hn, const DpRecord *rec, gboolean enabled);
void dp_header_names_end(DpHeaderNames *hn, const DpRecord *rec);

#endif
