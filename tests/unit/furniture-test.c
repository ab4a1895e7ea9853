/*
 * furniture-test: the page furniture of FOIA releases (foia/furniture.c).
 *
 * The page texts are short snippets of the State Department's release of
 * the Clinton e-mails (corpus/state-release-text, as pdftotext -layout
 * prints them; public-domain U.S. government works), then OCR-damaged
 * variants, prose that must stay text, and hostile input.
 */
#include "foia/furniture.h"

#include "core/record.h"
#include "core/text.h"
#include "util/exitcode.h"

#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "util/banned.h"

/* C05758398, page 1 and the banner of page 2. */
static const char june_web[] =
    "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
    "\n"
    "\n"
    "                                                                                RELEASE IN PART\n"
    "                                                                                B6\n"
    "\n"
    "From:                             H <hrod17@clintonemail.com>\n"
    "Sent:                             Monday, April 13, 2009 11:09 AM\n"
    "Subject:                          Re: Note for Secretary re Office of Overseas Buildings\n"
    "\n"
    "Let's do Patsy. I'm ready.\n"
    "\n"
    "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
    "\f"
    "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
    "Cheryl\n"
    "\n"
    "Per discussion\n";

/* C05739559: the banner over five lines, production stamps, a Bates number. */
static const char benghazi[] =
    "UNCLASSIFIED                              STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.\n"
    "U.S. Department of State       SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.\n"
    "Case No. F-2015-04841\n"
    "Doc No. C05739559\n"
    "Date: 05/13/2015                                                                                              "
    "RELEASE IN\n"
    "                                                                                                              "
    "PART B6\n"
    "\n"
    "               Pis print.\n"
    "              From                     [meat)                                                     B6\n"
    "              Sent: Wednesday, September 12, 2012 01:00 PM\n"
    "\n"
    "UNCLASSIFIED\n"
    "U.S. Department of State\n"
    "Case No. F-2015-04841\n"
    "Doc No. C05739559                         STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.\n"
    "Date: 05/13/2015               SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.      "
    "              STATE-SCB0045251\n";

/* C05761972: codes in the margin and the classification block. */
static const char classified[] =
    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05761972 Date: 06/30/2015\n"
    "                                                                                  RELEASE IN PART\n"
    "                                                                                  B1,1.4(B),1.4(D)\n"
    "Japanese raised and the Koreans welcomed the prospect of China-U.S.-Korea talks to match the              B1\n"
    "the Asian members of the G-20 plus us, which would include all those countries plus Indonesia.   1.4(B)\n"
    "\n"
    "                  Classified by DAS, A/GIS, DoS on 06/30/2015 - Class: CONFIDENTIAL - Reason: 1.4(B), 1.4(D)\n"
    "                  - Declassify on: 06/06/2034\n"
    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05761972 Date: 06/30/2015\n";

static DpFurniture *
furniture(void)
{
	g_autoptr(GError) error = NULL;
	DpFurniture *f = dp_furniture_new(NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f);
	return f;
}

/* A record whose body is TEXT normalized, as the extractors give it. */
static DpRecord *
record(const char *text)
{
	DpRecord *rec = dp_record_new();
	g_autoptr(GString) norm = dp_text_normalize(text, strlen(text));
	dp_record_set_body(rec, norm->str, norm->len);
	return rec;
}

/* The values of every KEY field, "|"-joined. */
static char *
all_values(const DpRecord *rec, const char *key)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *fl = rec->fields->pdata[i];
		if (!g_str_equal(fl->key, key))
			continue;
		if (s->len > 0)
			g_string_append_c(s, '|');
		g_string_append(s, fl->value);
	}
	return g_string_free(s, FALSE);
}

