/*
 * NAME
 *	cmd-convert.c - `docpipe convert`: the whole chain in one process
 *
 * DESCRIPTION
 *	Each input is detected, extracted in the sandboxed child, redacted
 *	and written as text or XML to standard output, or as both into
 *	-o DIR (chain/chain.c).  Options, configuration and the redactor
 *	come from chain/stage.c, as for the stage executables; with
 *	--no-redact no redactor is built at all.
 */
#include "chain/chain.h"
#include "chain/stage.h"
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/emit.h"
#include "core/msgindex.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/pathlist.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_cmd_convert(int argc, char **argv)
{
	DpStage stage = { 0 };
	gboolean opt_xml = FALSE, opt_quiet = FALSE;
	g_autofree char *opt_outdir = NULL, *opt_files_from = NULL, *opt_messages = NULL;
	const DpStageSpec spec = {
		"FILE...|- - convert documents to redacted text or XML",
		(const GOptionEntry[]){
		    { "xml", 'x', 0, G_OPTION_ARG_NONE, &opt_xml, "Write XML instead of text", NULL },
		    DP_STAGE_OPTION_CONFIG(&stage),
		    DP_STAGE_OPTION_NO_REDACT(&stage, "Do not redact"),
		    DP_STAGE_OPTION_OCR(&stage),
		    DP_STAGE_OPTION_NO_OCR(&stage),
		    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_outdir, "Write DIR/<file>.txt and .xml", "DIR" },
		    { "files-from", 'T', 0, G_OPTION_ARG_FILENAME, &opt_files_from,
		      "Read input paths from FILE (NUL- or newline-separated; - is stdin)", "FILE" },
		    { "messages", 'm', 0, G_OPTION_ARG_FILENAME, &opt_messages,
		      "Write the message index (one row per message, tab-separated) to FILE", "FILE" },
		    DP_STAGE_OPTION_PASSWORD(&stage),
		    DP_STAGE_OPTION_FIRST_PAGE(&stage),
		    DP_STAGE_OPTION_LAST_PAGE(&stage),
		    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Report nothing but errors", NULL },
		    G_OPTION_ENTRY_NULL },
		"Writes text (or XML with --xml) to standard output; with -o DIR writes\n"
		"DIR/<file>.txt and DIR/<file>.xml.  - reads a document from standard input.\n"
		"--messages FILE also lists every message, real or printed, in FILE.\n"
		"Exit status: 0 ok, 64 usage, 65 a document failed, 66 unreadable input,\n"
		"77 encrypted, 78 configuration error, 74 write error.  See docpipe(1).",
		DP_STAGE_ARGS,
	};
	g_autoptr(GError) error = NULL;
	/* The configuration is read once the inputs are known to be there. */
	int code = dp_stage_start(&stage, &spec, NULL, NULL, &argc, &argv);
	g_auto(GStrv) passwords = dp_stage_steal_passwords(&stage);
	g_autofree char *config = stage.config, *first_page = stage.first_page, *last_page = stage.last_page;
	if (code != DP_EXIT_OK)
		return code;
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
	/* With --no-redact no redactor is built at all: the chain takes NULL. */
	g_autoptr(DpConfig) cfg = NULL;
	g_autoptr(DpRedactor) rd = NULL;
	if (dp_stage_setup(&stage, &cfg, &rd) != DP_EXIT_OK)
		return DP_EXIT_CONFIG;
	int formats = opt_outdir ? (DP_EMIT_TEXT | DP_EMIT_XML) : opt_xml ? DP_EMIT_XML : DP_EMIT_TEXT;
	g_autoptr(DpEmitter) em = dp_emitter_new(formats, opt_outdir, stdout, paths->len > 1);
	g_autoptr(DpMsgIndex) messages = opt_messages ? dp_msgindex_new() : NULL;
	dp_emitter_set_messages(em, messages);
	g_autoptr(DpChain) chain = dp_chain_new(cfg, rd, em);
	dp_chain_set_passwords(chain, (const char *const *)passwords);
	/* Text shows no ids or hashes: none are computed for it. */
	dp_chain_set_hashes(chain, formats != DP_EMIT_TEXT);
	/* One input: no later input profits from a module loaded before the fork. */
	dp_chain_set_preload(chain, paths->len > 1);
	code = DP_EXIT_OK;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < paths->len; i++)
		ok = dp_chain_run(chain, paths->pdata[i], &code, &error);
	ok = ok && dp_emitter_finish(em, &error);
	if (ok && messages != NULL) {
		g_autoptr(GString) rows = dp_msgindex_take_rows(messages);
		g_string_prepend(rows, dp_msgindex_header());
		ok = dp_write_atomic(opt_messages, rows->str, rows->len, &error);
	}
	(void)opt_quiet;
	return dp_stage_finish(ok, &error, 0, code);
}
