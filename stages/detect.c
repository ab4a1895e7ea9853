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
 *	prints an inventory instead: path, type, size, sha256.
 *
 * SECURITY
 *	Reads the first bytes of untrusted files with libmagic and our own
 *	sniffers; opens FIFOs and devices never (they are "skipped").
 *
 * EXIT STATUS
 *	0 all paths identified; 66 some path could not be opened; 64 usage;
 *	74 write error.  See docpipe(1).
 */
#include "chain/chain.h"
#include "core/record.h"
#include "util/diag.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/pathlist.h"

#include <unistd.h>
#include <stdio.h>

#include "util/banned.h"

static gboolean opt_tsv;
static gboolean opt_null;

static const GOptionEntry options[] = {
	{ "tsv", 0, 0, G_OPTION_ARG_NONE, &opt_tsv, "Print a tab-separated inventory (path, type, size, sha256)", NULL },
	{ "null", '0', 0, G_OPTION_ARG_NONE, &opt_null, "Paths on standard input are NUL-separated", NULL },
	G_OPTION_ENTRY_NULL
};

/* Identify PATH and write its record or inventory line. */
static gboolean
detect_one(const char *path, int *exit_code, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(DpRecord) rec = dp_detect_input(path, G_MAXUINT64, TRUE, &data, &local);
	if (rec == NULL) {
		dp_warn("%s", local->message);
		*exit_code = dp_exit_merge(*exit_code, local->code);
		return TRUE;
	}
	if (opt_tsv) {
		const char *size = dp_record_get(rec, DP_F_SIZE);
		const char *sha = dp_record_get(rec, DP_F_SHA256);
		g_autofree char *p = g_strescape(path, NULL);
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
	g_autoptr(GError) error = NULL;
	dp_set_prgname(argv[0]);
	g_autoptr(GOptionContext) ctx = g_option_context_new("[PATH...] - identify documents");
	g_option_context_add_main_entries(ctx, options, NULL);
	g_option_context_set_description(ctx, "Without PATH, reads paths from standard input (NUL- or newline-separated).\n"
					      "Exit status: 0 ok, 64 usage, 66 a path could not be opened, 74 write error.\n"
					      "See docpipe-detect(1).");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		dp_warn("%s", error->message);
		return DP_EXIT_USAGE;
	}
	int code = DP_EXIT_OK;
	gboolean ok = TRUE;
	if (opt_tsv)
		printf("path\ttype\tsize\tsha256\n");
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
	if (ok)
		ok = dp_close_stream(stdout, "<stdout>", &error);
	if (!ok) {
		dp_warn("%s", error->message);
		return DP_EXIT_IOERR;
	}
	return code;
}
