/*
 * printed-test: the printed e-mail parser (pipeline/foia/printed.c).
 *
 * The snippets marked "corpus" are copied from the State Department's
 * release of the Clinton e-mails (../shared/corpus/state-release-text/,
 * public domain U.S. government works), as pdftotext -layout gave them.
 */
#include "foia/printed.h"

#include <string.h>

#include "unit.h"

#include "util/banned.h"

static GPtrArray *
parse(const char *text)
{
	return dp_printed_parse(text, strlen(text), NULL);
}

static const DpPrintedMessage *
msg(GPtrArray *a, guint i)
{
	g_assert_cmpuint(i, <, a->len);
	return a->pdata[i];
}

/* The field NAME of M: the case names it as dp_printed_field_names[] does. */
static const char *
field(const DpPrintedMessage *m, const char *name)
{
	for (int f = 0; f < DP_PRINTED_N_FIELDS; f++)
		if (strcmp(dp_printed_field_names[f], name) == 0)
			return m->field[f];
	g_error("no field %s", name);
}

/*
 * A holds exactly the messages SPEC describes: for each message the fields
 * the case looks at, one "NAME VALUE" line each ("(none)": the field is
 * absent; "\n" in VALUE is a line break), messages separated by "--"
 * lines; the fields not named may hold anything.
 */
static void
check_messages(GPtrArray *a, const char *spec)
{
	g_auto(GStrv) lines = g_strsplit(spec, "\n", -1);
	guint i = 0;
	for (char **l = lines; *l != NULL; l++) {
		if (**l == '\0')
			continue;
		if (strcmp(*l, "--") == 0) {
			i++;
			continue;
		}
		const char *space = strchr(*l, ' ');
		g_assert_nonnull(space);
		g_autofree char *name = g_strndup(*l, space - *l);
		g_autofree char *value = g_strcompress(space + 1);
		const char *want = strcmp(value, "(none)") == 0 ? NULL : value;
		const char *got = field(msg(a, i), name);
		if (g_strcmp0(got, want) != 0)
			g_printerr("# message %u, %s\n", i, name);
		g_assert_cmpstr(got, ==, want);
	}
	g_assert_cmpuint(a->len, ==, i + 1);
}

/* TEXT is no printed e-mail: it parses into no message. */
static void
check_none(const char *text)
{
	g_autoptr(GPtrArray) a = parse(text);
	g_assert_cmpuint(a->len, ==, 0);
}

/* TEXT parses into exactly the messages SPEC describes (check_messages()). */
static void
check_text(const char *text, const char *spec)
{
	g_autoptr(GPtrArray) a = parse(text);
	check_messages(a, spec);
}

/* Corpus, C05758398: the aligned Outlook form, then two compact forms. */
static const char outlook_chain[] =
    "From:                             H <hrod17@clintonemail.com>\n"
    "Sent:                             Monday, April 13, 2009 11:09 AM\n"
    "To:                               'millscd@state.gov'\n"
    "Subject:                          Re: Note for Secretary re Office of Overseas Buildings\n"
    "\n\n\n"
    "Let's do Patsy. I'm ready.\n"
    "\n"
    "    Original Message\n"
    "From: Mills, Cheryl D <MillsCD@state.gov>\n"
    "To: H\n"
    "Cc: Abedin, Huma <AbedinH@state.gov>\n"
    "Sent: Mon Apr 13 08:13:05 2009\n"
    "Subject: FW: Note for Secretary re Office of Overseas Buildings\n"
    "\n"
    "Print for HRC\n"
    "\n"
    "    Original Message\n"
    "From: Kennedy, Patrick F\n"
    "Sent: Wednesday, April 01, 2009 6:13 PM\n"
    "To: Mills, Cheryl D\n"
    "Cc:                             Toiv, Nora F\n"
    "Subject: FW: Note for Secretary re Office of Overseas Buildings\n"
    "\n"
    "Cheryl\n"
    "\n"
    "Per discussion\n";

static void
test_corpus_outlook_chain(void)
{
	g_autoptr(GPtrArray) a = parse(outlook_chain);
	check_messages(a, "from H <hrod17@clintonemail.com>\n"
	                  "to 'millscd@state.gov'\n"
	                  "cc (none)\n"
	                  "subject Re: Note for Secretary re Office of Overseas Buildings\n"
	                  "sent Monday, April 13, 2009 11:09 AM\n"
	                  "date 2009-04-13T11:09:00\n"
	                  "withheld (none)\n"
	                  /* The separator is cut from the end of the body before it. */
	                  "body Let's do Patsy. I'm ready.\n"
	                  "--\n"
	                  "from Mills, Cheryl D <MillsCD@state.gov>\n"
	                  "to H\n"
	                  "cc Abedin, Huma <AbedinH@state.gov>\n"
	                  "sent Mon Apr 13 08:13:05 2009\n"
	                  "date 2009-04-13T08:13:05\n"
	                  "body Print for HRC\n"
	                  "--\n"
	                  "from Kennedy, Patrick F\n"
	                  "cc Toiv, Nora F\n"
	                  "date 2009-04-01T18:13:00\n"
	                  "body Cheryl\\n\\nPer discussion\n");
	g_assert_cmpuint(msg(a, 0)->offset, ==, 0);
	g_assert_true(g_str_has_prefix(outlook_chain + msg(a, 1)->offset, "From: Mills"));
}

static void
test_one_message(void)
{
	check_text("From: Abedin, Huma <AbedinH@state.gov>\n"
	           "To: H\n"
	           "Sent: Thu May 07 06:09:12 2009\n"
	           "Subject:\n"
	           "\n"
	           "Carolyn maloney called for you.\n",
	           /* gives */
	           "from Abedin, Huma <AbedinH@state.gov>\n"
	           /* An empty Subject is absent, not the body's first line. */
	           "subject (none)\n"
	           "date 2009-05-07T06:09:12\n"
	           "body Carolyn maloney called for you.\n");
}

