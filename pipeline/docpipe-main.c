/*
 * NAME
 *	docpipe - batch document conversion and redaction
 *
 * SYNOPSIS
 *	docpipe convert [--xml] [-c CONFIG] [--no-redact] [-o DIR] [-p PW]...
 *			[-f N] [-l N] FILE...|-
 *	docpipe config [-c CONFIG]
 *	docpipe STAGE [ARGS...]
 *
 * DESCRIPTION
 *	The front command.  "convert" runs detect, extract, redact and emit
 *	in one process and writes text (or XML) to standard output, or both
 *	into DIR.  "config" prints the effective configuration and where
 *	each value came from.  Any other command runs docpipe-COMMAND, found
 *	beside this program, then on PATH (git style).
 *
 * EXIT STATUS
 *	The table in docpipe(1): 0 ok, 64 usage, 65 a document failed, 66 an
 *	input could not be read, 77 encrypted, 78 configuration, 74 I/O.
 */
#include "docpipe.h"
#include "run.h"

#include <errno.h>
#include <unistd.h>

static const char *self_path;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: docpipe convert [--xml] [-c CONFIG] [--no-redact] [-o DIR] [-p PW]... [-f N] [-l N]\n"
		    "                       FILE...|-\n"
		    "       docpipe config [-c CONFIG]\n"
		    "       docpipe run [-j N] [--shard K/N] [--files-from FILE] [--prune] IN OUT\n"
		    "       docpipe status [--json] OUT...\n"
		    "       docpipe STAGE [ARGS...]   (detect, extract, redact, emit)\n"
		    "       docpipe --version\n"
		    "\n"
		    "Run 'docpipe COMMAND --help' for the options of a command; man docpipe for the rest.\n");
}

/* Paths from FILE ("-" for stdin), NUL- or newline-separated, appended to PATHS. */
static gboolean
read_path_list(const char *file, GPtrArray *paths, GError **error)
{
	g_autoptr(GBytes) b = NULL;
	if (g_str_equal(file, "-"))
		b = dp_read_fd(0, "<stdin>", G_MAXUINT32, error);
	else
		b = dp_read_file(file, G_MAXUINT32, error);
	if (b == NULL)
		return FALSE;
	gsize len;
	const char *d = g_bytes_get_data(b, &len);
	char sep = memchr(d, '\0', len) ? '\0' : '\n';
	for (gsize pos = 0; pos < len;) {
		const char *end = memchr(d + pos, sep, len - pos);
		gsize n = end ? (gsize)(end - (d + pos)) : len - pos;
		if (n > 0)
			g_ptr_array_add(paths, g_strndup(d + pos, n));
		pos += n + 1;
	}
	return TRUE;
}

static int
cmd_convert(int argc, char **argv)
{
	gboolean opt_xml = FALSE, opt_no_redact = FALSE, opt_quiet = FALSE;
	g_autofree char *opt_config = NULL, *opt_outdir = NULL, *opt_files_from = NULL;
	g_auto(GStrv) opt_passwords = NULL;
	g_autofree char *opt_first_page = NULL, *opt_last_page = NULL;
	const GOptionEntry options[] = {
		{ "xml", 'x', 0, G_OPTION_ARG_NONE, &opt_xml, "Write XML instead of text", NULL },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Read the configuration from FILE", "FILE" },
		{ "no-redact", 0, 0, G_OPTION_ARG_NONE, &opt_no_redact, "Do not redact", NULL },
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
	if (opt_files_from != NULL && !read_path_list(opt_files_from, paths, &error)) {
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
	    (opt_last_page && !dp_config_set(cfg, "pdf", "last-page", opt_last_page, &error))) {
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

static int
cmd_config(int argc, char **argv)
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
	fputs(out->str, stdout);
	if (!dp_close_stream(stdout, "<stdout>", &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return DP_EXIT_OK;
}

/* git-style: "docpipe foo ARGS" runs docpipe-foo ARGS. */
static int
dispatch(int argc, char **argv)
{
	g_autofree char *name = g_strconcat("docpipe-", argv[1], NULL);
	if (strchr(argv[1], '/') != NULL) {
		dp_warn("'%s' is not a docpipe command", argv[1]);
		return DP_EXIT_USAGE;
	}
	g_autofree char *prog = dp_find_program(self_path, name);
	if (prog == NULL) {
		dp_warn("'%s' is not a docpipe command; see 'docpipe --help'", argv[1]);
		return DP_EXIT_USAGE;
	}
	argv[1] = prog;
	execv(prog, argv + 1);
	int e = errno;
	dp_warn("cannot run '%s': %s", prog, g_strerror(e));
	return DP_EXIT_OSERR;
}

int
main(int argc, char **argv)
{
	self_path = argv[0];
	dp_set_prgname(argv[0]);
	if (argc < 2) {
		usage(stderr);
		return DP_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (g_str_equal(cmd, "--help") || g_str_equal(cmd, "-h") || g_str_equal(cmd, "help")) {
		usage(stdout);
		return DP_EXIT_OK;
	}
	if (g_str_equal(cmd, "--version")) {
		printf("docpipe %s\n", DOCPIPE_VERSION);
		return DP_EXIT_OK;
	}
	if (g_str_equal(cmd, "convert")) {
		dp_set_prgname("docpipe convert");
		return cmd_convert(argc - 1, argv + 1);
	}
	if (g_str_equal(cmd, "config"))
		return cmd_config(argc - 1, argv + 1);
	if (g_str_equal(cmd, "run"))
		return dp_run_main(argc - 1, argv + 1);
	if (g_str_equal(cmd, "status"))
		return dp_status_main(argc - 1, argv + 1);
	return dispatch(argc, argv);
}
