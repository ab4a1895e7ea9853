/*
 * NAME
 *	cmd-threads.c - `docpipe threads`: the message threads of a run
 *
 * SYNOPSIS
 *	docpipe threads [--json] OUT
 *
 * DESCRIPTION
 *	Prints the threads that `docpipe run` (or `docpipe merge`) stored in
 *	OUT/corpus.sqlite: one line per message (a message found in several
 *	documents has a line for each), tab-separated: thread id, depth in
 *	its thread (0 for the root), date, from, subject, source, part.
 *	Threads come in id order, each one's messages by date, then depth.
 *	Values are the redacted ones the outputs hold.
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

static const char threads_sql[] = "SELECT thread_id, depth, date, \"from\", subject, source, part FROM messages"
                                  " ORDER BY thread_id, date IS NULL, date, depth, source, part";

static const char *
col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

int
dp_cmd_threads(int argc, char **argv)
{
	gboolean opt_json = FALSE;
	const GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON on standard output", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new("OUT - list the message threads of a run");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "One line per message, tab-separated: thread id, depth, date,\n"
	                                       "from, subject, source, part.\n"
	                                       "Exit status: 0 ok, 64 usage, 66 no corpus database in OUT,\n"
	                                       "74 it cannot be read.");
	dp_set_prgname("docpipe threads");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	if (argc != 2) {
		dp_warn("expected one OUT; see 'docpipe threads --help'");
		return DP_EXIT_USAGE;
	}
	g_autofree char *path = g_build_filename(argv[1], DP_CORPUS_DB_FILE, NULL);
	g_autoptr(DpCorpusDb) db = dp_corpus_db_open(path, FALSE, NULL, &error);
	if (db == NULL) {
		dp_warn("%s", error->message);
		return error->code;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(dp_corpus_db_sqlite(db), threads_sql, -1, &st, NULL) != SQLITE_OK) {
		dp_warn("cannot read '%s': %s", path, sqlite3_errmsg(dp_corpus_db_sqlite(db)));
		return DP_EXIT_IOERR;
	}
	g_autoptr(GString) out = g_string_new(opt_json ? "{\"messages\": [" : NULL);
	guint n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gint64 thread = sqlite3_column_int64(st, 0);
		int depth = sqlite3_column_int(st, 1);
		if (opt_json) {
			g_string_append_printf(out, "%s{\"thread\": %" G_GINT64_FORMAT ", \"depth\": %d, ",
			                       n ? ", " : "", thread, depth);
			dp_json_members(out, "date", col(st, 2), "from", col(st, 3), "subject", col(st, 4), "source",
			                col(st, 5), "part", col(st, 6), NULL);
			g_string_append_c(out, '}');
		} else {
			g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%d\t%s\t%s\t%s\t%s\t%s\n", thread, depth,
			                       col(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6));
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
