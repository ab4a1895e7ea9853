/*
 * config.h: configuration, from one GLib key file over compiled-in defaults.
 * Every key is declared once in the schema table in config.c with its type,
 * default and documentation; config/docpipe.conf documents the same keys.
 */
#ifndef DOCPIPE_CONFIG_H
#define DOCPIPE_CONFIG_H

#include <glib.h>

typedef struct DpConfig DpConfig;

/*
 * Load the configuration in layers, each value replacing the one below it
 * key by key: the built-in defaults; the system file
 * (SYSCONFDIR/docpipe/docpipe.conf, /etc unless the build says otherwise,
 * or $DOCPIPE_SYSCONFIG; set empty, none) when it exists; then the user's
 * file, the first of EXPLICIT (from -c), $DOCPIPE_CONFIG and
 * $XDG_CONFIG_HOME/docpipe/docpipe.conf (when it exists).  An unknown
 * group or key, or a value of the wrong type, in any of them fails with
 * DP_EXIT_CONFIG and a message naming the file, line and key.
 */
DpConfig *dp_config_load(const char *explicit_path, GError **error);
/* Only the built-in defaults. */
DpConfig *dp_config_new_default(void);
/* Parse DATA as if it were the file NAME (for tests). */
DpConfig *dp_config_load_data(const char *data, const char *name, GError **error);
DpConfig *dp_config_ref(DpConfig *cfg);
void dp_config_unref(DpConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpConfig, dp_config_unref)

/* Override one value (from a command-line option); validated like a file. */
gboolean dp_config_set(DpConfig *cfg, const char *group, const char *key, const char *value, GError **error);

/* Typed access; the key must be in the schema (a programming error otherwise). */
gboolean dp_config_get_bool(const DpConfig *cfg, const char *group, const char *key);
gint64 dp_config_get_int(const DpConfig *cfg, const char *group, const char *key);
guint64 dp_config_get_size(const DpConfig *cfg, const char *group, const char *key);
char *dp_config_get_string(const DpConfig *cfg, const char *group, const char *key);
char **dp_config_get_list(const DpConfig *cfg, const char *group, const char *key);

/* The groups present whose name starts with PREFIX ("rule "), sorted. */
char **dp_config_groups_with_prefix(const DpConfig *cfg, const char *prefix);
/* Whether GROUP/KEY was given explicitly (not a default). */
gboolean dp_config_has(const DpConfig *cfg, const char *group, const char *key);

/* The last file loaded (the user's, else the system file), or NULL when only defaults are in effect. */
const char *dp_config_file(const DpConfig *cfg);
/*
 * PATH resolved against the directory of dp_config_file() when relative.
 * A relative path in the system file is therefore only right when no user
 * file is laid over it: the system file should give absolute paths.
 */
char *dp_config_resolve_path(const DpConfig *cfg, const char *path);

/* A SHA-256 of every effective value, for the batch ledger. */
char *dp_config_fingerprint(const DpConfig *cfg);
/* Every effective value with its origin, as printed by `docpipe config`. */
void dp_config_dump(const DpConfig *cfg, GString *out);

/*
 * The directory of Tesseract's language data ($TESSDATA_PREFIX, else
 * Debian's), and for LANGUAGES ("eng+deu") a message naming the first one
 * whose data is not there and the package to install, or NULL.
 */
char *dp_config_tessdata_dir(void);
char *dp_config_tessdata_missing(const char *languages);

/* Parse "10", "64K", "1.5M", "2G" into bytes. */
gboolean dp_parse_size(const char *s, guint64 *out);

#endif
