/*
 * corpus-query.h: the shared body of the subcommands that print one
 * query of the corpus database (`docpipe dups`, `docpipe threads`).
 */
#ifndef DOCPIPE_CMD_CORPUS_QUERY_H
#define DOCPIPE_CMD_CORPUS_QUERY_H

#include <glib.h>
#include <sqlite3.h>

/*
 * Appends the row ST stands on to OUT: one tab-separated line ending in
 * a newline, or, when JSON is TRUE, one JSON object (the separator
 * before it is already there).
 */
typedef void (*DpCorpusRowFunc)(GString *out, sqlite3_stmt *st, gboolean json);

typedef struct {
	const char *name;        /* the subcommand, "dups" */
	const char *summary;     /* the --help line after the program name */
	const char *description; /* the --help text after the options */
	const char *sql;         /* the query, run as it is */
	const char *json_key;    /* the name of the JSON array of rows */
	DpCorpusRowFunc row;
} DpCorpusQuery;

/* Column I of the row ST stands on as text, "" for NULL. */
const char *dp_corpus_query_col(sqlite3_stmt *st, int i);

/*
 * Parses `docpipe NAME [--json] OUT`, runs Q's query on OUT's corpus
 * database and prints every row through Q's row function; returns the
 * exit code.
 */
int dp_corpus_query_main(const DpCorpusQuery *q, int argc, char **argv);

#endif
