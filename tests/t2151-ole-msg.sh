#!/bin/sh
# t2151: Outlook .msg messages (extract/msg.c): a record like an .eml's
# (the same meta keys, the header block in the text output, a row in the
# message index, the same redaction), the body by preference (plain, then
# HTML as a part), the transport headers when there, recipients by type,
# attachments and an attached message as parts.  Samples from
# scripts/make-samples-ole.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

meta() {
	sed -n "s|^ *<meta name=\"$1\">\(.*\)</meta>|\1|p" "$2" | head -n 1
}

test_expect_success 'a .msg is application/vnd.ms-outlook with the message keys of an .eml' '
	docpipe convert --xml --no-redact "$S/plain.msg" >x.xml &&
	test_grep "type=\"application/vnd.ms-outlook\" status=\"ok\"" x.xml &&
	test "$(meta subject x.xml)" = "Quarterly report" &&
	test "$(meta from x.xml)" = "Alice Sender &lt;alice.sender@example.org&gt;" &&
	test "$(meta to x.xml)" = "Bob Receiver &lt;bob.receiver@example.com&gt;" &&
	test "$(meta cc x.xml)" = "&quot;Carol, Copy&quot; &lt;carol.copy@example.com&gt;" &&
	test "$(meta bcc x.xml)" = "Dave Blind &lt;dave.blind@example.com&gt;" &&
	test "$(meta date x.xml)" = "Fri, 01 Mar 2024 12:30:00 +0000" &&
	test "$(meta date-iso x.xml)" = "2024-03-01T12:30:00Z" &&
	test "$(meta message-id x.xml)" = "&lt;report-2@example.org&gt;" &&
	test "$(meta in-reply-to x.xml)" = "&lt;parent-1@example.org&gt;" &&
	test "$(meta references x.xml)" = "&lt;root-0@example.org&gt; &lt;parent-1@example.org&gt;"
'

test_expect_success 'plain body as the text, HTML as a part, attachments in order' '
	docpipe convert --no-redact "$S/plain.msg" >out &&
	cat >expect <<-\EOT &&
	From: Alice Sender <alice.sender@example.org>
	To: Bob Receiver <bob.receiver@example.com>
	Cc: "Carol, Copy" <carol.copy@example.com>
	Date: Fri, 01 Mar 2024 12:30:00 +0000
	Subject: Quarterly report

	Hello Bob,
	the report is attached. Call me at 555-0199.
	Alice

	==> alternative 1 [text/html] <==
	Hello Bob, the HTML rendering.

	==> attachment 1 [text/plain] <==
	Attached notes: the budget line.

	==> attachment 2 [application/vnd.ms-outlook] <==
	From: Alice Sender <alice.sender@example.org>
	Date: Fri, 01 Mar 2024 12:30:00 +0000
	Subject: Inner forwarded message

	The attached message body, call 555-0100.
	EOT
	test_cmp expect out
'

test_expect_success 'the attachment keeps its file name; the attached message is a .msg of its own' '
	docpipe convert --xml --no-redact "$S/plain.msg" >x.xml &&
	test_meta filename "notes.txt" &&
	test_grep "path=\"attachment 2\" type=\"application/vnd.ms-outlook\" status=\"ok\"" x.xml &&
	docpipe convert --xml --no-redact "$S/plain.msg" >y.xml &&
	test_cmp x.xml y.xml
'

test_expect_success 'an HTML-only body is the part body 1, in the code page the message names' '
	docpipe convert --no-redact "$S/html.msg" >out &&
	test_grep "==> body 1 \[text/html\] <==" out &&
	test_grep "^Only HTML here, no plain body, café “quoted”.$" out
'

test_expect_success 'the RTF rendering beside a plain body is named, not read' '
	docpipe convert --xml --no-redact "$S/plain.msg" >x.xml &&
	test_meta alternatives-not-read "text/rtf" &&
	! grep -q "RTF rendering" x.xml
'

test_expect_success 'alternatives=preferred: the HTML rendering is named, not read' '
	printf "[mail]\nalternatives=preferred\n" >pref.conf &&
	docpipe convert -c pref.conf --xml --no-redact "$S/plain.msg" >x.xml &&
	test_meta alternatives-not-read "text/html text/rtf" &&
	! grep -q "alternative 1" x.xml