static void
test_two_messages_dashes(void)
{
	check_text("From: A <a@example.org>\n"
	           "Sent: Tuesday, May 5, 2009 9:00 AM\n"
	           "To: B <b@example.org>\n"
	           "Subject: RE: lunch\n"
	           "\n"
	           "Yes.\n"
	           "\n"
	           "-----Original Message-----\n"
	           "From: B <b@example.org>\n"
	           "Sent: Tuesday, May 5, 2009 8:30 AM\n"
	           "To: A <a@example.org>\n"
	           "Subject: lunch\n"
	           "\n"
	           "Lunch today?\n",
	           /* gives */
	           "body Yes.\n"
	           "--\n"
	           "from B <b@example.org>\n"
	           "subject lunch\n"
	           "body Lunch today?\n");
}

/* Three messages, each joined by another separator form. */
static void
test_three_messages_separators(void)
{
	check_text("Cover note from the records office.\n"
	           "\n"
	           "From: C <c@example.org>\n"
	           "Date: Mon, 13 Apr 2009 08:13:05 -0400\n"
	           "To: D <d@example.org>\n"
	           "Subject: Fwd: plan\n"
	           "\n"
	           "See below.\n"
	           "\n"
	           "---------- Forwarded message ----------\n"
	           "From: B <b@example.org>\n"
	           "Date: Sat, Sep 15, 2012 at 3:25 PM\n"
	           "Subject: plan\n"
	           "To: C <c@example.org>\n"
	           "\n"
	           "Agreed.\n"
	           "\n"
	           "On Tue, Apr 21, 2009 at 8:55 PM, A <a@example.org> wrote:\n"
	           "> Here is the plan.\n",
	           /* gives */
	           "date 2009-04-13T08:13:05-04:00\n"
	           /* The cover note is no message. */
	           "body See below.\n"
	           "--\n"
	           "from B <b@example.org>\n"
	           "to C <c@example.org>\n"
	           "date 2012-09-15T15:25:00\n"
	           "body Agreed.\n"
	           "--\n"
	           "from A <a@example.org>\n"
	           "subject (none)\n"
	           "sent Tue, Apr 21, 2009 at 8:55 PM\n"
	           "date 2009-04-21T20:55:00\n"
	           "body > Here is the plan.\n");
}

/* Corpus, C05761720 and C05759052: "On ... wrote:" forms. */
static void
test_corpus_wrote_forms(void)
{
	check_text("On 5/25/09, Sullivan, Jacob J <Sullivann@state.gov> wrote:\n"
	           "> We will confer in the morning and come up with a plan\n"
	           "\n"
	           "On 7/25/09 8:46 PM, \"Evergreen\" <Hdr22@clintonemail.com > wrote:\n"
	           "\n"
	           "> Is the 50k figure State and AID?\n"
	           "\n"
	           "On Sep 15, 2012, at 9:19 PM, \"Cheryl Mills\"\n"
	           "<cheryl@example.org> wrote:\n"
	           "> The link\n",
	           /* gives */
	           "from Sullivan, Jacob J <Sullivann@state.gov>\n"
	           "date 2009-05-25\n"
	           "--\n"
	           "from \"Evergreen\" <Hdr22@clintonemail.com >\n"
	           "date 2009-07-25T20:46:00\n"
	           "body > Is the 50k figure State and AID?\n"
	           "--\n"
	           /* "wrote:" on the next line. */
	           "from \"Cheryl Mills\" <cheryl@example.org>\n"
	           "date 2012-09-15T21:19:00\n"
	           "body > The link\n");
}

static void
test_wrote_needs_a_date(void)
{
	/* Prose that happens to say "On ..., X wrote:" without a date is no message. */
	check_none("On reflection, the president wrote:\n"
	           "we shall see.\n"
	           "On Monday, she wrote:\n"
	           "nothing more.\n");
}

static void
test_alignment_tabs_and_spaces(void)
{
	check_text("From:\tA Person <a@example.org>\n"
	           "Sent:\tFriday, May 8, 2009 7:00 PM\n"
	           "To:\t\tB Person\n"
	           "Subject:\tTabs\n"
	           "\n"
	           "tab body\n"
	           "\n"
	           "  From        B Person\n"
	           "  Sent        Friday, May 8, 2009 6:00 PM\n"
	           "  To          A Person\n"
	           "  Subject     Spaces, no colons\n"
	           "\n"
	           "  space body\n",
	           /* gives */
	           "from A Person <a@example.org>\n"
	           "to B Person\n"
	           "subject Tabs\n"
	           "body tab body\n"
	           "--\n"
	           "from B Person\n"
	           "subject Spaces, no colons\n"
	           "date 2009-05-08T18:00:00\n"
	           "body space body\n");
}

/* Corpus, C05763022, C05762631, C05758551, C05739594: continued values. */
static void
test_corpus_continuation_lines(void)
{
	check_text(
	    "From:                             H <hrod17@clintonemail.com>\n"
	    "Sent:                             Monday, May 18, 2009 11:04 PM\n"
	    "To:                               'cheryl.mills@ 'PosnerMH@state.gov';\n"
	    "                                  'sullivanjj@state.gov'\n"
	    "Subject:                           Re: Gore just called saying he hasn't heard from you. he's expecting\n"
	    "                                   to hear from you tonite. I'm sorry.\n"
	    "Attachments:                      hrc memo lots of new Intel; possible imminent collapse 032711.docx;\n"
	    "                                  hrc memo lots of new intel 032711.docx\n"
	    "\n"
	    "Body one.\n"
	    "\n"
	    "    Original Message\n"
	    "From: Kelly, Craig A\n"
	    "To: Shannon, Thomas A; Kelly, Craig A;\n"
	    "Robinson, David M; Morales Jr, Hector E\n"
	    "Sent: Sun Jun 28 17:50:58 2009\n"
	    "Subject: Honduras\n"
	    "Body two.\n",
	    /* gives */
	    "to 'cheryl.mills@ 'PosnerMH@state.gov'; 'sullivanjj@state.gov'\n"
	    "subject Re: Gore just called saying he hasn't heard from you. he's expecting to hear from you "
	    "tonite. I'm sorry.\n"
	    "attachments hrc memo lots of new Intel; possible imminent collapse 032711.docx; hrc memo lots "
	    "of new intel 032711.docx\n"
	    "--\n"
	    "to Shannon, Thomas A; Kelly, Craig A; Robinson, David M; Morales Jr, Hector E\n"
	    /* A short compact Subject line does not take the body's first line. */
	    "subject Honduras\n"
	    "body Body two.\n");
}

