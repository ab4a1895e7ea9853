/*
 * cmd-config.c: `docpipe config`, the effective configuration with the
 * file and line that set each value.  The redactor is built too, so that a
 * bad rule is reported here as it would be by a run.
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "extract/ocr.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_cmd_config(int argc, char **argv)
{
	g_autofree char *opt_config = NULL;
	const GOptionEntry options[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new("- print the effective configuration");
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, "Prints every value with the file and line it came from, or built-in.\n"
					       "Exit status: 0 ok, 78 configuration error.");
	if (!g_option_context_parse(octx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	g_autoptr(DpConfig) cfg = dp_config_load(opt_config, &error);
	g_autoptr(DpRedactor) rd = cfg ? dp_redactor_new(cfg, &error) : NULL;
	if (rd == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
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
	if (!dp_close_stream(stdout, "<stdout>", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}
