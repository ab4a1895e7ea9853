/*
 * phone.h: international phone numbers validated with libphonenumber's
 * numbering plans, for the regions of [redact] phone-regions.
 *
 * Two halves.  redact/phone-lib.cc is a small C++ shim over libphonenumber,
 * built as the loadable module docpipe-phone.so (libphonenumber, ICU and
 * protobuf are loaded only by a process whose configuration asks for a
 * region the built-in detector does not cover); its entry points are the
 * extern "C" functions below.  redact/phone.c is the C side: it reads the
 * configuration, loads the module, and checks the candidates the phone
 * detector (redact/detectors.c) hands it.
 */
#ifndef DOCPIPE_REDACT_PHONE_H
#define DOCPIPE_REDACT_PHONE_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the module's entry points (docpipe-phone.so) ----------------------- */

/*
 * Is REGION (two letters, "GB") one libphonenumber has metadata for?
 * Returns 1 or 0.
 */
int dp_phonelib_region_known(const char *region);
#define DP_PHONELIB_REGION_KNOWN "dp_phonelib_region_known"

/*
 * Is NUMBER (ASCII digits, with a leading '+' for the international form)
 * a valid number?  With '+': valid for its country calling code, whatever
 * the region.  Without: parsed as REGION's national form and valid for
 * REGION (phone.c has already checked the trunk prefix).  Returns 1 or 0;
 * never throws.
 */
int dp_phonelib_valid(const char *number, const char *region);
#define DP_PHONELIB_VALID "dp_phonelib_valid"

/*
 * The trunk (national dialling) prefix of REGION, digits only, into BUF
 * (SIZE bytes, NUL-terminated, "" when the region has none: IT, ES).
 */
void dp_phonelib_trunk_prefix(const char *region, char *buf, int size);
#define DP_PHONELIB_TRUNK_PREFIX "dp_phonelib_trunk_prefix"

#ifdef __cplusplus
}
#else

#include <glib.h>
#include "core/config.h"

/* ---- the C side (phone.c) ----------------------------------------------- */

typedef struct DpPhone DpPhone;

/*
 * Read [redact] phone-regions from CFG.  Returns TRUE with *OUT NULL when
 * every region is one the built-in detector covers (the North American
 * numbering plan): nothing is loaded.  Otherwise loads docpipe-phone.so and
 * checks each region against its metadata; a missing module or an unknown
 * region is a configuration error.
 */
gboolean dp_phone_new(const DpConfig *cfg, DpPhone **out, GError **error);
void dp_phone_free(DpPhone *ph);

/*
 * What dp_phone_scan() reports to: BOUNDED says whether a span [S, E) of
 * the view stands alone (the caller's rules: no letter or digit touching
 * it, not part of an identifier); ADD takes a valid number.
 */
typedef struct {
	gboolean (*bounded)(void *ctx, gsize s, gsize e);
	void (*add)(void *ctx, gsize s, gsize e);
	void *ctx;
} DpPhoneSink;

/*
 * The view V (VLEN bytes) holds, at [VS, VE), part of a region of digits
 * and phone punctuation that the built-in phone detector did not take.
 * Every span of one chain of digit runs there that libphonenumber finds
 * valid for a configured region, and that is not a look-alike (a date,
 * an amount, an IP address, a ZIP+4 code, an ISBN, a range), goes to
 * SINK, longest first.  Returns the view offset where the next chain
 * starts (VE when the chain reached it).
 */
/*
 * Is the number at [S, E) of the view V an amount: a currency sign or
 * code ("$", "EUR", "R$", ...) just before it or just after it?  (The
 * built-in detector asks too: "1 234 567 EUR" has a phone's grouping.)
 */
gboolean dp_phone_is_amount(const char *v, gsize vlen, gsize s, gsize e);

gsize dp_phone_scan(const DpPhone *ph, const char *v, gsize vlen, gsize vs, gsize ve, const DpPhoneSink *sink);

#endif

#endif
