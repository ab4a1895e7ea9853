/*
 * ids.h: identifiers that give nothing away (the redactor's, redact.c).
 * A record's source is redacted like any text, its id and its parent's
 * derive from the redacted path (keyed when a key is configured), and its
 * sha256 is plain, keyed or left out ([output] hashes).
 */
#ifndef DOCPIPE_REDACT_IDS_H
#define DOCPIPE_REDACT_IDS_H

#include <glib.h>
#include "core/record.h"
#include "redact/redact.h"

typedef enum {
	DP_HASHES_PLAIN, /* SHA-256 of the bytes: confirms a guessed content */
	DP_HASHES_KEYED, /* HMAC-SHA256 under the key: confirms nothing without it */
	DP_HASHES_NONE,  /* no sha256 at all */
} DpHashes;

typedef struct DpIds DpIds;

/* MODE, and KEY (referenced; NULL unless MODE is DP_HASHES_KEYED). */
DpIds *dp_ids_new(DpHashes mode, GBytes *key);
void dp_ids_free(DpIds *ids);

/*
 * REC's source redacted by RD (a "redacted: RULE source ..." line on a
 * top-level record), its id, parent and sha256 made as IDS says from its
 * path, already redacted; ORIG_PATH is the path before redaction (NULL
 * when it has none).  Records come in pre-order, as extract emits them.
 */
void dp_ids_record(DpIds *ids, DpRedactor *rd, DpRecord *rec, const char *orig_path);

/* The plain SHA-256 of the last top-level record (NULL if none, or pending). */
const char *dp_ids_input_sha256(const DpIds *ids);

/* The key hashes are made with ([output] hashes=keyed), NULL for plain or none. */
GBytes *dp_ids_key(const DpIds *ids);

/* Lowercase hex HMAC-SHA256 of TAG, a NUL and DATA under KEY. */
char *dp_ids_hmac(GBytes *key, const char *tag, const char *data);

#endif
