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

/* The command line by SPEC: DP_EXIT_OK, or DP_EXIT_USAGE after saying why. */
static int
parse(const DpStageSpec *spec, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) octx = g_option_context_new(spec->parameter);
	g_option_context_add_main_entries(octx, spec->options, NULL);
	g_option_context_set_description(octx, spec->description);
	if (!g_option_context_parse(octx, argc, argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	if (spec->args == DP_STAGE_RECORDS_ONLY && *argc > 1) {
		dp_warn("unexpected argument '%s'; records are read from standard input", (*argv)[1]);
		return DP_EXIT_USAGE;
	}
	return DP_EXIT_OK;
}

/* The configuration with the options' overrides applied, or NULL with ERROR set. */
static DpConfig *
load_config(const DpStage *st, GError **error)
{
	g_autoptr(DpConfig) cfg = dp_config_load(st->config, error);
	if (cfg == NULL || (st->no_redact && !dp_config_set(cfg, "redact", "enabled", "false", error)) ||
	    (st->first_page && !dp_config_set(cfg, "pdf", "first-page", st->first_page, error)) ||
	    (st->last_page && !dp_config_set(cfg, "pdf", "last-page", st->last_page, error)) ||
	    (st->ocr && !dp_config_set(cfg, "ocr", "mode", "always", error)) ||
	    (st->no_ocr && !dp_config_set(cfg, "ocr", "mode", "never", error)))
		return NULL;
	if (!dp_stage_check_foia(cfg, error))
		return NULL;
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

int
dp_stage_setup(const DpStage *st, DpConfig **cfg, DpRedactor **rd)
{
	g_autoptr(GError) error = NULL;
	if (rd != NULL)
		*rd = NULL;
	*cfg = load_config(st, &error);
	if (*cfg == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	/* Not asked for, or redaction off: no rules, no term lists, no Hyperscan database to build. */
	if (rd == NULL || !dp_config_get_bool(*cfg, "redact", "enabled"))
		return DP_EXIT_OK;
	*rd = dp_redactor_new(*cfg, &error);
	if (*rd == NULL) {
		dp_warn("%s", error->message);
		return DP_EXIT_CONFIG;
	}
	return DP_EXIT_OK;
}

int
dp_stage_start(DpStage *st, const DpStageSpec *spec, DpConfig **cfg, DpRedactor **rd, int *argc, char ***argv)
{
	/* docpipe names its built-in subcommands ("docpipe convert") itself. */
	if (g_get_prgname() == NULL)
		dp_set_prgname((*argv)[0]);
	int code = parse(spec, argc, argv);
	if (code == DP_EXIT_OK && cfg != NULL)
		code = dp_stage_setup(st, cfg, rd);
	return code;
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
