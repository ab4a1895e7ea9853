/*
 * NAME
 *	stage.c - the start-up shared by the stage executables and `docpipe
 *	convert` (stage.h)
 *
 * DESCRIPTION
 *	Options, the configuration and the options' overrides of it, the
 *	redactor, the loop over a record stream on standard input, and the
 *	end of the program (standard output closed with its error checked).
 *	One place, so that -c, --no-redact, -p, -f, -l, --ocr and --no-ocr
 *	mean the same in every program and a configuration error reads the same everywhere.
 */
#include "chain/stage.h"

#include "foia/furniture.h"

#include "core/config.h"
#include "core/record.h"
#include "redact/redact.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <stdio.h>

#include "util/banned.h"

int
dp_stage_parse(DpStage *st, const char *parameter, const char *description, const GOptionEntry *options,
               DpStageArgs args, int *argc, char ***argv)
{
	(void)st; /* the entries store into it */
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new(parameter);
	g_option_context_add_main_entries(octx, options, NULL);
	g_option_context_set_description(octx, description);
	if (!g_option_context_parse(octx, argc, argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	if (args == DP_STAGE_RECORDS_ONLY && *argc > 1) {
		dp_warn("unexpected argument '%s'; records are read from standard input", (*argv)[1]);
		return DP_EXIT_USAGE;
	}
	return DP_EXIT_OK;
}

DpConfig *
dp_stage_config(DpStage *st, int *code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DpConfig) cfg = dp_config_load(st->config, &error);
	if (cfg == NULL || (st->no_redact && !dp_config_set(cfg, "redact", "enabled", "false", &error)) ||
	    (st->first_page && !dp_config_set(cfg, "pdf", "first-page", st->first_page, &error)) ||
	    (st->last_page && !dp_config_set(cfg, "pdf", "last-page", st->last_page, &error)) ||
	    (st->ocr && !dp_config_set(cfg, "ocr", "mode", "always", &error)) ||
	    (st->no_ocr && !dp_config_set(cfg, "ocr", "mode", "never", &error))) {
		dp_warn("%s", error->message);
		*code = DP_EXIT_CONFIG;
		return NULL;
	}
	if (!dp_stage_check_foia(cfg, &error)) {
		dp_warn("%s", error->message);
		*code = DP_EXIT_CONFIG;
		return NULL;
	}
	return g_steal_pointer(&cfg);
}

gboolean
dp_stage_check_foia(const DpConfig *cfg, GError **error)
{
	/* The built-in patterns are tested; only files of the user's can fail. */
	g_auto(GStrv) files = dp_config_get_list(cfg, "foia", "patterns");
	if (files == NULL || files[0] == NULL || !dp_config_get_bool(cfg, "foia", "furniture"))
		return TRUE;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; files[i] != NULL; i++)
		g_ptr_array_add(paths, dp_config_resolve_path(cfg, files[i]));
	g_ptr_array_add(paths, NULL);
	g_autoptr(DpFurniture) f = dp_furniture_new((const char *const *)paths->pdata, error);
	return f != NULL;
}

gboolean
dp_stage_redactor(DpConfig *cfg, DpRedactor **rd)
{
	g_autoptr(GError) error = NULL;
	*rd = NULL;
	/* No rules, no term lists, no Hyperscan database: nothing to build. */
	if (!dp_config_get_bool(cfg, "redact", "enabled"))
		return TRUE;
	*rd = dp_redactor_new(cfg, &error);
	if (*rd == NULL) {
		dp_warn("%s", error->message);
		return FALSE;
	}
	return TRUE;
}

char **
dp_stage_steal_passwords(DpStage *st)
{
	return g_steal_pointer(&st->passwords);
}

gboolean
dp_stage_each_record(DpStageRecordFn fn, gpointer user, int *stream_code, GError **error)
{
	g_autoptr(DpReader) reader = dp_reader_new(0, "<stdin>");
	*stream_code = 0;
	for (;;) {
		g_autoptr(DpRecord) rec = NULL;
		if (!dp_reader_next(reader, &rec, error)) {
			dp_warn("%s", (*error)->message);
			*stream_code = (*error)->code;
			return FALSE;
		}
		if (rec == NULL)
			return TRUE;
		if (!fn(rec, user, error))
			return FALSE;
	}
}

int
dp_stage_finish(gboolean ok, GError **error, int fail_code, int code)
{
	if (ok)
		ok = dp_close_stream(stdout, "<stdout>", error);
	if (ok)
		return code;
	dp_warn("%s", (*error)->message);
	return fail_code != 0 ? fail_code : (*error)->code;
}
