/*
 * redact.h: the redaction engine, applied to every record after
 * extraction and before any output (chain/chain.c for convert and run,
 * stages/redact.c for docpipe-redact).  Build one redactor per process
 * and reuse it: building compiles the rules, redacting is one pass.
 */
#ifndef DOCPIPE_REDACT_H
#define DOCPIPE_REDACT_H

#include <glib.h>
#include "core/config.h"
#include "core/record.h"

typedef struct DpRedactor DpRedactor;

/*
 * A span: which rule, where (in the output text, or in the input for
 * dp_redactor_find), and how long the text it replaced was (SRC_LENGTH;
 * LENGTH again for dp_redactor_find), so that a position in the text
 * before redaction can be carried over to the text after it.
 */
typedef struct {
	guint rule;
	gsize offset;
	gsize length;
	gsize src_length;
} DpSpan;

/* Build the rules configured in CFG ([redact] and [rule NAME] groups). */
DpRedactor *dp_redactor_new(DpConfig *cfg, GError **error);
void dp_redactor_free(DpRedactor *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpRedactor, dp_redactor_free)

/* The number of rules, and the name of rule I ("email", "phone", a custom name). */
guint dp_redactor_n_rules(const DpRedactor *r);
const char *dp_redactor_rule_name(const DpRedactor *r, guint i);
/*
 * Whether a match may span a paragraph break (a blank line): only a
 * custom pattern may (redact/pattern.c), and then a text cannot be
 * redacted in pieces cut at blank lines (docpipe-redact --text).
 */
gboolean dp_redactor_spans_paragraphs(const DpRedactor *r);

/*
 * Redact TEXT (UTF-8, LEN bytes).  Returns the redacted text; when SPANS is
 * not NULL it receives a DpSpan per replacement, with offsets in the result.
 */
GString *dp_redactor_apply(DpRedactor *r, const char *text, gsize len, GArray *spans);

/*
 * The matches TEXT would have redacted, as DpSpans in offsets of TEXT itself
 * (for measuring recall and for callers that apply their own replacement).
 */
void dp_redactor_find(DpRedactor *r, const char *text, gsize len, GArray *matches);

/*
 * Redact REC in place: its body, every meta.* value, its path inside the
 * container and its error message.  Adds one "redacted" header per rule and
 * field that had matches: "redacted: RULE FIELD COUNT OFF+LEN ..." (offsets
 * into the new value), never the original text.
 */
void dp_redact_record(DpRedactor *r, DpRecord *rec);

/*
 * Identifiers (redact/ids.c): dp_redact_record() also redacts a record's
 * source and makes its id, parent and sha256 as [output] hashes says.
 * The plain SHA-256 of the last top-level input it saw (the ledger's, to
 * tell a changed input), NULL when it was not hashed.
 */
const char *dp_redactor_input_sha256(const DpRedactor *r);

/*
 * A hash of DATA that gives it away to nobody without the key: the hex
 * HMAC-SHA256 of TAG, a NUL and DATA under the key when [output] hashes
 * is keyed (the default when a key is configured: [redact] key-file or
 * key-env), else their plain SHA-256.
 * The corpus database (batch/corpusrows.c) stores Message-IDs and text
 * hashes so.
 */
char *dp_redactor_hash(const DpRedactor *r, const char *tag, const char *data);

/*
 * The name (no extension) of SOURCE's outputs: SOURCE redacted.  When
 * that changed it (*CHANGED) and a key is at hand (the pseudonym key,
 * else NAME_KEY, may be NULL), "~" and 8 hex digits of an HMAC of SOURCE
 * follow (*SUFFIXED), so that two inputs whose redacted names are the same keep
 * apart, and nobody without the key can test a guess against them.
 */
char *dp_redactor_output_name(DpRedactor *r, const char *source, GBytes *name_key, gboolean *changed,
                              gboolean *suffixed);

#endif
