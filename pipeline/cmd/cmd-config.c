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
#include "redact/redact.h"
#include "util/exitcode.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_cmd_config(int argc, char **argv)
{
	DpStage stage = {0};
	const GOptionEntry options[] = {DP_STAGE_OPTION_CONFIG(&stage), G_OPTION_ENTRY_NULL};
	int code = dp_stage_parse(&stage, "- print the effective configuration",
	                          "Prints every value with the file and line it came from, or built-in.\n"
	                          "Exit status: 0 ok, 78 configuration error.",
	                          options, DP_STAGE_ARGS, &argc, &argv);
	g_autofree char *config = stage.config;
	if (code != DP_EXIT_OK)
		return code;
	g_autoptr(DpConfig) cfg = dp_stage_config(&stage, &code);
	g_autoptr(DpRedactor) rd = NULL;
	if (cfg == NULL || !dp_stage_redactor(cfg, &rd))
		return DP_EXIT_CONFIG;
	g_autoptr(GString) out = g_string_new(NULL);
	dp_config_dump(cfg, out);
	fputs(out->str, stdout);
	g_autoptr(GError) error = NULL;
	return dp_stage_finish(TRUE, &error, DP_EXIT_IOERR, DP_EXIT_OK);
}