/* Wrapped lines that are not marked as such, as scripts/make-releases prints them. */
static void
test_wrapped_without_marks(void)
{
	g_autoptr(GPtrArray) a =
	    parse("  From: Okafor, Julian R\n"
	          "  To: Hartley, Dana M <HartleyDM@state.gov>\n"
	          "  Cc: H; Farrow, Thomas; Evan Sorel <esorel@example.org>; Okafor, Julian R\n"
	          "  <OkaforJR@state.gov>\n"
	          "  Sent: Mon Nov 14 14:42:44 2011\n"
	          "  Subject: Summary of the working group's recommendations on visa processing times at the\n"
	          "  consulates in the region\n"
	          "\n"
	          "  body one\n"
	          "\n"
	          "  From: Farrow, Thomas\n"
	          "  Sent: Mon Nov 14 10:00:00 2011\n"
	          "  Subject: The working group met this morning and the notes are in the shared folder\n"
	          "  Two members of the working group will join by phone from the embassy.\n"
	          "  The host government has asked for a short joint statement.\n");
	/* A line between two header lines is the rest of the value above it. */
	check_messages(a,
	               "cc H; Farrow, Thomas; Evan Sorel <esorel@example.org>; Okafor, Julian R <OkaforJR@state.gov>\n"
	               "subject Summary of the working group's recommendations on visa processing times at the "
	               "consulates in the region\n"
	               "date 2011-11-14T14:42:44\n"
	               "--\n"
	               /* A body that follows its Subject line directly is not the subject. */
	               "subject The working group met this morning and the notes are in the shared folder\n");
	g_assert_true(g_str_has_prefix(msg(a, 1)->field[DP_PRINTED_BODY], "Two members"));
}

/* The column form of a PDF's text in reading order, as docpipe's PDF extractor gives it. */
static void
test_column_form(void)
{
	g_autoptr(GPtrArray) a = parse("From:\n"
	                               "Sent:\n"
	                               "To:\n"
	                               "Cc:\n"
	                               "Subject:\n"
	                               "Attachments:\n"
	                               "Gideon Price\n"
	                               "Friday, Sep 28, 2012 11:37 PM\n"
	                               "Hartley, Dana M; Castellano, Peter J;\n"
	                               "Okafor, Julian R\n"
	                               "H <hdr29@mailhost.example.com>\n"
	                               "Re: Summary of the working group's recommendations on visa\n"
	                               "processing times at the consulates in the region\n"
	                               "Remarks draft v3.docx; Schedule.pdf\n"
	                               "The delegation arrives on Tuesday evening.\n"
	                               "-----Original Message-----\n"
	                               "From:\n"
	                               "Sent:\n"
	                               "To:\n"
	                               "Subject:\n"
	                               "Friday, July 13, 2012 8:20 PM\n"
	                               "Farrow, Thomas\n"
	                               "Re: Statement on the elections\n"
	                               "I spoke with the Ambassador this morning.\n");
	check_messages(a, "from Gideon Price\n"
	                  "to Hartley, Dana M; Castellano, Peter J; Okafor, Julian R\n"
	                  "cc H <hdr29@mailhost.example.com>\n"
	                  "subject Re: Summary of the working group's recommendations on visa processing times at the "
	                  "consulates in the region\n"
	                  "date 2012-09-28T23:37:00\n"
	                  "attachments Remarks draft v3.docx; Schedule.pdf\n"
	                  "body The delegation arrives on Tuesday evening.\n"
	                  "--\n"
	                  /* A From withheld behind a black box left no line at all. */
	                  "from (none)\n"
	                  "to Farrow, Thomas\n"
	                  "subject Re: Statement on the elections\n"
	                  "sent Friday, July 13, 2012 8:20 PM\n"
	                  "body I spoke with the Ambassador this morning.\n");
	/* Labels with no values at all are a blank form, not a message. */
	check_none("From:\nSent:\nTo:\nSubject:\n\nNotes from the meeting.\n");
}

/*
 * The column form as docpipe's PDF text gives Outlook's printout: the
 * owner's name above the labels, and the body's first lines, short enough
 * to share the labels' column, between the labels and the values.
 */
static void
test_column_form_displaced_body(void)
{
	check_text("Records Office\n"
	           "From:\nSent:\nTo:\nSubject:\nAttachments:\n"
	           "A short first line\n"
	           "Hi all,\n"
	           "Gideon Price <gp@example.org>\n"
	           "Friday, Sep 28, 2012 11:37 PM\n"
	           "records@example.org\n"
	           "Attachment\n"
	           "minutes.pdf\n"
	           "The rest of the body, in the full width of the page.\n"
	           "\n"
	           /* From's list went on to a line of its own; a lower-case Subject before a file name. */
	           "From:\nSent:\nTo:\nSubject:\nAttachments:\n"
	           "Thanks.\n"
	           "Gideon Price <gp@example.org>;\n"
	           "Dana Hartley <dh@example.org>\n"
	           "Saturday, Sep 29, 2012 8:00 AM\n"
	           "Dana Hartley\n"
	           "notes on the visit\n"
	           "notes.txt\n"
	           "\n"
	           /* The address on a line of its own, the body's one line before it. */
	           "From:\nSent:\nTo:\nSubject:\n"
	           "Yes.\n"
	           "Evan Sorel\n"
	           "<es@example.org>\n"
	           "Sunday, Sep 30, 2012 9:00 AM\n"
	           "Dana Hartley\n"
	           "Lunch\n"
	           "See you there.\n",
	           /* gives */
	           "from Gideon Price <gp@example.org>\n"
	           "sent Friday, Sep 28, 2012 11:37 PM\n"
	           "to records@example.org\n"
	           "subject Attachment\n"
	           "attachments minutes.pdf\n"
	           "body A short first line\\nHi all,\\nThe rest of the body, in the full width of the page.\n"
	           "--\n"
	           "from Gideon Price <gp@example.org>; Dana Hartley <dh@example.org>\n"
	           "to Dana Hartley\n"
	           "subject notes on the visit\n"
	           "attachments notes.txt\n"
	           "body Thanks.\n"
	           "--\n"
	           "from Evan Sorel <es@example.org>\n"
	           "subject Lunch\n"
	           "body Yes.\\nSee you there.\n");
}

