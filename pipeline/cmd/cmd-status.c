/*
 * NAME
 *	cmd-status.c - `docpipe status`: what the ledgers of batch runs say
 *
 * SYNOPSIS
 *	docpipe status [-c CONFIG] [--json] OUT...
 *
 * DESCRIPTION
 *	Reads OUT/.docpipe/ledger.sqlite of each OUT (several shard outputs
 *	are added up) and prints the number of inputs by status, the pages
 *	read by OCR and how many inputs had some, then every failed input
 *	with its reason, and the redactions by rule and channel (body,
 *	header, metadata, path, covered), counts only.  Errors in the
 *	ledger were redacted before they were written; the ledger keeps the
 *	real input paths (the operator's), and they are printed redacted by
 *	the rules of CONFIG (the run's; the default configuration without
 *	-c).  No document text is ever printed.
 *	Reading works while a run is writing (the ledger is in WAL mode).
 *
 * SECURITY
 *	The ledger is opened read-only and must be a docpipe ledger
 *	(batch/ledger.c); nothing is written.  Its paths and errors came from
 *	inputs: --json escapes every control character (util/json.c), and
 *	the text form escapes control characters and backslashes C-style
 *	(util/escape.c, as docpipe-detect --tsv), so that a file name
 *	holding a newline or a terminal escape stays on its line and never
 *	reaches the terminal as such.
 *
 * EXIT STATUS
 *	0 no input failed; 65 some inputs failed; 64 usage; 66 an OUT has
 *	no ledger; 74 a ledger cannot be read; 78 configuration error.
 */
#include "batch/ledger.h"
#include "batch/redcount.h"
#include "cmd/cmd.h"
#include "cmd/options.h"
#include "core/config.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/json.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static int
cmp_cstr(gconstpointer a, gconstpointer b)
{
	return strcmp(a, b);
}

/* A ledger path as printed: redacted by RD's rules. */
static char *
shown_path(DpRedactor *rd, const char *path)
{
	GString *s = dp_redactor_apply(rd, path, strlen(path), NULL);
	return g_string_free(s, FALSE);
}