static void
test_banner_state(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(june_web);
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "F-2014-20439");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.doc"), ==, "C05758398");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.date"), ==, "2015-06-30");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.release"), ==, "part");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "B6");
	g_assert_cmpstr(dp_record_get(rec, DP_F_EXEMPTION), ==, "B6 1 Personal privacy: 5 U.S.C. 552(b)(6)");
	g_assert_null(dp_record_get(rec, "meta.foia.classification"));
	/* The furniture is gone, the message is byte for byte, the pages stay. */
	g_assert_cmpstr(rec->body->str, ==,
	                "From:                             H <hrod17@clintonemail.com>\n"
	                "Sent:                             Monday, April 13, 2009 11:09 AM\n"
	                "Subject:                          Re: Note for Secretary re Office of Overseas Buildings\n"
	                "\n"
	                "Let's do Patsy. I'm ready.\n"
	                "\f"
	                "Cheryl\n"
	                "\n"
	                "Per discussion\n");
	g_autoptr(GString) again = dp_text_normalize(rec->body->str, rec->body->len);
	g_assert_cmpstr(again->str, ==, rec->body->str);
}

static void
test_banner_multiline_stamps_bates(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(benghazi);
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "F-2015-04841");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.doc"), ==, "C05739559");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.date"), ==, "2015-05-13");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.release"), ==, "part");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "B6");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.bates"), ==, "STATE-SCB0045251;STATE-SCB0045251");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.stamp"), ==,
	                "STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM. SUBJECT TO AGREEMENT ON SENSITIVE "
	                "INFORMATION & REDACTIONS. NO FOIA WAIVER.");
	/* The B6 beside a header line is recorded, and the line kept whole. */
	g_assert_cmpstr(rec->body->str, ==,
	                "               Pis print.\n"
	                "              From                     [meat)                                                 "
	                "    B6\n"
	                "              Sent: Wednesday, September 12, 2012 01:00 PM\n");
}

static void
test_classification(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(classified);
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.classification"), ==,
	                "CONFIDENTIAL; Classified by: DAS, A/GIS, DoS on 06/30/2015; Reason: 1.4(B), 1.4(D); "
	                "Declassify on: 2034-06-06");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "1.4(B);1.4(D);B1");
	g_autofree char *ex = all_values(rec, DP_F_EXEMPTION);
	g_assert_nonnull(strstr(ex, "1.4(B) 1 Foreign government information: E.O. 13526 sec. 1.4(b)"));
	g_assert_nonnull(
	    strstr(ex, "B1 1 Classified national defense or foreign policy information: 5 U.S.C. 552(b)(1)"));
	g_assert_nonnull(strstr(ex, "1.4(D) 1 Foreign relations"));
	/* The text lines with codes in the margin stay; the block goes. */
	g_assert_nonnull(strstr(rec->body->str, "Koreans welcomed"));
	g_assert_nonnull(strstr(rec->body->str, "plus Indonesia.   1.4(B)\n"));
	g_assert_null(strstr(rec->body->str, "Classified by"));
	g_assert_null(strstr(rec->body->str, "Declassify"));
	g_assert_null(strstr(rec->body->str, "Case No."));
}

/*
 * A marking alone: in a release it is the level (above a message's
 * UNCLASSIFIED); in a letter it is text.
 */