/*
 * Address lists in the column form, wrapped by the printer inside a name
 * ("...; Michelle" / "Cash; ..."): a full line goes on, a short one or one
 * ending in an address ends the list.
 */
static void
test_column_form_long_lists(void)
{
	check_text("From:\nSent:\nTo:\nCc:\nSubject:\n"
	           "Janette Elbertson\n"
	           "Thursday, June 07, 2001 2:15 AM\n"
	           "Alan Aronowitz; Sandi M Braband; Robert Bruce; Teresa G Bushman; Michelle\n"
	           "Cash; Dominic Carolan; Barton Clark; Harry M Collins; Mary Cook; Nancy\n"
	           "Corbet; Ned E Crady; Eddy Daniels; Angela Davis; Peter del Vecchio; Claudia\n"
	           "Meraz\n"
	           "Gary Bode; Vanessa Griffin; Esmeralda Gonzalez; Martha Keesler; Rae\n"
	           "Meadows; Stephanie Truss\n"
	           "Outlook Migration - EWS Legal\n"
	           "Our department will be migrated to Outlook in two groups.\n"
	           "\n"
	           "From:\nSent:\nTo:\nCc:\nSubject:\n"
	           "beth.apollo@example.com\n"
	           "Tuesday, April 10, 2001 11:52 AM\n"
	           "shona.wilson@example.com; jeffrey.gossett@example.com;\n"
	           "jennifer.stevenson@us.example-andersen.com\n"
	           "sally.beck@example.com; tom.bauer@us.example-andersen.com;\n"
	           "bob.hall@example.com\n"
	           "Confidential folder\n"
	           "We have become concerned.\n"
	           "\n"
	           "From:\nSent:\nTo:\nCc:\nSubject:\n"
	           "Janette Elbertson\n"
	           "Friday, June 08, 2001 9:15 AM\n"
	           "Alan Aronowitz; Sandi M Braband\n"
	           "Robert Bruce\n"
	           "Short lists\n"
	           "Body.\n",
	           /* gives */
	           "from Janette Elbertson\n"
	           "to Alan Aronowitz; Sandi M Braband; Robert Bruce; Teresa G Bushman; Michelle Cash; Dominic "
	           "Carolan; Barton Clark; Harry M Collins; Mary Cook; Nancy Corbet; Ned E Crady; Eddy Daniels; "
	           "Angela Davis; Peter del Vecchio; Claudia Meraz\n"
	           "cc Gary Bode; Vanessa Griffin; Esmeralda Gonzalez; Martha Keesler; Rae Meadows; Stephanie "
	           "Truss\n"
	           "subject Outlook Migration - EWS Legal\n"
	           "body Our department will be migrated to Outlook in two groups.\n"
	           "--\n"
	           "from beth.apollo@example.com\n"
	           "to shona.wilson@example.com; jeffrey.gossett@example.com; "
	           "jennifer.stevenson@us.example-andersen.com\n"
	           "cc sally.beck@example.com; tom.bauer@us.example-andersen.com; bob.hall@example.com\n"
	           "subject Confidential folder\n"
	           "body We have become concerned.\n"
	           "--\n"
	           /* A short list line without a separator is the whole list. */
	           "to Alan Aronowitz; Sandi M Braband\n"
	           "cc Robert Bruce\n"
	           "subject Short lists\n");
}

/* "On <date> <zone>, <name> wrote:": the zone and a year after the time are the date's. */
static void
test_wrote_zone_and_year(void)
{
	check_text("On Tue, 17 Nov 2009 18:21:38 -0500, Aron Griffis <agriffis at example.net> wrote:\n"
	           "> one\n\n"
	           "On Wed Nov 18 01:42:00 2009, Carl Worth <cworth@example.org> wrote:\n"
	           "> two\n\n"
	           "On Thu, 19 Nov 2009 09:05:00 EST, Keith P wrote:\n"
	           "> three\n\n"
	           "On Fri, Nov 20, 2009 at 10:00 AM (UTC), \"A B\" <ab@example.org> wrote:\n"
	           "> four\n",
	           /* gives */
	           "from Aron Griffis <agriffis at example.net>\n"
	           "sent Tue, 17 Nov 2009 18:21:38 -0500\n"
	           "date 2009-11-17T18:21:38-05:00\n"
	           "body > one\n"
	           "--\n"
	           "from Carl Worth <cworth@example.org>\n"
	           "sent Wed Nov 18 01:42:00 2009\n"
	           "date 2009-11-18T01:42:00\n"
	           "body > two\n"
	           "--\n"
	           "from Keith P\n"
	           "sent Thu, 19 Nov 2009 09:05:00 EST\n"
	           "date 2009-11-19T09:05:00-05:00\n"
	           "--\n"
	           "from \"A B\" <ab@example.org>\n"
	           "sent Fri, Nov 20, 2009 at 10:00 AM (UTC)\n"
	           "date 2009-11-20T10:00:00+00:00\n");
}

/* Corpus, C05762640: address lists cut by the gaps of withheld names. */
static void
test_corpus_gapped_address_lists(void)
{
	check_text(
	    "    Original Message\n"
	    "From: Curtis, Jesse S (Managua)\n"
	    "To: Curtis, Jesse S (Managua); Callahan, Robert J (Managua); Webster, Christopher W;\n"
	    "Henshaw, Simon;\n"
	    "                                     ; WHA-OAS-POL; Amselem, W Lewis; Haldane,\n"
	    "Robert A;                                                             Reneau, Jeffrey K (USUN);\n"
	    "\n"
	    "Kelly, Craig A; Shannon, Thomas A; Robinson, David M;\n"
	    "\n"
	    "                                                                     Benning, Douglass R;\n"
	    "                                                                      ; Wolfe, David C\n"
	    "Cc: Managua POL; SES-0; Harris, Lara K (Managua);\n"
	    "                                                                         Krzywda, David A (Managua);\n"
	    "                                                                         lesse.s.curtis\n"
	    "                             'donkachris\n"
	    "                                 ; Jacobs, Janice L; Carter, Sharon (USAID/N/DMD);\n"
	    "Sent: Sun Jul 05 18:37:19 2009\n"
	    "Subject: RE: Honduran Coup -- Managua SITREP #11 -- Return of Zelaya, pt 4\n"
	    "\n"
	    "Looping other members of SITREP spam\n",
	    /* gives */
	    "to Curtis, Jesse S (Managua); Callahan, Robert J (Managua); Webster, Christopher W; Henshaw, "
	    "Simon; ; WHA-OAS-POL; Amselem, W Lewis; Haldane, Robert A; Reneau, Jeffrey K (USUN); Kelly, "
	    "Craig A; Shannon, Thomas A; Robinson, David M; Benning, Douglass R; ; Wolfe, David C\n"
	    "cc Managua POL; SES-0; Harris, Lara K (Managua); Krzywda, David A (Managua); lesse.s.curtis "
	    "'donkachris ; Jacobs, Janice L; Carter, Sharon (USAID/N/DMD)\n"
	    "date 2009-07-05T18:37:19\n"
	    "body Looping other members of SITREP spam\n");
}

