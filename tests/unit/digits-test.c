/*
 * digits-test: redact/detectors.c's dp_digits_alone(), the test that lets
 * find() skip the number-shaped detectors at a run of digits.  A "no"
 * where a value may start is a missed SSN, card, IBAN, address or phone
 * number, so every shape the detectors take is tried at its first run and
 * at its later ones; numbers alone in prose must come out "yes".
 */
#include "redact/internal.h"

#include "unit.h"

/* Whether the run of digits at the first '^' of S (the mark removed) is alone. */
static gboolean
alone_at_mark(const char *s)
{
	g_autoptr(GString) v = g_string_new(s);
	const char *m = strchr(s, '^');
	g_assert_nonnull(m);
	gsize d = (gsize)(m - s);
	g_string_erase(v, (gssize)d, 1);
	return dp_digits_alone(v->str, v->len, d);
}

static void
test_values_are_not_alone(void)
{
	static const char *const values[] = {
		"SSN ^123-45-6789 here",
		"SSN 123-^45-6789 here",
		"ssn ^123 45 6789",
		"id ^123456789 x",
		"card ^4111 1111 1111 1111",
		"card 4111 ^1111 1111 1111",
		"card ^4111111111111111",
		"GB^82 WEST 1234",
		"IP ^10.0.0.1 ok",
		"IP 10.^0.0.1 ok",
		"call ^202-555-0143",
		"call (^202) 555-0143",
		"call +^1 202 555 0143",
		"tel ^030/901820",
		"^5550143 ext 12",
		"12 text ^34 ext 5",
		"^1234 , 5678",
		"^12:30",
		"x^12",
		"^1234567 alone",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
		if (alone_at_mark(values[i]))
			g_error("'%s' taken for a number alone", values[i]);
}

static void
test_numbers_alone(void)
{
	static const char *const alone[] = {
		"in ^1999 the council", "page ^12.",       "^42", "item ^7 of the list", "^123456 words",
		"(^12 members)",        "^12 the meeting",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(alone); i++)
		if (!alone_at_mark(alone[i]))
			g_error("'%s' not taken for a number alone", alone[i]);
}

DP_UNIT_MAIN("digits", test_values_are_not_alone, test_numbers_alone)