static void
test_classification_marking(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rel = record("Classification: UNCLASSIFIED\n"
	                                 "SECRET//NOFORN\n"
	                                 "                                            RELEASE IN PART B1\n"
	                                 "Text.\n");
	g_assert_true(dp_furniture_apply(f, rel, FALSE));
	g_assert_cmpstr(dp_record_get(rel, "meta.foia.classification"), ==, "SECRET//NOFORN");
	g_assert_cmpstr(rel->body->str, ==, "Text.\n");

	static const char letter[] = "CONFIDENTIAL\n\nDear Sir,\nThe figures follow.\n";
	g_autoptr(DpRecord) rec = record(letter);
	g_assert_false(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(rec->body->str, ==, letter);
}

/* The Benghazi committee's production stamp, as one value. */
#define BENGHAZI_STAMP                                                                                                 \
	"PRODUCED TO HOUSE SELECT BENGHAZI COMM. SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO "      \
	"FURTHER PRODUCTION OR DISSEMINATION WITHOUT EXPRESS WRITTEN PERMISSION."

/*
 * A stamp printed over lines is one stamp, as a text layer without layout
 * gives it; capitals under a finished stamp are text.
 */
static void
test_stamp_over_lines(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record("Doc No. C05762619\n"
	                                 "PRODUCED TO HOUSE SELECT BENGHAZI COMM. SUBJECT TO AGREEMENT ON\n"
	                                 "SENSITIVE INFORMATION & REDACTIONS. NO FURTHER PRODUCTION OR\n"
	                                 "DISSEMINATION WITHOUT EXPRESS WRITTEN PERMISSION.\n"
	                                 "MEMORANDUM FOR THE SECRETARY\n"
	                                 "\f"
	                                 "PRODUCED TO HOUSE SELECT BENGHAZI COMM. SUBJECT TO AGREEMENT ON\n"
	                                 "SENSITIVE INFORMATION & REDACTIONS. NO FURTHER PRODUCTION OR\n"
	                                 "Text.\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.stamp"), ==, BENGHAZI_STAMP);
	g_assert_cmpstr(rec->body->str, ==, "MEMORANDUM FOR THE SECRETARY\n\fText.\n");
}

/* OCR joins the banner's column and the stamp's with one space. */
static void
test_ocr_joined_columns(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec =
	    record("UNCLASSIFIED PRODUCED TO HOUSE SELECT BENGHAZI COMM. SUBJECT TO AGREEMENT ON\n"
	           "U.S. Department of State SENSITIVE INFORMATION & REDACTIONS. NO FURTHER PRODUCTION OR\n"
	           "Case No. F-2015-04841 DISSEMINATION WITHOUT EXPRESS WRITTEN PERMISSION.\n"
	           "\n"
	           "Doc No. C05768918\n"
	           "\n"
	           "Date: 05/13/2015\n"
	           "From: Brandt, Miriam\n"
	           "Case No. F-2015-04841 was opened in 2015.\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "F-2015-04841");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.doc"), ==, "C05768918");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.date"), ==, "2015-05-13");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.stamp"), ==, BENGHAZI_STAMP);
	g_assert_cmpstr(rec->body->str, ==, "From: Brandt, Miriam\nCase No. F-2015-04841 was opened in 2015.\n");
}

/* Classification clauses in the right column of a text line are cut off it. */
static void
test_classification_beside_text(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec =
	    record("                                                   Classified by DAS, A/GIS, DoS on 06/30/2015 — "
	           "Class: CONFIDENTIAL\n"
	           "Thx so much for all of your help.                  — Reason: 1.4(B), 1.4(D) — Declassify on: "
	           "07/25/2024\n"
	           "Bill\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(rec->body->str, ==, "Thx so much for all of your help.\nBill\n");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.classification"), ==,
	                "CONFIDENTIAL; Classified by: DAS, A/GIS, DoS on 06/30/2015; Reason: 1.4(B), 1.4(D); "
	                "Declassify on: 2024-07-25");
}

/* What OCR does to the furniture, each alone on a page. */
static void
test_ocr_damage(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(
	    /* Slate, broken spacing, O for 0 in the case number. */
	    "UNCLASSIFIED U.S. Department of Slate Case No.F-2O14-20439 Doc No. C05758398 Date: 06/30/2015\n"
	    "                                                                     RELEASE IN PART\n"
	    "                                                                     BG\n"
	    "Text one.\n"
	    "\f"
	    /* Cut at the right page edge; 86 for B6 in the margin. */
	    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C0575\n"
	    "Text two.                                                                           86\n"
	    "\f"
	    /* Cut at the left page edge; B 6 in a column of its own. */
	    "partment of State Case No. F-2014-20439 Doc No. C05758398 Date: 06/3072015\n"
	    "                                                                           B 6\n"
	    "Text three.\n"
	    "\f"
	    /* Only the right part of the banner. */
	    "ase No. F-2014-20439 Doc No. C05758398 Date: 06/30/2015\n"
	    "[RELEASE IN FULLI\n"
	    "Text four.\n"
	    "\f"
	    /* Cut in the date, and in a word. */
	    "UNCLASSIFIED U.S. Department of Slate Case No. F-2014-20439 Doc No. C05758398 Date: 0\n"
	    "Text five.\n"
	    "\f"
	    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc N\n"
	    "Text six.\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "F-2014-20439");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.doc"), ==, "C05758398");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.date"), ==, "2015-06-30");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.release"), ==, "part");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "B6");
	g_assert_cmpstr(dp_record_get(rec, DP_F_EXEMPTION), ==, "B6 1,2,3 Personal privacy: 5 U.S.C. 552(b)(6)");
	g_assert_cmpstr(rec->body->str, ==,
	                "Text one.\n\fText two.                                                                    "
	                "       86\n\fText three.\n\fText four.\n\fText five.\n\fText six.\n");
}

