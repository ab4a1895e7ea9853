/*
 * proc.c: finding and running other programs.
 */
#include "util/proc.h"

#include <string.h>

#include "util/banned.h"

char *
dp_find_program(const char *self, const char *prog)
{
	if (self != NULL && strchr(self, '/') != NULL) {
		g_autofree char *dir = g_path_get_dirname(self);
		char *p = g_build_filename(dir, prog, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
			return p;
		g_free(p);
	}
	return g_find_program_in_path(prog);
}