static void
test_value_on_next_line(void)
{
	check_text("From:\n"
	           "    A Person <a@example.org>\n"
	           "Sent:\n"
	           "    Friday, May 8, 2009 7:00 PM\n"
	           "To:\n"
	           "    B Person\n"
	           "Subject:\n"
	           "    Labels alone\n"
	           "\n"
	           "body\n",
	           /* gives */
	           "from A Person <a@example.org>\n"
	           "to B Person\n"
	           "subject Labels alone\n"
	           "sent Friday, May 8, 2009 7:00 PM\n");
}

static void
test_ocr_damaged_labels(void)
{
	check_text("Frorn: A <a@example.org>\n"
	           "Sent; Friday, May 8, 2009 7:00 PM\n"
	           "To: B\n"
	           "Ce: C\n"
	           "Sublect: damaged one\n"
	           "\n"
	           "one\n"
	           "\n"
	           "rom: B\n"
	           "Sent, Friday, May 8, 2009 6:00 PM\n"
	           "To A\n"
	           "CG: D\n"
	           "Subiect: damaged two\n"
	           "\n"
	           "two\n"
	           "\n"
	           "From- E\n"
	           "Sent: Friday, May 8, 2009 5:00 PM\n"
	           "To: B\n"
	           "Subject damaged three\n"
	           "\n"
	           "three\n",
	           /* gives */
	           "from A <a@example.org>\n"
	           "cc C\n"
	           "subject damaged one\n"
	           "--\n"
	           "from B\n"
	           "to A\n"
	           "cc D\n"
	           "subject damaged two\n"
	           "date 2009-05-08T18:00:00\n"
	           "--\n"
	           "from E\n"
	           "subject damaged three\n");
}

/* OCR of a scanned page: blank lines between header lines, colons lost. */
static void
test_ocr_spaced_header(void)
{
	check_text("From: Brandt, Miriam <BrandtM@state.gov>\n"
	           "Sent: Friday, April 27, 2012 5:09 PM\n"
	           "\n"
	           "To: 'WhitcombeLE@state.gov'\n"
	           "\n"
	           "Ce Ibsen, Clara S\n"
	           "\n"
	           "Subject: RE: Thank you note\n"
	           "\n"
	           "Attachments: Readout.pdf; Call sheet.doc\n"
	           "\n"
	           "Please see the note below from the desk officer.\n",
	           /* gives */
	           "cc Ibsen, Clara S\n"
	           "subject RE: Thank you note\n"
	           "attachments Readout.pdf; Call sheet.doc\n"
	           "body Please see the note below from the desk officer.\n");
}

/* Corpus, C05739592 and C05739559: the Benghazi production's lost colons. */
static void
test_corpus_lost_colons(void)
{
	check_text(
	    "           From                            Sullivan, Jacob J <SullivanJJ@state.gov>\n"
	    "           Sent:                           Thursday, September 13, 2012 1:26 PM\n"
	    "           To:\n"
	    "           Subject                         RV: Quick Summary of POTUS Calls to Presidents of Libya and "
	    "Egypt\n"
	    "\n"
	    "\n"
	    "           FYI\n"
	    "\n"
	    "           From: McDonough, Denis R. (mailto:                                                B6\n"
	    "           Sent: Thursday, September 13, 2012 6:00 AM\n"
	    "           To Burns, William 3; Sherman, Wendy R; Sullivan, Jacob\n"
	    "           Subject: FW: Quick Summary of POTUS Calls to Presidents of Libya and Egypt\n"
	    "\n"
	    "           FYSA\n"
	    "\n"
	    "              From H [mailto:HDR22@clintonemail.com]\n"
	    "              Sent: Wednesday, September 26, 2012 03:30 PM\n"
	    "              To: Sullivan, Jacob J\n"
	    "              Subject: NYT: Clinton Cites Clear Link\n",
	    /* gives */
	    "from Sullivan, Jacob J <SullivanJJ@state.gov>\n"
	    "to (none)\n"
	    "subject RV: Quick Summary of POTUS Calls to Presidents of Libya and Egypt\n"
	    "body FYI\n"
	    "--\n"
	    "from McDonough, Denis R.\n"
	    "to Burns, William 3; Sherman, Wendy R; Sullivan, Jacob\n"
	    "withheld from B6\n"
	    "--\n"
	    "from H [mailto:HDR22@clintonemail.com]\n"
	    "date 2012-09-26T15:30:00\n");
}