/* Release dates: OCR's O and l read as digits; a date that is none is not kept. */
static void
test_dates(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) ocr =
	    record("UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 "
	           "Date: O6/3O/2Ol5\nText.\n");
	g_assert_true(dp_furniture_apply(f, ocr, FALSE));
	g_assert_cmpstr(dp_record_get(ocr, "meta.foia.date"), ==, "2015-06-30");
	g_assert_cmpstr(ocr->body->str, ==, "Text.\n");

	static const char *const bad[] = { "02/30/2015", "13/01/2015",  "262/30/2015", "00/10/2015",
		                           "06/00/2015", "06/286/2015", "06/30/0000" };
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *text = g_strdup_printf("UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 "
		                                        "Doc No. C05758398 Date: %s\nText.\n",
		                                        bad[i]);
		g_autoptr(DpRecord) rec = record(text);
		dp_furniture_apply(f, rec, FALSE);
		g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "F-2014-20439");
		g_assert_null(dp_record_get(rec, "meta.foia.date"));
	}
}

/* pdftotext -layout prints a narrow stamp over two lines. */
static void
test_release_split(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) full = record("                    RELEASE\n"
	                                  "                    IN FULL\n"
	                                  "PART ONE: INTRODUCTION\n");
	g_assert_true(dp_furniture_apply(f, full, FALSE));
	g_assert_cmpstr(dp_record_get(full, "meta.foia.release"), ==, "full");
	g_assert_cmpstr(full->body->str, ==, "PART ONE: INTRODUCTION\n");

	g_autoptr(DpRecord) part = record("                    RELEASE IN\n"
	                                  "                    PART B5,B6\n"
	                                  "Text.\n");
	g_assert_true(dp_furniture_apply(f, part, FALSE));
	g_assert_cmpstr(dp_record_get(part, "meta.foia.release"), ==, "part");
	g_assert_cmpstr(dp_record_get(part, "meta.foia.exemptions"), ==, "B5;B6");
	g_assert_cmpstr(part->body->str, ==, "Text.\n");

	/* "PART" without a "RELEASE IN" above it is text. */
	g_autoptr(DpRecord) alone = record("Introduction\nPART B6\n");
	g_assert_false(dp_furniture_apply(f, alone, FALSE));
	g_assert_cmpstr(alone->body->str, ==, "Introduction\nPART B6\n");

	/* Another stamp's line between the two halves (C05739612). */
	g_autoptr(DpRecord) between = record("Case No. F-2015-04841\n"
	                                     "Doc No. C05739612\n"
	                                     "                                                   RELEASE IN\n"
	                                     "Date: 05/13/2015\n"
	                                     "                                                   FULL\n"
	                                     "From: Mills, Cheryl D\n");
	g_assert_true(dp_furniture_apply(f, between, FALSE));
	g_assert_cmpstr(dp_record_get(between, "meta.foia.release"), ==, "full");
	g_assert_cmpstr(dp_record_get(between, "meta.foia.date"), ==, "2015-05-13");
	g_assert_cmpstr(between->body->str, ==, "From: Mills, Cheryl D\n");

	g_autoptr(DpRecord) denied = record("WITHHELD IN FULL B6\nNothing follows.\n");
	g_assert_true(dp_furniture_apply(f, denied, FALSE));
	g_assert_cmpstr(dp_record_get(denied, "meta.foia.release"), ==, "withheld");
}

