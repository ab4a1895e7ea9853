/*
 * NAME
 *	phone-lib.cc - libphonenumber behind two C functions (docpipe-phone.so)
 *
 * DESCRIPTION
 *	The phone detector finds its candidates itself (redact/detectors.c,
 *	redact/phone.c) and asks this shim only one question per candidate:
 *	is this string of digits a valid number, in the international form
 *	or in a region's national form?  libphonenumber answers from the
 *	numbering plans in its metadata (lengths and leading digits of every
 *	number type of every region).  Its matcher is never run over text: it
 *	is far slower than the Hyperscan and digit-run scan, and it would
 *	decide extents the rest of the engine decides.
 *
 *	The shim is C++ because libphonenumber is; it is built as a module
 *	so that only a process configured for such regions loads it (with
 *	ICU and protobuf, several milliseconds of dynamic linking).
 *
 * SECURITY
 *	The numbers come from untrusted text, but only as at most 24 ASCII
 *	digits with an optional '+' (phone.c builds them).  No exception
 *	leaves this file: a failure is an answer of 0.  libphonenumber's
 *	logging is silenced so that a number is never written to stderr.
 */
#include "redact/phone.h"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

/*
 * The instance, with its logger replaced by one that says nothing (the
 * default logs parse failures, numbers included, to stderr).
 */
PhoneNumberUtil *
util()
{
	static PhoneNumberUtil *u = [] {
		PhoneNumberUtil *p = PhoneNumberUtil::GetInstance();
		p->SetLogger(new i18n::phonenumbers::NullLogger());
		return p;
	}();
	return u;
}

} // namespace

extern "C" int
dp_phonelib_region_known(const char *region)
{
	try {
		std::set<std::string> regions;
		util()->GetSupportedRegions(&regions);
		return regions.count(region) != 0;
	} catch (...) {
		return 0;
	}
}

extern "C" int
dp_phonelib_valid(const char *number, const char *region)
{
	try {
		PhoneNumberUtil *u = util();
		PhoneNumber pn;
		bool intl = number[0] == '+';
		if (u->Parse(number, intl ? "ZZ" : region, &pn) != PhoneNumberUtil::NO_PARSING_ERROR)
			return 0;
		if (intl)
			return u->IsValidNumber(pn) ? 1 : 0;
		return u->IsValidNumberForRegion(pn, region) ? 1 : 0;
	} catch (...) {
		return 0;
	}
}

extern "C" void
dp_phonelib_trunk_prefix(const char *region, char *buf, int size)
{
	buf[0] = '\0';
	try {
		std::string ndd;
		util()->GetNddPrefixForRegion(region, true, &ndd);
		if ((int)ndd.size() < size) {
			ndd.copy(buf, ndd.size());
			buf[ndd.size()] = '\0';
		}
	} catch (...) {
		buf[0] = '\0';
	}
}
