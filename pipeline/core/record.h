/*
 * record.h: the record stream that flows between stages.  The format is
 * specified in pipeline/core/RECORD-FORMAT.md; this is its one reader and writer.
 */
#ifndef DOCPIPE_RECORD_H
#define DOCPIPE_RECORD_H

#include <stdarg.h>
#include <stdio.h>
#include <glib.h>

#define DP_RECORD_MAGIC "DOCPIPE-RECORD 1"
#define DP_RECORD_MAX_LINE 65536  /* one header line, newline included */
#define DP_RECORD_MAX_FIELDS 4096 /* header lines per record */
#define DP_RECORD_MAX_BODY_DEFAULT (G_GUINT64_CONSTANT(1) << 30)

/* Well-known header keys. */
#define DP_F_ID "id"
#define DP_F_PARENT "parent"
#define DP_F_SOURCE "source"
#define DP_F_PATH "path"
#define DP_F_TYPE "type"
#define DP_F_SHA256 "sha256"
#define DP_F_SIZE "size"
#define DP_F_STATUS "status"
#define DP_F_ERROR "error"
#define DP_F_CHARSET "charset"
#define DP_F_DATA "data" /* "inline": the body holds the original bytes */
#define DP_F_DEPTH "depth"
#define DP_F_DETECT "detect" /* "deferred": extract runs libmagic */
#define DP_F_REDACTED "redacted"
/* "PAGE:CONFIDENCE ...": the pages read by OCR (extract/ocr.h), for emit's <page ocr=...>. */
#define DP_F_OCR "ocr"
/* "CODE PAGES MEANING": a FOIA exemption code printed on PAGES (foia/furniture.h) */
#define DP_F_EXEMPTION "exemption"
#define DP_META_PREFIX "meta."

typedef struct {
	char *key;   /* allocated with the field: never replaced or freed on its own */
	char *value; /* g_malloc'd; may be replaced */
} DpField;

typedef struct {
	GPtrArray *fields; /* of DpField*, in order */
	GString *body;     /* may hold NULs when data: inline */
} DpRecord;

DpRecord *dp_record_new(void);
void dp_record_free(DpRecord *rec);
DpRecord *dp_record_copy(const DpRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpRecord, dp_record_free)

/* The first value of KEY, or NULL. */
const char *dp_record_get(const DpRecord *rec, const char *key);
/* Set KEY to VALUE, replacing every earlier value; VALUE NULL removes KEY. */
void dp_record_set(DpRecord *rec, const char *key, const char *value);
/* The same with VALUE formatted by printf's rules, from a va_list or from the arguments. */
void dp_record_setv(DpRecord *rec, const char *key, const char *fmt, va_list ap) G_GNUC_PRINTF(3, 0);
void dp_record_setf(DpRecord *rec, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Append another KEY line, keeping earlier ones (repeated keys are allowed). */
void dp_record_add(DpRecord *rec, const char *key, const char *value);
void dp_record_set_body(DpRecord *rec, const char *data, gsize len);

/* TRUE when KEY is a valid header key: [a-z0-9][a-z0-9._-]*, at most 128 bytes. */
gboolean dp_record_key_valid(const char *key);

/*
 * Write REC to OUT.  Header values are cleaned on the way out (invalid UTF-8
 * becomes U+FFFD, control characters become spaces, over-long values are cut
 * at a character boundary) so that the output is always well-formed.
 */
gboolean dp_record_write(const DpRecord *rec, FILE *out, GError **error);
/* The bytes dp_record_write() writes, appended to OUT. */
void dp_record_append(const DpRecord *rec, GString *out);

typedef struct DpReader DpReader;

/* A reader over FD; NAME is used in error messages ("<stdin>"). */
DpReader *dp_reader_new(int fd, const char *name);
void dp_reader_free(DpReader *rd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpReader, dp_reader_free)
void dp_reader_set_max_body(DpReader *rd, guint64 max);

/*
 * Read the next record into *OUT.  Returns TRUE and sets *OUT to NULL at a
 * clean end of stream.  Truncated, oversized or garbled input fails with a
 * DP_EXIT_PROTOCOL error naming the stream and byte offset; the reader never
 * reads past the record it was asked for.
 */
gboolean dp_reader_next(DpReader *rd, DpRecord **out, GError **error);

/* Parse a whole stream held in memory (for tests and fuzzing). */
gboolean dp_record_parse_buffer(const guint8 *data, gsize len, GPtrArray **records, GError **error);

/*
 * The id and sha256 of a record whose hash is still being computed (a
 * top-level input hashed while the sandboxed child already extracts);
 * the parent rewrites them before anything is written.
 */
#define DP_HASH_PENDING "pending"

#endif
