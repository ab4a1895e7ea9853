/*
 * NAME
 *	cmd-config.c - `docpipe config`: the effective configuration
 *
 * DESCRIPTION
 *	Prints every value with the file and line that set it.  The
 *	redactor is built too, so that a bad rule is reported here as a run
 *	would report it.
 */
#include "chain/stage.h"
#include "cmd/cmd.h"
#include "core/config.h"
#include "extract/ocr.h"
#include "redact/redact.h"
#include "util/exitcode.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_cmd_config(int argc, char **argv)
{
	DpStage stage = { 0 };
	const DpStageSpec spec = {
		"- print the effective configuration",
		(const GOptionEntry[]){ DP_STAGE_OPTION_CONFIG(&stage), G_OPTION_ENTRY_NULL },
		"Prints every value with the file and line it came from, or built-in.\n"
		"Exit status: 0 ok, 78 configuration error.",
		DP_STAGE_ARGS,
	};
	g_autoptr(DpConfig) cfg = NULL;
	g_autoptr(DpRedactor) rd = NULL;
	int code = dp_stage_start(&stage, &spec, &cfg, &rd, &argc, &argv);
	g_autofree char *config = stage.config;
	if (code != DP_EXIT_OK)
		return code;
	g_autoptr(GString) out = g_string_new(NULL);
	dp_config_dump(cfg, out);
	/*
	 * The OCR engine and its language data decide OCR'd text as much as
	 * the values above: say which (comments, so the output stays a valid
	 * configuration file).
	 */
	g_autofree char *engine = dp_ocr_engine_version();
	g_string_append_printf(out, "\n# ocr engine: %s\n", engine ? engine : "not available (docpipe-ocr.so)");
	g_autofree char *langs = dp_config_get_string(cfg, "ocr", "languages");
	g_autofree char *data = dp_ocr_language_data(langs);
	g_string_append_printf(out, "# ocr language data: %s\n", data);
	fputs(out->str, stdout);
	g_autoptr(GError) error = NULL;
	return dp_stage_finish(TRUE, &error, DP_EXIT_IOERR, DP_EXIT_OK);
}
