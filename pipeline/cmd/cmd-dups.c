/*
 * NAME
 *	cmd-dups.c - `docpipe dups`: the duplicate groups of a run
 *
 * SYNOPSIS
 *	docpipe dups [--json] OUT
 *
 * DESCRIPTION
 *	Prints the groups of exact and near duplicates that `docpipe run`
 *	(or `docpipe merge`) stored in OUT/corpus.sqlite: one line per
 *	member, tab-separated: group id, "exact" or "near", similarity to the
 *	group's representative (three decimals), source, part ("" for the
 *	input itself).  Groups come in id order, the representative first in
 *	each.  Sources and parts are the redacted names the outputs have.
 *
 * SECURITY
 *	Nothing is written to the database (it is opened read-write when it
 *	may be, only so that SQLite removes its -wal and -shm files on
 *	close); it holds only redacted values;
 *	--json escapes every control character (util/json.c).
 *
 * EXIT STATUS
 *	0 printed; 64 usage; 66 no corpus database in OUT; 74 it cannot be
 *	read.
 */
#include "cmd/cmd.h"
#include "corpus/corpusdb.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/json.h"

#include <sqlite3.h>
#include <stdio.h>

#include "util/banned.h"

static const char dups_sql[] =
    "SELECT g.group_id, g.kind, m.similarity, d.source, d.part FROM dup_groups g"
    " JOIN dup_members m ON m.group_id = g.group_id JOIN documents d ON d.doc_id = m.doc_id"
    " ORDER BY g.group_id, d.doc_id != g.representative, m.similarity DESC, d.source, d.part";

static const char *
col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

int
dp_cmd_dups(int argc, char **argv)
{
	gboolean opt_json = FALSE;
	const GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON on standard output", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new("OUT - list the duplicate groups of a run");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "One line per member of each group of duplicates, tab-separated:\n"
	                                       "group id, exact or near, similarity, source, part.\n"
	                                       "Exit status: 0 ok, 64 usage, 66 no corpus database in OUT,\n"
	                                       "74 it cannot be read.");
	dp_set_prgname("docpipe dups");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	if (argc != 2) {
		dp_warn("expected one OUT; see 'docpipe dups --help'");
		return DP_EXIT_USAGE;
	}
	g_autofree char *path = g_build_filename(argv[1], DP_CORPUS_DB_FILE, NULL);
	g_autoptr(DpCorpusDb) db = dp_corpus_db_open(path, FALSE, NULL, &error);
	if (db == NULL) {
		dp_warn("%s", error->message);
		return error->code;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(dp_corpus_db_sqlite(db), dups_sql, -1, &st, NULL) != SQLITE_OK) {
		dp_warn("cannot read '%s': %s", path, sqlite3_errmsg(dp_corpus_db_sqlite(db)));
		return DP_EXIT_IOERR;
	}
	g_autoptr(GString) out = g_string_new(opt_json ? "{\"members\": [" : NULL);
	guint n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double sim = sqlite3_column_double(st, 2);
		if (opt_json) {
			g_string_append_printf(out, "%s{\"group\": %" G_GINT64_FORMAT ", \"similarity\": %.3f, ",
			                       n ? ", " : "", (gint64)sqlite3_column_int64(st, 0), sim);
			dp_json_members(out, "kind", col(st, 1), "source", col(st, 3), "part", col(st, 4), NULL);
			g_string_append_c(out, '}');
		} else {
			g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%s\t%.3f\t%s\t%s\n",
			                       (gint64)sqlite3_column_int64(st, 0), col(st, 1), sim, col(st, 3),
			                       col(st, 4));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		dp_warn("cannot read '%s': %s", path, sqlite3_errmsg(dp_corpus_db_sqlite(db)));
		return DP_EXIT_IOERR;
	}
	if (opt_json)
		g_string_append(out, "]}\n");
	fputs(out->str, stdout);
	if (!dp_close_stream(stdout, "<stdout>", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}