int
dp_cmd_status(int argc, char **argv)
{
	gboolean opt_json = FALSE;
	g_autofree char *opt_config = NULL;
	const GOptionEntry options[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
		  "Redact the paths shown by the rules of FILE (the run's configuration)", "FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON on standard output", NULL },
		G_OPTION_ENTRY_NULL
	};
	if (!dp_cmd_parse("status", "OUT... - show what batch runs did",
	                  "Counts inputs by status over the ledgers of every OUT (shards add\n"
	                  "up) and lists each failure with its reason.\n"
	                  "Exit status: 0 no failures, 65 some inputs failed, 64 usage,\n"
	                  "66 no ledger in an OUT, 74 a ledger cannot be read.",
	                  options, &argc, &argv))
		return DP_EXIT_USAGE;
	if (argc < 2)
		return dp_cmd_usage("status", "expected at least one OUT");
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	g_autoptr(DpRedactor) rd = cfg ? dp_redactor_new(cfg, &error) : NULL;
	if (rd == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	g_autoptr(DpRedCount) redactions = dp_redcount_new();
	g_autoptr(GHashTable) by_status = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GString) jfail = g_string_new(NULL);
	g_autoptr(GString) jouts = g_string_new(NULL);
	guint total = 0, failed = 0, ocr_inputs = 0;
	guint64 ocr_pages = 0;
	for (int i = 1; i < argc; i++) {
		g_autofree char *path = g_build_filename(argv[i], DP_LEDGER_DIR, DP_LEDGER_FILE, NULL);
		g_autoptr(DpLedger) l = dp_ledger_open(path, TRUE, &error);
		g_autoptr(GPtrArray) rows = l ? dp_ledger_list(l, &error) : NULL;
		if (rows == NULL) {
			dp_warn("%s", error->message);
			return error->code == DP_EXIT_NOINPUT ? DP_EXIT_NOINPUT : DP_EXIT_IOERR;
		}
		g_autofree char *clean = dp_ledger_get_meta(l, "clean");
		if (jouts->len)
			g_string_append(jouts, ", ");
		g_string_append(jouts, "{\"out\": ");
		dp_json_string(jouts, argv[i]);
		guint64 out_ocr = 0;
		for (guint k = 0; k < rows->len; k++)
			out_ocr += ((const DpLedgerEntry *)rows->pdata[k])->ocr_pages;
		g_string_append_printf(
		    jouts, ", \"inputs\": %u, \"ocr_pages\": %" G_GUINT64_FORMAT ", \"last_run_complete\": %s}",
		    rows->len, out_ocr, clean && g_str_equal(clean, "1") ? "true" : "false");
		total += rows->len;
		for (guint k = 0; k < rows->len; k++) {
			const DpLedgerEntry *e = rows->pdata[k];
			ocr_pages += e->ocr_pages;
			ocr_inputs += e->ocr_pages > 0;
			gpointer n = g_hash_table_lookup(by_status, e->status);
			g_hash_table_replace(by_status, g_strdup(e->status), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
			dp_redcount_add(redactions, e->redactions);
			if (!dp_ledger_status_failed(e->status))
				continue;
			failed++;
			g_autofree char *shown = shown_path(rd, e->path);
			g_autofree char *out_esc = dp_escape_line(argv[i]);
			g_autofree char *shown_esc = dp_escape_line(shown);
			g_autofree char *error_esc = e->error ? dp_escape_line(e->error) : NULL;
			g_string_append_printf(text, "  %s%s%s: %s%s%s\n", argc > 2 ? out_esc : "",
			                       argc > 2 ? ": " : "", shown_esc, e->status, e->error ? ": " : "",
			                       e->error ? error_esc : "");
			if (jfail->len)
				g_string_append(jfail, ", ");
			g_string_append(jfail, "{\"out\": ");
			dp_json_string(jfail, argv[i]);
			g_string_append(jfail, ", \"path\": ");
			dp_json_string(jfail, shown);
			g_string_append(jfail, ", \"status\": ");
			dp_json_string(jfail, e->status);
			g_string_append(jfail, ", \"error\": ");
			dp_json_string(jfail, e->error);
			g_string_append(jfail, "}");
		}
	}
	g_autoptr(GList) keys = g_hash_table_get_keys(by_status);
	keys = g_list_sort(keys, cmp_cstr);
	g_autoptr(GString) out = g_string_new(NULL);
	if (opt_json) {
		g_string_append_printf(
		    out,
		    "{\"ledgers\": [%s], \"inputs\": %u, \"failed\": %u, \"ocr_pages\": %" G_GUINT64_FORMAT
		    ", \"ocr_inputs\": %u, \"by_status\": {",
		    jouts->str, total, failed, ocr_pages, ocr_inputs);
		for (GList *l = keys; l; l = l->next) {
			if (l != keys)
				g_string_append(out, ", ");
			dp_json_string(out, l->data);
			g_string_append_printf(out, ": %u", GPOINTER_TO_UINT(g_hash_table_lookup(by_status, l->data)));
		}
		g_string_append(out, "}, \"redactions\": ");
		dp_redcount_json(redactions, out);
		g_string_append_printf(out, ", \"failures\": [%s]}\n", jfail->str);
	} else {
		g_string_append_printf(out, "%u inputs in %d ledger%s\n", total, argc - 1, argc > 2 ? "s" : "");
		for (GList *l = keys; l; l = l->next)
			g_string_append_printf(out, "  %-12s %u\n", (const char *)l->data,
			                       GPOINTER_TO_UINT(g_hash_table_lookup(by_status, l->data)));
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " page%s read by OCR, in %u input%s\n", ocr_pages,
		                       ocr_pages == 1 ? "" : "s", ocr_inputs, ocr_inputs == 1 ? "" : "s");
		if (dp_redcount_any(redactions)) {
			g_string_append(out, "redactions by rule (channels):\n");
			dp_redcount_text(redactions, out, TRUE);
		}
		if (failed)
			g_string_append_printf(out, "failures (%u):\n%s", failed, text->str);
	}
	fputs(out->str, stdout);
	if (!dp_close_stream(stdout, "<stdout>", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return failed ? DP_EXIT_DATAERR : DP_EXIT_OK;
}
