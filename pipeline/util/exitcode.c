/*
 * exitcode.c: the exit-code table and its classification.
 *
 * One row per code: its name, its severity and whether it is temporary
 * (trying again later may help: I/O, OS, tempfail) or permanent.  A
 * program that met several codes exits with the most severe
 * (dp_exit_merge), so that a configuration or usage error is never hidden
 * behind a bad document; a code not in the table counts as the most
 * severe of all.
 */
#include "util/exitcode.h"

#include "util/banned.h"

G_DEFINE_QUARK(docpipe - error - quark, dp_error)

static const struct {
	int code;
	const char *name;
	int severity; /* higher wins in dp_exit_merge() */
	gboolean temporary;
} exit_table[] = {
	{ DP_EXIT_OK, "ok", 0, FALSE },
	{ DP_EXIT_NOPERM, "encrypted", 1, FALSE },
	{ DP_EXIT_DATAERR, "dataerr", 2, FALSE },
	{ DP_EXIT_NOINPUT, "noinput", 3, FALSE },
	{ DP_EXIT_PROTOCOL, "protocol", 4, FALSE },
	{ DP_EXIT_CANTCREAT, "cantcreat", 5, FALSE },
	{ DP_EXIT_IOERR, "ioerr", 6, TRUE },
	{ DP_EXIT_OSERR, "oserr", 7, TRUE },
	{ DP_EXIT_TEMPFAIL, "tempfail", 8, TRUE },
	{ DP_EXIT_SOFTWARE, "software", 9, FALSE },
	{ DP_EXIT_CONFIG, "config", 10, FALSE },
	{ DP_EXIT_USAGE, "usage", 11, FALSE },
};

static int
find_exit(int code)
{
	for (guint i = 0; i < G_N_ELEMENTS(exit_table); i++)
		if (exit_table[i].code == code)
			return (int)i;
	return -1;
}

gboolean
dp_exit_is_temporary(int code)
{
	int i = find_exit(code);
	return i >= 0 && exit_table[i].temporary;
}

const char *
dp_exit_name(int code)
{
	int i = find_exit(code);
	return i >= 0 ? exit_table[i].name : "unknown";
}

int
dp_exit_merge(int a, int b)
{
	int ia = find_exit(a), ib = find_exit(b);
	/* An unknown code (a crashed child, say) is treated as the most severe. */
	if (ia < 0)
		return a;
	if (ib < 0)
		return b;
	return exit_table[ia].severity >= exit_table[ib].severity ? a : b;
}

int
dp_status_exit_code(const char *status)
{
	if (status == NULL || g_str_equal(status, DP_STATUS_OK) || g_str_equal(status, DP_STATUS_UNSUPPORTED) ||
	    g_str_equal(status, DP_STATUS_SKIPPED))
		return DP_EXIT_OK;
	if (g_str_equal(status, DP_STATUS_ENCRYPTED))
		return DP_EXIT_NOPERM;
	return DP_EXIT_DATAERR;
}