'

test_expect_success 'a compressed RTF body alone is decompressed and read as the text' '
	docpipe convert --no-redact "$S/rtf.msg" >out &&
	test_grep "^Body in compressed RTF, café.$" out &&
	! grep -q "rtf1" out
'

test_expect_success 'transport headers win over the properties' '
	docpipe convert --xml --no-redact "$S/headers.msg" >x.xml &&
	test "$(meta subject x.xml)" = "Subject from headers" &&
	test "$(meta from x.xml)" = "Header Sender &lt;header.sender@example.net&gt;" &&
	test "$(meta message-id x.xml)" = "&lt;hdr-3@example.net&gt;" &&
	test "$(meta in-reply-to x.xml)" = "&lt;report-2@example.org&gt;"
'

test_expect_success 'redaction treats the headers and body as an .eml'"'"'s' '
	docpipe convert "$S/plain.msg" >out &&
	test_grep "^From: \[PERSON\] <\[EMAIL\]>$" out &&
	! grep -q "Alice Sender" out &&
	test_grep "Call me at \[PHONE\]" out &&
	! grep -q "alice.sender@example.org" out &&
	! grep -q "555-0199" out
'

test_expect_success 'each message, the attached one too, is a row of the message index' '
	docpipe convert -o o -m m.tsv "$S/plain.msg" "$S/headers.msg" >/dev/null &&
	test "$(wc -l <m.tsv)" = 4 &&
	test_grep "	Quarterly report	" m.tsv &&
	test_grep "^.*plain.msg	attachment 2	.*Inner forwarded message" m.tsv &&
	test_grep "	Subject from headers	" m.tsv
'

test_expect_success 'a .msg attached to an .eml as octet-stream is read as a message' '
	{
		printf "From: a@example.org\nTo: b@example.org\nSubject: Fwd\nMIME-Version: 1.0\n" &&
		printf "Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nSee attached.\n" &&
		printf "\n--XX\nContent-Type: application/octet-stream; name=fwd.msg\nContent-Transfer-Encoding: base64\n\n" &&
		base64 "$S/plain.msg" && printf "\n--XX--\n"
	} >fwd.eml &&
	docpipe convert --xml --no-redact fwd.eml >x.xml &&
	test_grep "path=\"attachment 1\" type=\"application/vnd.ms-outlook\" status=\"ok\"" x.xml &&
	test_grep "path=\"attachment 2\" type=\"application/vnd.ms-outlook\"" x.xml &&
	test_meta subject "Inner forwarded message"
'

test_expect_success 'an attached message counts against max-depth' '
	printf "[limits]\nmax-depth=0\n" >deep.conf &&
	docpipe convert -c deep.conf --xml --no-redact "$S/plain.msg" >x.xml 2>err;
	test_grep "path=\"attachment 2\" type=\"application/x-ole-storage\" status=\"limit\"" x.xml
'

test_expect_success 'named properties: the categories as meta.keywords, the account as meta.account' '
	docpipe convert --xml --no-redact "$S/named.msg" >x.xml &&
	test_grep "type=\"application/vnd.ms-outlook\" status=\"ok\"" x.xml &&
	test_meta keywords "Project X, Confidential" &&
	test_meta account "Alice Work Account"
'

test_expect_success 'a message without named properties has neither key' '
	docpipe convert --xml --no-redact "$S/plain.msg" >x.xml &&
	! grep -q "<meta name=\"keywords\">" x.xml &&
	! grep -q "<meta name=\"account\">" x.xml
'

test_expect_success 'recipients whose names share one stream'"'"'s sectors: reading stops, partial' '
	test_exit_code 65 docpipe convert --xml --no-redact "$TEST_DIR/crashers/ole/msg-shared-sectors" >x.xml 2>err &&
	test_grep "status=\"partial\"" x.xml &&
	test_grep "more than 4 times the file.s size (they share sectors)" err &&
	test_meta subject "Shared sectors"
'

test_done