/* Corpus, C05739594 and C05761720: redaction marks in the header. */
static void
test_corpus_redaction_marks(void)
{
	g_autoptr(GPtrArray) a = parse(
	    "             From:                                                                             B6\n"
	    "             Sent:                           Sunday, March 27, 2011 9:05 PM\n"
	    "             To\n"
	    "             Subject                         H: Lots of new intel; possible Libyan collapse. Sid\n"
	    "\n"
	    "body\n"
	    "\n"
	    "From:                              PIR <preines\n"
	    "Sent:                              Monday, May 25, 2009 5:20 AM\n"
	    "To:                                Sullivan, Jacob\n"
	    "Cc:                                H; Shapiro, Andrew J\n"
	    "                                                                                                      B5\n"
	    "Subject:                           Re: Edinburgh Film Festival israeli Boycott\n"
	    "                                                                                                      B6\n"
	    "\n"
	    "body\n"
	    "\n"
	    "From: Margaret V. W. Carpenter [mailto:B6]\n"
	    "Sent: Thursday, May 14, 2009 6:25 PM\n"
	    "To: Cheryl Mills; (b)(6)\n"
	    "Cc: B7(C)\n"
	    "Subject: FW: \"the Cable\"\n");
	/* A field that is only a mark is NULL; the mark is never a name. */
	check_messages(a, "from (none)\n"
	                  "to (none)\n"
	                  "date 2011-03-27T21:05:00\n"
	                  "withheld from B6\n"
	                  "--\n"
	                  "from PIR <preines\n"
	                  "cc H; Shapiro, Andrew J\n"
	                  "subject Re: Edinburgh Film Festival israeli Boycott\n"
	                  "withheld cc B5; subject B6\n"
	                  "--\n"
	                  "from Margaret V. W. Carpenter\n"
	                  "to Cheryl Mills\n"
	                  "cc (none)\n"
	                  "withheld from B6; to (b)(6); cc B7(C)\n");
	for (guint i = 0; i < a->len; i++) {
		const DpPrintedMessage *m = msg(a, i);
		const char *values[] = { m->field[DP_PRINTED_FROM], m->field[DP_PRINTED_TO], m->field[DP_PRINTED_CC],
			                 m->field[DP_PRINTED_BCC], m->field[DP_PRINTED_SUBJECT] };
		for (gsize k = 0; k < G_N_ELEMENTS(values); k++)
			g_assert_true(values[k] == NULL ||
			              (strstr(values[k], "B6") == NULL && strstr(values[k], "(b)") == NULL));
	}
}

/* One date through the parser, as the Sent of a message. */
static char *
date_of(const char *sent, const char *zone)
{
	g_autofree char *text = g_strdup_printf("From: A <a@example.org>\nSent: %s\nTo: B\nSubject: s\n\nbody\n", sent);
	g_autoptr(GPtrArray) a = dp_printed_parse(text, strlen(text), zone);
	g_assert_cmpuint(a->len, ==, 1);
	return g_strdup(msg(a, 0)->field[DP_PRINTED_DATE]);
}

static void
check_date(const char *sent, const char *zone, const char *want)
{
	g_autofree char *got = date_of(sent, zone);
	g_assert_cmpstr(got, ==, want);
}

static void
test_date_forms(void)
{
	check_date("Monday, April 13, 2009 11:09 AM", NULL, "2009-04-13T11:09:00");
	check_date("Mon Apr 13 08:13:05 2009", NULL, "2009-04-13T08:13:05");
	check_date("4/13/2009 11:09:12 AM", NULL, "2009-04-13T11:09:12");
	check_date("Mon, 13 Apr 2009 08:13:05 -0400", NULL, "2009-04-13T08:13:05-04:00");
	check_date("Wednesday, April 01, 2009 6:13 PM", NULL, "2009-04-01T18:13:00");
	check_date("Sat, Sep 15, 2012 at 3:25 PM", NULL, "2012-09-15T15:25:00");
	check_date("Apr 13, 2009 9:29 AM", NULL, "2009-04-13T09:29:00");
	check_date("Thu, Jan 5, 2012 5:22 pm", NULL, "2012-01-05T17:22:00");
	check_date("12/25/09 12:00 AM", NULL, "2009-12-25T00:00:00");
	check_date("25/12/2009 12:30 PM", NULL, "2009-12-25T12:30:00");
	check_date("2009-04-13 08:13:05 GMT", NULL, "2009-04-13T08:13:05+00:00");
	check_date("Mon, 13 Apr 2009 08:13:05 EDT", NULL, "2009-04-13T08:13:05-04:00");
	/* Corpus OCR damage: glued month and day, day and hour, year and hour. */
	check_date("Sunday, Jul26, 2009 7:53 AM", NULL, "2009-07-26T07:53:00");
	check_date("Sun Jul 2607:43:53 2009", NULL, "2009-07-26T07:43:53");
	check_date("Monday, May 2, 201111:08 AM", NULL, "2011-05-02T11:08:00");
	check_date("Friday, November 23, 2012 0323 PM", NULL, "2012-11-23T15:23:00");
	/* What does not parse gives no date, but sent keeps the printed text. */
	check_date("Sunday, March 27, 201i 9:05 PM", NULL, NULL);
	check_date("24 May", NULL, NULL);
	check_date("February 30, 2009 1:00 PM", NULL, NULL);
	check_date("April 13, 2009 13:00 PM", NULL, NULL);
	check_date("yesterday", NULL, NULL);
}

static void
test_date_zones(void)
{
	/* ZONE gives the offset at that local time (daylight saving or not). */
	check_date("Monday, April 13, 2009 11:09 AM", "America/New_York", "2009-04-13T11:09:00-04:00");
	check_date("Monday, January 12, 2009 11:09 AM", "America/New_York", "2009-01-12T11:09:00-05:00");
	check_date("Monday, April 13, 2009 11:09 AM", "UTC", "2009-04-13T11:09:00+00:00");
	/* A printed zone wins over ZONE. */
	check_date("Mon, 13 Apr 2009 08:13:05 +0200", "America/New_York", "2009-04-13T08:13:05+02:00");
	/* No zone known: local time as printed, no offset invented. */
	check_date("Monday, April 13, 2009 11:09 AM", "Not/A_Zone", "2009-04-13T11:09:00");
	/* A date without a time gets no offset. */
	check_date("April 13, 2009", "America/New_York", "2009-04-13");
}

/* Corpus, C05761762: a memo (TO:/FROM:/SUBJECT:) is no e-mail. */
static void
test_corpus_memo_is_no_message(void)
{
	check_none("  SENSITIVE BUT UNCLASSIFIED                                  June 4th, 2009\n"
	           "  INFORMATION MEMORANDUM\n"
	           "\n"
	           "  TO:             Ambassador Karl W. Eikenberry\n"
	           "\n"
	           "  THROUGH: Deputy Ambassador Francis J. Ricciardone\n"
	           "\n"
	           "  FROM:          Narcotics Affairs Section - Acting Director Lee R. Brown\n"
	           "\n"
	           "  SUBJECT: Washington Post Inquiry / Investigation of DynCorp\n"
	           "\n"
	           "  Summary. Washington Post reporter Ellen Nakashema contacted INL/NAS Police Program\n");
}

