/*
 * NAME
 *	docpipe-detect - identify documents: type, size, SHA-256
 *
 * SYNOPSIS
 *	docpipe-detect [--tsv] [-0] [PATH...]
 *
 * DESCRIPTION
 *	Reads the paths given as arguments, or NUL- or newline-separated on
 *	standard input, and writes one record per path (RECORD-FORMAT.md)
 *	carrying its id, type, size and SHA-256.  The path "-" is standard
 *	input itself; its bytes travel inline in the record body.  --tsv
 *	prints an inventory instead: path, type, size, sha256; the path as
 *	given, as the record's source is, with control characters and
 *	backslashes escaped C-style.
 *
 * SECURITY
 *	Reads the first bytes of untrusted files with docpipe's own bounded
 *	sniffers.  What they cannot name goes to libmagic, a large parser of
 *	the same bytes: with the sandbox on ([sandbox] in the usual
 *	configuration files, the default) it runs in the same forked,
 *	seccomp-filtered child as an extraction (sandbox/isolate.c), which
 *	is stopped at its first record, the input's own, whose type is
 *	checked to be a plain MIME type name.  Opens FIFOs and devices never
 *	(they are "skipped").
 *
 * EXIT STATUS
 *	0 all paths identified; 66 some path could not be opened; 64 usage;
 *	74 write error.  See docpipe(1).
 */
#include "chain/stage.h"
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "sandbox/isolate.h"
#include "util/diag.h"
#include "util/escape.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/pathlist.h"

#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static DpStage stage;
static gboolean opt_tsv;
static gboolean opt_null;

static const DpStageSpec spec = {
	"[PATH...] - identify documents",
	(const GOptionEntry[]){
	    { "tsv", 0, 0, G_OPTION_ARG_NONE, &opt_tsv, "Print a tab-separated inventory (path, type, size, sha256)",
	      NULL },
	    { "null", '0', 0, G_OPTION_ARG_NONE, &opt_null, "Paths on standard input are NUL-separated", NULL },
	    G_OPTION_ENTRY_NULL },
	"Without PATH, reads paths from standard input (NUL- or newline-separated).\n"
	"Exit status: 0 ok, 64 usage, 66 a path could not be opened, 74 write error.\n"
	"See docpipe-detect(1).",
	DP_STAGE_ARGS,
};

/*
 * Where libmagic runs: read from the configuration the first time an
 * input needs it (most never do, and detect has no -c).  A configuration
 * that cannot be read leaves the built-in defaults, sandbox on.
 */
typedef struct {
	gboolean loaded;
	DpConfig *cfg;
	DpIsolateOpts iso;
} Magic;

static Magic magic;

static void
magic_setup(void)
{
	if (magic.loaded)
		return;
	magic.loaded = TRUE;
	g_autoptr(GError) error = NULL;
	magic.cfg = dp_config_load(NULL, &error);
	if (magic.cfg == NULL) {
		dp_warn("%s; libmagic runs sandboxed with the built-in limits", error->message);
		magic.cfg = dp_config_new_default();
	}
	dp_isolate_opts_from_config(magic.cfg, &magic.iso);
	/* The database is loaded here once; each child only reads the input. */
	dp_detect_magic_prepare();
}

/* A plain MIME type name: type "/" subtype, of letters, digits and ".+-_". */
static gboolean
plain_type(const char *t)
{
	gsize n = strlen(t), slash = 0;
	if (n == 0 || n > 127)
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		if (t[i] == '/' && slash == 0 && i > 0)
			slash = i;
		else if (!g_ascii_isalnum(t[i]) && strchr(".+-_", t[i]) == NULL)
			return FALSE;
	}
	return slash > 0 && slash + 1 < n;
}

/* The sandboxed child's first record is the input's: its type is all we want. */
static gboolean
take_type(DpRecord *rec, gpointer user, GError **error)
{
	char **type = user;
	if (*type == NULL)
		*type = g_strdup(dp_record_get(rec, DP_F_TYPE));
	/* Stops the child: the rest of its extraction is not wanted. */
	g_set_error_literal(error, DP_ERROR, DP_EXIT_OK, "type known");
	return FALSE;
}

/* REC says "detect: deferred": ask libmagic, sandboxed when the sandbox is on. */
static void
detect_deferred(DpRecord *rec, GBytes *data)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(data, &len);
	g_autofree char *type = NULL;
	magic_setup();
	if (!magic.iso.enabled) {
		type = dp_detect_magic(d, len, NULL);
	} else {
		g_autoptr(GError) local = NULL;
		DpExtractCtx ctx;
		dp_extract_ctx_init(&ctx, magic.cfg, take_type, &type);
		(void)dp_isolate_extract(&ctx, &magic.iso, rec, data, &local);
		dp_extract_ctx_clear(&ctx);
		if (type != NULL && !plain_type(type))
			g_clear_pointer(&type, g_free);
	}
	dp_record_set(rec, DP_F_TYPE, type ? type : DP_TYPE_UNKNOWN);
	dp_record_set(rec, DP_F_DETECT, NULL);
}

/* Identify PATH and write its record or inventory line. */
static gboolean
detect_one(const char *path, int *exit_code, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(DpRecord) rec = dp_detect_input(path, G_MAXUINT64, 0, &data, &local);
	if (rec == NULL) {
		dp_warn("%s", local->message);
		*exit_code = dp_exit_merge(*exit_code, local->code);
		return TRUE;
	}
	if (dp_record_get(rec, DP_F_DETECT) != NULL && data != NULL)
		detect_deferred(rec, data);
	if (opt_tsv) {
		const char *size = dp_record_get(rec, DP_F_SIZE);
		const char *sha = dp_record_get(rec, DP_F_SHA256);
		/* The path as given (non-ASCII stays readable), control characters escaped. */
		g_autofree char *p = dp_escape_line(path);
		printf("%s\t%s\t%s\t%s\n", p, dp_record_get(rec, DP_F_TYPE), size ? size : "-", sha ? sha : "-");
		return TRUE;
	}
	if (g_str_equal(path, "-") && data != NULL) {
		/* Standard input cannot be opened again by extract: send the bytes. */
		gsize len;
		const char *d = g_bytes_get_data(data, &len);
		dp_record_set(rec, DP_F_DATA, "inline");
		dp_record_set_body(rec, d, len);
	}
	return dp_record_write(rec, stdout, error);
}

int
main(int argc, char **argv)
{
	int code = dp_stage_start(&stage, &spec, NULL, NULL, &argc, &argv);
	if (code != DP_EXIT_OK)
		return code;
	if (opt_tsv)
		printf("path\ttype\tsize\tsha256\n");
	g_autoptr(GError) error = NULL;
	gboolean ok = TRUE;
	if (argc > 1) {
		for (int i = 1; ok && i < argc; i++)
			ok = detect_one(argv[i], &code, &error);
	} else {
		/* One path per line, or per NUL when any NUL is seen or -0 given. */
		g_autoptr(GBytes) in = dp_read_fd(0, "<stdin>", G_MAXUINT32, &error);
		if (in == NULL) {
			dp_warn("%s", error->message);
			return DP_EXIT_IOERR;
		}
		g_autoptr(GPtrArray) paths = dp_path_list_split(in, opt_null);
		for (guint i = 0; ok && i < paths->len; i++)
			ok = detect_one(paths->pdata[i], &code, &error);
	}
	g_clear_pointer(&magic.cfg, dp_config_unref);
	return dp_stage_finish(ok, &error, DP_EXIT_IOERR, code);
}
