/*
 * cmd-convert.c: `docpipe convert`, the whole chain in one process: each
 * input is detected, extracted in the sandboxed child, redacted and written
 * as text or XML to standard output, or as both into -o DIR.
 */
#include "chain/chain.h"
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/emit.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/pathlist.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_cmd_convert(int argc, char **argv)
{
	gboolean opt_xml = FALSE, opt_no_redact = FALSE, opt_quiet = FALSE, opt_ocr = FALSE, opt_no_ocr = FALSE;
	g_autofree char *opt_config = NULL, *opt_outdir = NULL, *opt_files_from = NULL;
	g_auto(GStrv) opt_passwords = NULL;
	g_autofree char *opt_first_page = NULL, *opt_last_page = NULL;
	const GOptionEntry options[] = {
		{ "xml", 'x', 0, G_OPTION_ARG_NONE, &opt_xml, "Write XML instead of text", NULL },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
		{ "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact, "Do not redact", NULL },
		{ "ocr", 0, 0, G_OPTION_ARG_NONE, &opt_ocr, "Read every page and image by OCR ([ocr] mode=always)", NULL },
		{ "no-ocr", 0, 0, G_OPTION_ARG_NONE, &opt_no_ocr, "No OCR ([ocr] mode=never)", NULL },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_outdir, "Write DIR/<file>.txt and .xml", "DIR" },
		{ "files-from", 'T', 0, G_OPTION_ARG_FILENAME, &opt_files_from,
		  "Read input paths from FILE (NUL- or newline-separated; - is stdin)", "FILE" },
		{ "password", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_passwords,
		  "Try PW on encrypted documents (repeatable)", "PW" },
		{ "first-page", 'f', 0, G_OPTION_ARG_STRING, &opt_first_page, "PDF: start at page N ([pdf] first-page)",
		  "N" },
		{ "last-page", 'l', 0, G_OPTION_ARG_STRING, &opt_last_page, "PDF: stop after page N ([pdf] last-page)",
		  "N" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Report nothing but errors", NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new("FILE...|- - convert documents to redacted text or XML");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "Writes text (or XML with --xml) to standard output; with -o DIR writes\n"
					       "DIR/<file>.txt and DIR/<file>.xml.  - reads a document from standard input.\n"
					       "Exit status: 0 ok, 64 usage, 65 a document failed, 66 unreadable input,\n"
					       "77 encrypted, 78 configuration error, 74 write error.  See docpipe(1).");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	for (int i = 1; i < argc; i++)
		g_ptr_array_add(paths, g_strdup(argv[i]));
	if (opt_files_from != NULL && !dp_path_list_read(opt_files_from, paths, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_NOINPUT;
	}
	if (paths->len == 0) {
		dp_warn("no input; give FILE... or - for standard input");
		return DP_EXIT_USAGE;
	}
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	if (cfg == NULL || (opt_no_redact && !dp_config_set(cfg, "redact", "enabled", "false", &error)) ||
	    (opt_first_page && !dp_config_set(cfg, "pdf", "first-page", opt_first_page, &error)) ||
	    (opt_last_page && !dp_config_set(cfg, "pdf", "last-page", opt_last_page, &error)) ||
	    (opt_ocr && !dp_config_set(cfg, "ocr", "mode", "always", &error)) ||
	    (opt_no_ocr && !dp_config_set(cfg, "ocr", "mode", "never", &error))) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	g_autoptr(DpRedactor) rd = dp_redactor_new(cfg, &error);
	if (rd == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	int formats = opt_outdir ? (DP_EMIT_TEXT | DP_EMIT_XML) : opt_xml ? DP_EMIT_XML : DP_EMIT_TEXT;
	g_autoptr(DpEmitter) em = dp_emitter_new(formats, opt_outdir, stdout, paths->len > 1);
	g_autoptr(DpChain) chain = dp_chain_new(cfg, rd, em);
	dp_chain_set_passwords(chain, (const char *const *)opt_passwords);
	/* Text shows no ids or hashes: none are computed for it. */
	dp_chain_set_hashes(chain, formats != DP_EMIT_TEXT);
	int code = DP_EXIT_OK;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < paths->len; i++)
		ok = dp_chain_run(chain, paths->pdata[i], &code, &error);
	if (ok)
		ok = dp_emitter_finish(em, &error) && dp_close_stream(stdout, "<stdout>", &error);
	if (!ok) {
		dp_warn("%s", error->message);
		return error->code;
	}
	(void)opt_quiet;
	return code;
}
