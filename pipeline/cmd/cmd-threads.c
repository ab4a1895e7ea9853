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
 *	The options, the database and the output are cmd/corpus-query.c's;
 *	this file gives the query and the format of a row.
 *
 * SECURITY
 *	As cmd/corpus-query.c: read only, redacted values, JSON escaped.
 *
 * EXIT STATUS
 *	0 printed; 64 usage; 66 no corpus database in OUT; 74 it cannot be
 *	read.
 */
#include "cmd/cmd.h"
#include "cmd/corpus-query.h"
#include "util/json.h"

#include "util/banned.h"

static const char threads_sql[] = "SELECT thread_id, depth, date, \"from\", subject, source, part FROM messages"
                                  " ORDER BY thread_id, date IS NULL, date, depth, source, part";

static void
threads_row(GString *out, sqlite3_stmt *st, gboolean json)
{
	gint64 thread = sqlite3_column_int64(st, 0);
	int depth = sqlite3_column_int(st, 1);
	const char *date = dp_corpus_query_col(st, 2);
	const char *from = dp_corpus_query_col(st, 3);
	const char *subject = dp_corpus_query_col(st, 4);
	const char *source = dp_corpus_query_col(st, 5);
	const char *part = dp_corpus_query_col(st, 6);
	if (json) {
		g_string_append_printf(out, "{\"thread\": %" G_GINT64_FORMAT ", \"depth\": %d, ", thread, depth);
		dp_json_members(out, "date", date, "from", from, "subject", subject, "source", source, "part", part,
		                NULL);
		g_string_append_c(out, '}');
	} else {
		g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%d\t%s\t%s\t%s\t%s\t%s\n", thread, depth, date, from,
		                       subject, source, part);
	}
}

int
dp_cmd_threads(int argc, char **argv)
{
	static const DpCorpusQuery query = {
		.name = "threads",
		.summary = "OUT - list the message threads of a run",
		.description = "One line per message, tab-separated: thread id, depth, date,\n"
		               "from, subject, source, part.\n"
		               "Exit status: 0 ok, 64 usage, 66 no corpus database in OUT,\n"
		               "74 it cannot be read.",
		.sql = threads_sql,
		.json_key = "messages",
		.row = threads_row,
	};
	return dp_corpus_query_main(&query, argc, argv);
}