static void
test_memo_with_date_is_no_message(void)
{
	check_none("MEMORANDUM\n"
	           "\n"
	           "FROM: The Director\n"
	           "TO: All staff\n"
	           "DATE: March 3, 2011\n"
	           "SUBJECT: Parking\n"
	           "\n"
	           "The garage closes on Friday.\n");
}

/* Corpus, C05760667 and C05762718: articles and notes quoting a From line. */
static void
test_corpus_article_quoting_from(void)
{
	check_none("From The Economist print edition\n"
	           "\n"
	           "Barack Obama may at last be getting a grip. But he still needs to show more\n"
	           "leadership, at home and abroad\n"
	           "\n"
	           "In a letter, an aide wrote:\n"
	           "From: Sid\n"
	           "Re: The drift\n"
	           "\n"
	           "FYI: This is the first of what will likely soon be other analyses.\n"
	           "To: the editor, who wrote back on Monday.\n");
	/* Prose lines that start with label words, right under a From: line. */
	check_none("From: our correspondent in Geneva, who spoke with two officials,\n"
	           "Sent to the committee in February, the documents run to 300 pages.\n"
	           "To be honest, nobody thought about it, one of them said.\n"
	           "Subject to the agreement, further releases would follow.\n");
}

/* Corpus, C05758398's banner: a page of nothing but furniture leftovers. */
static void
test_corpus_furniture_only(void)
{
	check_none("      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758398 Date: "
	           "06/30/2015\n"
	           "\n"
	           "                                                                                RELEASE IN PART\n"
	           "                                                                                B6\n"
	           "\f"
	           "UNCLASSIFIED\n"
	           "U.S. Department of State\n"
	           "Case No. F-2015-04841\n"
	           "Doc No. C05739559\n"
	           "Date: 05/13/2015                                                          RELEASE IN\n"
	           "                                                                          PART B6\n");
}

static void
test_empty_text(void)
{
	g_autoptr(GPtrArray) a = dp_printed_parse("", 0, NULL);
	g_assert_cmpuint(a->len, ==, 0);
	g_autoptr(GPtrArray) b = dp_printed_parse(NULL, 0, "UTC");
	g_assert_cmpuint(b->len, ==, 0);
	check_none("\n\n\f\n   \n");
}

/* Corpus, C05762995: furniture left between header lines at a page break. */
static void
test_corpus_header_over_page_break(void)
{
	g_autoptr(GPtrArray) a = parse(
	    "3 letters in my possession that we are handing to Kyl's office now.\n"
	    "\n"
	    "   Original Message\n"
	    "From: H <HDR22@clintonemail.com>\n"
	    "\n"
	    "      UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05762995 Date: 06/30/2015\n"
	    "\f       UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05762995 Date: 06/30/2015\n"
	    "\n\n\n"
	    "To: Verma, Richard R\n"
	    "Sent: Thu Dec 24 09:36:33 2009\n"
	    "Subject: Re: Trying to call you--call me thru ops.\n"
	    "\n"
	    "Just tried it but got a request for my mailbox on the system. Is this right #?\n");
	check_messages(a, "from H <HDR22@clintonemail.com>\n"
	                  "to Verma, Richard R\n"
	                  "date 2009-12-24T09:36:33\n");
	g_assert_true(g_str_has_prefix(msg(a, 0)->field[DP_PRINTED_BODY], "Just tried it"));
}

/* Corpus, C05761294: quoted header lines. */
static void
test_corpus_quoted_headers(void)
{
	check_text(">    Original Message\n"
	           "> From: \"H\" <hdr22@clintonemail.com>\n"
	           "\n"
	           "> Date: Wed, 8 Apr 2009 11:22:08\n"
	           "> To: Jackie Newmyer<jn@example.org>\n"
	           "> Subject: Re: call\n"
	           "\n"
	           "> Are you free?\n",
	           /* gives */
	           "from \"H\" <hdr22@clintonemail.com>\n"
	           "to Jackie Newmyer<jn@example.org>\n"
	           "date 2009-04-08T11:22:08\n"
	           "body > Are you free?\n");
}

/* A million From lines, no other label: nothing, and in linear time. */
static void
test_hostile_million_from_lines(void)
{
	g_autoptr(GString) s = g_string_sized_new(20 * 1000000);
	for (int i = 0; i < 1000000; i++)
		g_string_append(s, "From: x@example.org\n");
	check_none(s->str);
}

/*
 * PREFIX, BIG bytes of PIECE over and over, then SUFFIX, parsed: one
 * message, its To (where the long line is) bounded.
 */
static GPtrArray *
parse_huge(const char *prefix, const char *piece, gsize big, const char *suffix)
{
	g_autoptr(GString) s = g_string_sized_new(big + 200);
	g_string_append(s, prefix);
	gsize n = strlen(piece);
	for (gsize i = 0; i < big; i++)
		g_string_append_c(s, piece[i % n]);
	g_string_append(s, suffix);
	GPtrArray *a = dp_printed_parse(s->str, s->len, NULL);
	g_assert_cmpuint(a->len, ==, 1);
	/* Values are bounded. */
	g_assert_cmpuint(strlen(msg(a, 0)->field[DP_PRINTED_TO]), <=, 4096);
	return a;
}

/* One line of 10 MB, alone and inside a header block. */
static void
test_hostile_huge_line(void)
{
	gsize big = 10 * 1024 * 1024;
	g_autoptr(GPtrArray) a =
	    parse_huge("From: A <a@example.org>\nSent: Friday, May 8, 2009 7:00 PM\nTo: ", "ab; B6 ", big,
	               "\nSubject: long\n\nbody\n");
	g_assert_cmpstr(msg(a, 0)->field[DP_PRINTED_WITHHELD], ==, "to B6");

	/* 10 MB of spaces before a label, and 10 MB of form feeds. */
	g_autoptr(GString) t = g_string_sized_new(big + 100);
	for (gsize i = 0; i < big; i++)
		g_string_append_c(t, i < big / 2 ? ' ' : '\f');
	g_string_append(t, "From:");
	check_none(t->str);

	/* The column form: an address list line of 10 MB, cut inside a name. */
	g_autoptr(GPtrArray) c = parse_huge("From:\nSent:\nTo:\nCc:\nSubject:\nA\nMonday, May 4, 2009 7:00 PM\n",
	                                    "ab; cd ", big, "\nef; gh\nC\nlong\nbody\n");
	g_assert_cmpstr(msg(c, 0)->field[DP_PRINTED_DATE], ==, "2009-05-04T19:00:00");
}