static void
test_exemption_codes(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record("RELEASE IN PART B7(C), B6, b7 (c)\n"
	                                 "Text one.\n"
	                                 "\f"
	                                 "Text two.                          (b)(7)(E)\n"
	                                 "                                   B3 CIA PERS/ORG\n"
	                                 "\f"
	                                 "                                   1.4(d); B1\n"
	                                 "Text three.\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "1.4(D);B1;B3;B6;B7(C);B7(E)");
	g_autofree char *ex = all_values(rec, DP_F_EXEMPTION);
	g_assert_nonnull(strstr(ex, "B7(C) 1 Law enforcement: personal privacy"));
	g_assert_nonnull(strstr(ex, "B7(E) 2 Law enforcement: techniques and procedures"));
	g_assert_nonnull(strstr(ex, "B3 2 Specifically exempted from disclosure by statute: 5 U.S.C. 552(b)(3) "
	                            "(statute: CIA PERS/ORG)"));
	g_assert_nonnull(strstr(ex, "1.4(D) 3 Foreign relations"));
	g_assert_cmpstr(rec->body->str, ==,
	                "Text one.\n\fText two.                          (b)(7)(E)\n\fText three.\n");
}

static void
test_meanings(void)
{
	static const char *const codes[] = { "B1",     "B2",     "B3",     "B4",     "B5",     "B6",
		                             "B7",     "B7(A)",  "B7(B)",  "B7(C)",  "B7(D)",  "B7(E)",
		                             "B7(F)",  "B8",     "B9",     "1.4(A)", "1.4(B)", "1.4(C)",
		                             "1.4(D)", "1.4(E)", "1.4(F)", "1.4(G)", "1.4(H)" };
	for (gsize i = 0; i < G_N_ELEMENTS(codes); i++) {
		const char *m = dp_furniture_exemption_meaning(codes[i]);
		g_assert_nonnull(m);
		/* Each cites its source: 552(b)(N) or E.O. 13526 sec. 1.4(x). */
		g_assert_true(strstr(m, "5 U.S.C. 552(b)(") != NULL || strstr(m, "E.O. 13526 sec. 1.4(") != NULL);
	}
	g_assert_cmpstr(dp_furniture_exemption_meaning("B6"), ==, "Personal privacy: 5 U.S.C. 552(b)(6)");
	g_assert_nonnull(strstr(dp_furniture_exemption_meaning("B7(C)"), "552(b)(7)(C)"));
	g_assert_null(dp_furniture_exemption_meaning("B10"));
	g_assert_null(dp_furniture_exemption_meaning("X"));
	g_assert_null(dp_furniture_exemption_meaning(NULL));
}

static void
test_bates_first_last(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record("Page one.\n"
	                                 "                                                   ABC000123\n"
	                                 "\fPage two.\n"
	                                 "                                                   ABC000124\n"
	                                 "\fPage three.                                       ABC000125\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.bates"), ==, "ABC000123;ABC000125");
	g_assert_cmpstr(rec->body->str, ==, "Page one.\n\fPage two.\n\fPage three.\n");
}

