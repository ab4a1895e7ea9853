/*
 * ledger.h: the incremental ledger of a batch run, an SQLite database in
 * OUT/.docpipe/ledger.sqlite.  One row per input: what it was (size,
 * mtime, inode, SHA-256), what it was processed with (config fingerprint,
 * docpipe version) and what came out (status, error, duration, redaction
 * counts, pages read by OCR, output hashes).  The run's parent process is its only writer.
 */
#ifndef DOCPIPE_LEDGER_H
#define DOCPIPE_LEDGER_H

#include <glib.h>

#define DP_LEDGER_DIR ".docpipe"
#define DP_LEDGER_FILE "ledger.sqlite"

typedef struct {
	char *path; /* relative to the input root */
	guint64 size;
	gint64 mtime_ns;
	guint64 inode;
	char *sha256;
	char *config;  /* dp_config_fingerprint() */
	char *version; /* DOCPIPE_VERSION */
	char *status;
	char *error; /* already redacted; NULL when ok */
	gint64 duration_ms;
	char *redactions; /* "email=3 phone=1", sorted by rule */
	char *txt_sha256;
	char *xml_sha256;
	gint64 updated;    /* Unix time the row was written */
	guint64 ocr_pages; /* pages read by OCR (0 in a row of a ledger from before it was counted) */
} DpLedgerEntry;

DpLedgerEntry *dp_ledger_entry_new(void);
void dp_ledger_entry_free(DpLedgerEntry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpLedgerEntry, dp_ledger_entry_free)

typedef struct DpLedger DpLedger;

/*
 * Open (creating with READONLY FALSE) the ledger at PATH; a writer
 * migrates a ledger of an older schema, a reader reads it as it is.  Fails with
 * DP_EXIT_NOINPUT when a read-only ledger is missing, DP_EXIT_IOERR on a
 * database error (including a file that is not a docpipe ledger).
 */
DpLedger *dp_ledger_open(const char *path, gboolean readonly, GError **error);
void dp_ledger_close(DpLedger *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpLedger, dp_ledger_close)

/* Every row, as a table from path to DpLedgerEntry (owned by the table). */
GHashTable *dp_ledger_load(DpLedger *l, GError **error);
/* Every row in path order (for status). */
GPtrArray *dp_ledger_list(DpLedger *l, GError **error);

gboolean dp_ledger_begin(DpLedger *l, GError **error);
gboolean dp_ledger_commit(DpLedger *l, GError **error);
/* Insert or replace the row of E->path. */
gboolean dp_ledger_put(DpLedger *l, const DpLedgerEntry *e, GError **error);
/* Drop PATH's row and its messages. */
gboolean dp_ledger_delete(DpLedger *l, const char *path, GError **error);

/*
 * Replace PATH's messages with ROWS (may be NULL): lines of the message
 * index (core/msgindex.h) as a worker sends them; a line that is not a
 * whole row of valid UTF-8 is skipped.
 */
gboolean dp_ledger_put_messages(DpLedger *l, const char *path, const char *rows, GError **error);
/* Append every message row, in path order, to OUT (without the header). */
gboolean dp_ledger_messages_tsv(DpLedger *l, GString *out, GError **error);

/* Small key/value state ("clean" = "1" after a run that ended in order). */
char *dp_ledger_get_meta(DpLedger *l, const char *key);
gboolean dp_ledger_set_meta(DpLedger *l, const char *key, const char *value, GError **error);

/* A status that counts as a failure of the input (not ok/unsupported/skipped). */
gboolean dp_ledger_status_failed(const char *status);

#endif
