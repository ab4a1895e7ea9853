/*
 * moddir.h: finding and opening a loadable module of docpipe's by its
 * file name, in the directories modules are installed in.
 */
#ifndef DOCPIPE_MODDIR_H
#define DOCPIPE_MODDIR_H

#include <gmodule.h>

/*
 * Open MODULE.so from the first module directory that has one holding
 * every symbol named in SYMBOLS (NULL-terminated), storing their
 * addresses, in order, in ADDRS.  NULL with *WHY (what each file that was
 * tried said, or that none was found) otherwise.  The module stays
 * loaded for the life of the process.
 */
GModule *dp_moddir_open(const char *module, const char *const *symbols, gpointer *addrs, char **why);

#endif