/* Prose that mentions the furniture's words is text; nothing is touched. */
static void
test_prose_is_not_furniture(void)
{
	static const char memo[] = "MEMORANDUM\n"
	                           "\n"
	                           "To:      The Secretary\n"
	                           "From:    S/P - Anne-Marie Slaughter\n"
	                           "Subject: Release of the Benghazi documents\n"
	                           "\n"
	                           "The committee cited exemption B6 for the names in Case No. F-2014-20439.\n"
	                           "We expect a release in part, B5 and B6, by Friday.\n"
	                           "Room B1 is booked; see Doc No. C05739545 for the draft.\n"
	                           "The reason: 1.4(D) applies to the annex.\n"
	                           "Please see Doc No. C05739545\n"
	                           "Date: tomorrow\n";
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(memo);
	g_autoptr(GString) before = g_string_new_len(rec->body->str, (gssize)rec->body->len);
	g_assert_false(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(rec->body->str, ==, before->str);
	g_assert_cmpuint(rec->fields->len, ==, 0);
}

/*
 * Bare codes count only in a release: in any other text "84" in a column
 * is a number and "B1" a room.
 */
static void
test_weak_codes_alone(void)
{
	static const char table[] = "Quarter                 Sales                                   Returns\n"
	                            "Q1                      1200                                    84\n"
	                            "Q2                      1350                                    86\n"
	                            "\n"
	                            "                                                                B1\n"
	                            "Meet in room            B1\n";
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(table);
	g_assert_false(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(rec->body->str, ==, table);
	g_assert_cmpuint(rec->fields->len, ==, 0);

	/* A page number alone on its line is never a code, even in a release. */
	g_autoptr(DpRecord) page =
	    record("RELEASE IN FULL\nText.\n                                                     84\n");
	g_assert_true(dp_furniture_apply(f, page, FALSE));
	g_assert_null(dp_record_get(page, "meta.foia.exemptions"));
	g_assert_cmpstr(page->body->str, ==, "Text.\n                                                     84\n");

	/* The same codes under a release stamp are exemptions. */
	g_autofree char *release = g_strconcat("RELEASE IN PART\n", table, NULL);
	g_autoptr(DpRecord) rel = record(release);
	g_assert_true(dp_furniture_apply(f, rel, FALSE));
	g_assert_cmpstr(dp_record_get(rel, "meta.foia.exemptions"), ==, "B1;B4;B6");
}

static void
test_keep(void)
{
	g_autoptr(DpFurniture) f = furniture();
	g_autoptr(DpRecord) rec = record(june_web);
	g_autoptr(GString) before = g_string_new_len(rec->body->str, (gssize)rec->body->len);
	g_assert_true(dp_furniture_apply(f, rec, TRUE));
	g_assert_cmpstr(rec->body->str, ==, before->str);
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.doc"), ==, "C05758398");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "B6");
}

static char *
write_temp(const char *text)
{
	g_autoptr(GError) error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("furniture-XXXXXX.conf", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, &error));
	return path;
}

/* Another agency's stamp added by a file, without code. */
static void
test_extra_file(void)
{
	g_autofree char *path = write_temp("[stamp fbi]\n"
	                                   "regex=(?<stamp>FBI/DOJ\\s+PRODUCTION\\s+[0-9]{4})\n"
	                                   "stamp=stamp\n"
	                                   "[case fbi]\n"
	                                   "regex=Request\\s*No\\.?\\s*(?<case>[0-9]{7}-[0-9]{3})\n"
	                                   "case=case\n"
	                                   "[codes parenthesised]\n"
	                                   "regex=(?<c>{CODES})\\s*\\(redacted\\)\n"
	                                   "exemptions=c\n");
	const char *extra[] = { path, NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(DpFurniture) f = dp_furniture_new(extra, &error);
	g_assert_no_error(error);
	g_autoptr(DpRecord) rec = record("Request No. 1234567-000            FBI/DOJ PRODUCTION 2019\n"
	                                 "The text.\n"
	                                 "B7(C) (redacted)\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.case"), ==, "1234567-000");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.stamp"), ==, "FBI/DOJ PRODUCTION 2019");
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.exemptions"), ==, "B7(C)");
	g_assert_cmpstr(rec->body->str, ==, "The text.\n");
	unlink(path);
}

/* needs=: the pattern is tried only where one of its texts is; else as without it. */
static void
test_needs(void)
{
	g_autofree char *path = write_temp("[serial]\n"
	                                   "regex=(?<stamp>(?:qq|zz)#[0-9]{3})\n"
	                                   "needs=qq#;zz#\n"
	                                   "stamp=stamp\n"
	                                   "[serial elsewhere]\n"
	                                   "regex=(?<stamp>yy#[0-9]{3})\n"
	                                   "needs=NOWHERE\n"
	                                   "stamp=stamp\n");
	const char *extra[] = { path, NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(DpFurniture) f = dp_furniture_new(extra, &error);
	g_assert_no_error(error);
	g_autoptr(DpRecord) rec = record("qq#123\nThe text.\nyy#456\n\nzz#789\n");
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.stamp"), ==, "qq#123;zz#789");
	/* A pattern whose needs= the piece lacks is not tried: the line stays. */
	g_assert_cmpstr(rec->body->str, ==, "The text.\nyy#456\n");
	unlink(path);
}

/*
 * A long body is matched by the JIT-compiled patterns, a short one by the
 * interpreter, with its own screens: the same pages give the same text and
 * the same values either way.
 */
static void
test_long_same_as_short(void)
{
	g_autoptr(DpFurniture) f = furniture();
	const char *const pages[] = { benghazi, classified, june_web };
	for (gsize i = 0; i < G_N_ELEMENTS(pages); i++) {
		g_autoptr(DpRecord) one = record(pages[i]);
		(void)dp_furniture_apply(f, one, FALSE);
		/* The page again and again, past the length where the JIT starts. */
		g_autoptr(GString) text = g_string_new(NULL);
		guint n = 0;
		while (text->len < 600 * 1024) {
			g_string_append(text, pages[i]);
			g_string_append_c(text, '\f');
			n++;
		}
		g_autoptr(DpRecord) many = record(text->str);
		(void)dp_furniture_apply(f, many, FALSE);
		static const char *const keys[] = { "meta.foia.case",       "meta.foia.doc",
			                            "meta.foia.date",       "meta.foia.release",
			                            "meta.foia.exemptions", "meta.foia.classification",
			                            "meta.foia.stamp" };
		for (gsize k = 0; k < G_N_ELEMENTS(keys); k++)
			g_assert_cmpstr(dp_record_get(many, keys[k]), ==, dp_record_get(one, keys[k]));
		/* Every page stripped as the one alone was. */
		g_autoptr(GString) expect = g_string_new(NULL);
		gsize one_len = one->body->len;
		for (guint k = 0; k < n; k++) {
			g_string_append_len(expect, one->body->str, (gssize)one_len);
			g_string_append_c(expect, '\f');
		}
		g_autoptr(GString) got = dp_text_normalize(expect->str, expect->len);
		g_assert_cmpuint(many->body->len, ==, got->len);
		g_assert_true(memcmp(many->body->str, got->str, got->len) == 0);
	}
}

/* A bad pattern file is a configuration error naming file, line and group. */
static void
test_config_errors(void)
{
	static const struct {
		const char *text;
		const char *want; /* in the message, after the file name */
	} cases[] = {
		{ "# x\n[bad regex]\nregex=(unclosed\n", ":3: [bad regex] regex:" },
		{ "[unknown key]\nregex=X\ncolour=red\n", ":3: [unknown key] unknown key 'colour'" },
		{ "[no group]\nregex=X(?<a>Y)\ncase=b\n", ":3: [no group] case: the regex has no group named 'b'" },
		{ "[no regex]\ncase=a\n", ":1: [no regex] has no regex" },
		{ "\n[after]\nregex=X\nafter=nothing\n", ":2: [after] after: no pattern [nothing]" },
		{ "[indent]\nregex=X\nmin-indent=far\n", ":3: [indent] min-indent" },
		{ "[needs]\nregex=X\nneeds= ; \n", ":3: [needs] needs: no text" },
		{ "not a key file\n", ": " },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = write_temp(cases[i].text);
		const char *extra[] = { path, NULL };
		g_autoptr(GError) error = NULL;
		g_autoptr(DpFurniture) f = dp_furniture_new(extra, &error);
		g_assert_null(f);
		g_assert_error(error, DP_ERROR, DP_EXIT_CONFIG);
		g_autofree char *want = g_strconcat(path, cases[i].want, NULL);
		if (!g_str_has_prefix(error->message, want))
			g_error("case %zu: '%s' does not start with '%s'", i, error->message, want);
		unlink(path);
	}
	const char *missing[] = { "/nonexistent/furniture.conf", NULL };
	g_autoptr(GError) error = NULL;
	g_assert_null(dp_furniture_new(missing, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_CONFIG);
	g_assert_nonnull(strstr(error->message, "/nonexistent/furniture.conf"));
}

/* A 10,000-page release goes through (linear; no time is asserted). */
static void
test_ten_thousand_pages(void)
{
	g_autoptr(DpFurniture) f = furniture();
	GString *body = g_string_new(NULL);
	for (guint p = 1; p <= 10000; p++) {
		g_string_append_printf(
		    body,
		    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 "
		    "Date: 06/30/2015\n"
		    "                                        RELEASE IN PART\n"
		    "                                        B6\n"
		    "Text of page %u, which mentions B6 and Case No. F-2014-20439 in prose.\n"
		    "Another line %s\n"
		    "                                                          STATE-SCB%07u\n",
		    p, p % 2 ? "of text." : "with a long run of words to make it wider than the others.", p);
		if (p < 10000)
			g_string_append_c(body, '\f');
	}
	g_autoptr(DpRecord) rec = dp_record_new();
	g_string_free(rec->body, TRUE);
	rec->body = body;
	g_assert_true(dp_furniture_apply(f, rec, FALSE));
	g_assert_cmpstr(dp_record_get(rec, "meta.foia.bates"), ==, "STATE-SCB0000001;STATE-SCB0010000");
	g_autofree char *ex = all_values(rec, DP_F_EXEMPTION);
	g_assert_true(g_str_has_prefix(ex, "B6 1,2,3,"));
	/* The page list is bounded. */
	g_assert_nonnull(strstr(ex, ",999,1000,... Personal privacy"));
	/* Every page kept, each with its two lines of text. */
	guint ff = 0;
	for (gsize i = 0; i < rec->body->len; i++)
		ff += rec->body->str[i] == '\f';
	g_assert_cmpuint(ff, ==, 9999);
	g_assert_null(strstr(rec->body->str, "UNCLASSIFIED"));
	g_assert_nonnull(strstr(rec->body->str, "Text of page 10000,"));
}

/* Hostile bodies: long lines, invalid UTF-8, NULs, no line ends. */
static void
test_hostile(void)
{
	g_autoptr(DpFurniture) f = furniture();
	GString *s = g_string_new(NULL);
	/* A very long line of would-be codes, then of banners. */
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "B6 ");
	g_string_append_c(s, '\n');
	for (int i = 0; i < 2000; i++)
		g_string_append(s, "Case No. F-2014-20439 ");
	g_string_append(s, "\n\xff\xfe B6 \x80\n");
	g_string_append_len(s, "B6\0B6\n", 6);
	for (int i = 0; i < 5000; i++)
		g_string_append(s, "\f\f\n\n   \t");
	g_string_append(s, "RELEASE IN");
	g_autoptr(DpRecord) rec = dp_record_new();
	g_string_free(rec->body, TRUE);
	rec->body = s;
	gsize before = s->len;
	dp_furniture_apply(f, rec, FALSE);
	g_assert_cmpuint(rec->body->len, <=, before);
	g_assert_null(dp_record_get(rec, "meta.foia.case"));

	g_autoptr(DpRecord) empty = dp_record_new();
	g_assert_false(dp_furniture_apply(f, empty, FALSE));
}

DP_UNIT_MAIN("furniture", test_banner_state, test_banner_multiline_stamps_bates, test_classification,
             test_classification_marking, test_classification_beside_text, test_stamp_over_lines,
             test_ocr_joined_columns, test_ocr_damage, test_dates, test_release_split, test_exemption_codes,
             test_meanings, test_bates_first_last, test_prose_is_not_furniture, test_weak_codes_alone, test_keep,
             test_extra_file, test_needs, test_config_errors, test_ten_thousand_pages, test_hostile,
             test_long_same_as_short)
