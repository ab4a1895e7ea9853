/*
 * hash.h: SHA-256 (Nettle) and the stable ids of documents.
 */
#ifndef DOCPIPE_HASH_H
#define DOCPIPE_HASH_H

#include <glib.h>

/* Lowercase hex SHA-256 of BYTES, releasing mapped pages as it goes. */
char *dp_sha256_bytes(GBytes *bytes);

/* Lowercase hex SHA-256 of DATA. */
char *dp_sha256_hex(const void *data, gsize len);

/* Lowercase hex SHA-256 of the file PATH, read in blocks; NULL when it cannot be read. */
char *dp_sha256_file(const char *path);

/*
 * The stable id of a document: for a top-level input, the first 16 hex
 * digits of its SHA-256; for a part, derived from the parent's id and the
 * part's path inside the container.
 */
char *dp_id_root(const char *sha256_hex);
char *dp_id_child(const char *parent_id, const char *path);

#endif
