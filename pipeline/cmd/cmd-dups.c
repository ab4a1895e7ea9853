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

static const char dups_sql[] =
    "SELECT g.group_id, g.kind, m.similarity, d.source, d.part FROM dup_groups g"
    " JOIN dup_members m ON m.group_id = g.group_id JOIN documents d ON d.doc_id = m.doc_id"
    " ORDER BY g.group_id, d.doc_id != g.representative, m.similarity DESC, d.source, d.part";

static void
dups_row(GString *out, sqlite3_stmt *st, gboolean json)
{
	gint64 group = sqlite3_column_int64(st, 0);
	double sim = sqlite3_column_double(st, 2);
	const char *kind = dp_corpus_query_col(st, 1);
	const char *source = dp_corpus_query_col(st, 3);
	const char *part = dp_corpus_query_col(st, 4);
	if (json) {
		g_string_append_printf(out, "{\"group\": %" G_GINT64_FORMAT ", \"similarity\": %.3f, ", group, sim);
		dp_json_members(out, "kind", kind, "source", source, "part", part, NULL);
		g_string_append_c(out, '}');
	} else {
		g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%s\t%.3f\t%s\t%s\n", group, kind, sim, source, part);
	}
}

int
dp_cmd_dups(int argc, char **argv)
{
	static const DpCorpusQuery query = {
		.name = "dups",
		.summary = "OUT - list the duplicate groups of a run",
		.description = "One line per member of each group of duplicates, tab-separated:\n"
		               "group id, exact or near, similarity, source, part.\n"
		               "Exit status: 0 ok, 64 usage, 66 no corpus database in OUT,\n"
		               "74 it cannot be read.",
		.sql = dups_sql,
		.json_key = "members",
		.row = dups_row,
	};
	return dp_corpus_query_main(&query, argc, argv);
}
