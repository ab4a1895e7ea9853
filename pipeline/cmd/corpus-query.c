/*
 * NAME
 *	corpus-query.c - print one query of a run's corpus database
 *
 * DESCRIPTION
 *	The body that `docpipe dups` and `docpipe threads` share: the
 *	options (--json and one OUT), opening OUT/corpus.sqlite, running the
 *	subcommand's query and printing its rows as tab-separated lines or
 *	as one JSON object holding an array of them.  Each subcommand gives
 *	only its query and the function that formats one row.  The whole
 *	output is built before any of it is printed, so that a database that
 *	fails half-way prints nothing but the message.
 *
 * SECURITY
 *	Nothing is written to the database (it is opened read-write when it
 *	may be, only so that SQLite removes its -wal and -shm files on
 *	close); it holds only redacted values; the row functions print JSON
 *	through util/json.c, which escapes every control character.
 *
 * EXIT STATUS
 *	0 printed; 64 usage; 66 no corpus database in OUT; 74 it cannot be
 *	read.
 */
#include "cmd/corpus-query.h"
#include "cmd/options.h"
#include "corpus/corpusdb.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <stdio.h>

#include "util/banned.h"

const char *
dp_corpus_query_col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/*
 * Runs Q's query on DB and appends every row to OUT; on a failure warns
 * naming PATH and returns FALSE.
 */
static gboolean
corpus_query_rows(const DpCorpusQuery *q, DpCorpusDb *db, const char *path, gboolean json, GString *out)
{
	sqlite3 *sql = dp_corpus_db_sqlite(db);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(sql, q->sql, -1, &st, NULL) != SQLITE_OK) {
		dp_warn("cannot read '%s': %s", path, sqlite3_errmsg(sql));
		return FALSE;
	}
	guint n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json && n)
			g_string_append(out, ", ");
		q->row(out, st, json);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		dp_warn("cannot read '%s': %s", path, sqlite3_errmsg(sql));
		return FALSE;
	}
	return TRUE;
}

int
dp_corpus_query_main(const DpCorpusQuery *q, int argc, char **argv)
{
	gboolean opt_json = FALSE;
	const GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON on standard output", NULL },
		G_OPTION_ENTRY_NULL,
	};
	if (!dp_cmd_parse(q->name, q->summary, q->description, options, &argc, &argv))
		return DP_EXIT_USAGE;
	if (argc != 2)
		return dp_cmd_usage(q->name, "expected one OUT");
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(argv[1], DP_CORPUS_DB_FILE, NULL);
	g_autoptr(DpCorpusDb) db = dp_corpus_db_open(path, FALSE, NULL, &error);
	if (db == NULL) {
		dp_warn("%s", error->message);
		return error->code;
	}
	g_autoptr(GString) out = g_string_new(NULL);
	if (opt_json)
		g_string_append_printf(out, "{\"%s\": [", q->json_key);
	if (!corpus_query_rows(q, db, path, opt_json, out))
		return DP_EXIT_IOERR;
	if (opt_json)
		g_string_append(out, "]}\n");
	fputs(out->str, stdout);
	if (!dp_close_stream(stdout, "<stdout>", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}