/*
 * A long chain, its header blocks falling on every position of the
 * parser's window of lines, and a message after ten million empty lines.
 */
static void
test_long_document(void)
{
	GString *s = g_string_new("cover note\n");
	for (int k = 0; k < 3000; k++) {
		g_string_append_printf(
		    s, "From: P%d <p%d@example.org>\nSent: 1/2/2009 3:04 PM\nTo: Q\nSubject: s%d\n\n", k, k, k);
		for (int b = 0; b <= k % 7; b++)
			g_string_append_printf(s, "body %d line %d\n", k, b);
		g_string_append(s, k % 2 ? "\n-----Original Message-----\n" : "\n\n");
	}
	g_autoptr(GPtrArray) a = dp_printed_parse(s->str, s->len, NULL);
	g_assert_cmpuint(a->len, ==, 3000);
	for (int k = 0; k < 3000; k++) {
		g_autofree char *from = g_strdup_printf("P%d <p%d@example.org>", k, k);
		g_autofree char *last = g_strdup_printf("body %d line %d", k, k % 7);
		const DpPrintedMessage *m = msg(a, (guint)k);
		g_assert_cmpstr(m->field[DP_PRINTED_FROM], ==, from);
		g_assert_true(g_str_has_prefix(m->field[DP_PRINTED_BODY], "body "));
		g_assert_true(g_str_has_suffix(m->field[DP_PRINTED_BODY], last));
		g_assert_true(g_str_has_prefix(s->str + m->offset, "From: P"));
	}
	g_string_free(s, TRUE);

	gsize big = 10 * 1000 * 1000;
	GString *t = g_string_sized_new(big + 100);
	for (gsize k = 0; k < big; k++)
		g_string_append_c(t, '\n');
	g_string_append(t, "From: A <a@example.org>\nSent: 1/2/2009 3:04 PM\nTo: B\n\nlast\n");
	g_autoptr(GPtrArray) b = dp_printed_parse(t->str, t->len, NULL);
	g_assert_cmpuint(b->len, ==, 1);
	g_assert_cmpuint(msg(b, 0)->offset, ==, big);
	g_assert_cmpstr(msg(b, 0)->field[DP_PRINTED_BODY], ==, "last");
	g_string_free(t, TRUE);
}

/* More messages than the parser makes: the count is bounded. */
static void
test_hostile_many_messages(void)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 101000; i++)
		g_string_append(s, "From: a@example.org\nSent: 1/2/2009 3:04 PM\nTo: b\n\nx\n");
	g_autoptr(GPtrArray) a = dp_printed_parse(s->str, s->len, NULL);
	g_assert_cmpuint(a->len, ==, 100000);
	/* The rest of the text is the last one's body. */
	g_assert_cmpuint(strlen(msg(a, 99999)->field[DP_PRINTED_BODY]), >, 1000 * 40);
	g_string_free(s, TRUE);
}

/* Pseudo-random bytes (fixed seed), invalid UTF-8, NULs, label fragments. */
static void
test_hostile_garbage(void)
{
	static const char *const pieces[] = { "From:", "Sent:", "To:",  "Cc:",    "Subject:", "\n",  "\f",
		                              " ",     "\t",    "B6",   "(b)(6)", "[mailto:", "On ", " wrote:",
		                              "12:30", "2009",  "\xff", "\xc3",   "\0",       ">",   "Original Message",
		                              "-",     "Apr" };
	GRand *r = g_rand_new_with_seed(15);
	for (int round = 0; round < 200; round++) {
		GString *s = g_string_new(NULL);
		int n = g_rand_int_range(r, 0, 400);
		for (int i = 0; i < n; i++) {
			const char *p = pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))];
			g_string_append_len(s, p, *p ? (gssize)strlen(p) : 1);
		}
		g_autoptr(GPtrArray) a = dp_printed_parse(s->str, s->len, round % 2 ? "America/New_York" : NULL);
		for (guint i = 0; i < a->len; i++) {
			const DpPrintedMessage *m = msg(a, i);
			g_assert_nonnull(m->field[DP_PRINTED_BODY]);
			g_assert_true(g_utf8_validate(m->field[DP_PRINTED_BODY], -1, NULL));
			g_assert_true(m->field[DP_PRINTED_FROM] == NULL ||
			              g_utf8_validate(m->field[DP_PRINTED_FROM], -1, NULL));
			g_assert_cmpuint(m->offset, <, s->len);
		}
		g_string_free(s, TRUE);
	}
	g_rand_free(r);
}

/* Every prefix of a chain parses, into no more messages than the whole. */
static void
test_truncated_chain(void)
{
	gsize len = strlen(outlook_chain);
	for (gsize i = 0; i <= len; i++) {
		g_autoptr(GPtrArray) a = dp_printed_parse(outlook_chain, i, NULL);
		g_assert_cmpuint(a->len, <=, 3);
		for (guint k = 0; k < a->len; k++)
			g_assert_cmpuint(msg(a, k)->offset, <, i);
	}
}

DP_UNIT_MAIN("printed", test_corpus_outlook_chain, test_one_message, test_two_messages_dashes,
             test_three_messages_separators, test_corpus_wrote_forms, test_wrote_needs_a_date,
             test_alignment_tabs_and_spaces, test_corpus_continuation_lines, test_wrapped_without_marks,
             test_column_form, test_column_form_displaced_body, test_column_form_long_lists, test_wrote_zone_and_year,
             test_corpus_gapped_address_lists, test_value_on_next_line, test_ocr_damaged_labels, test_ocr_spaced_header,
             test_corpus_lost_colons, test_corpus_redaction_marks, test_date_forms, test_date_zones,
             test_corpus_memo_is_no_message, test_memo_with_date_is_no_message, test_corpus_article_quoting_from,
             test_corpus_furniture_only, test_empty_text, test_corpus_header_over_page_break,
             test_corpus_quoted_headers, test_long_document, test_hostile_million_from_lines, test_hostile_huge_line,
             test_hostile_many_messages, test_hostile_garbage, test_truncated_chain)
