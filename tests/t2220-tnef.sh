#!/bin/sh
# t2220: winmail.dat (TNEF) through docpipe-tnef.so (extract/tnef.c):
# metadata, the plain and the compressed RTF body, attachments as parts
# under their long names, an attached message, a TNEF attached to a mail
# (typed by its bytes), and hostile streams (a length past the end, a bad
# checksum, a truncated file): status partial, what came before is kept.
# The files come from scripts/make-samples-tnef; the corpus has none.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'make the samples (scripts/make-samples-tnef)' '
	"$TOP/scripts/make-samples-tnef" tnef &&
	test -s tnef/winmail.dat
'

test_expect_success 'winmail.dat: type, metadata, plain body' '
	docpipe convert --xml --no-redact tnef/winmail.dat >x.xml &&
	test_grep "type=\"application/vnd.ms-tnef\" status=\"ok\"" x.xml &&
	test_meta subject "Quarterly numbers" &&
	test_meta from "Ann Sender &lt;ann@example.org&gt;" &&
	test_meta to "Bob Receiver" &&
	test_meta cc "Carol Copy" &&
	test_meta date-iso "2024-03-01T09:30:00Z" &&
	test_meta message-id "&lt;tnef-sample-1@example.org&gt;" &&
	test_grep "<text>Hello Bob,$" x.xml
'

test_expect_success 'winmail.dat: both attachments are parts, by their long names' '
	docpipe convert --xml --no-redact tnef/winmail.dat >x.xml &&
	test_grep "path=\"attachment 1\" type=\"text/plain\" status=\"ok\"" x.xml &&
	test_meta filename "quarterly report.txt" &&
	test_grep "path=\"attachment 2\" type=\"text/html\" status=\"ok\"" x.xml &&
	test_meta filename "page.html" &&
	docpipe convert --no-redact tnef/winmail.dat >out &&
	test_grep "^Attached report: revenue grew in the third quarter.$" out &&
	test_grep "^Attached page text.$" out
'

test_expect_success 'a compressed RTF body (LZFu) and a Unicode subject' '
	docpipe convert --xml --no-redact tnef/rtfbody.dat >x.xml &&
	test_meta subject "Café € report" &&
	test_meta body-format "rtf" &&
	test_convert_text tnef/rtfbody.dat "Hello Bob,\nthe RTF body says the café opens at nine.\n"
'

test_expect_success 'an HTML body alone is the part body 1' '
	docpipe convert --xml --no-redact tnef/htmlbody.dat >x.xml &&
	test_grep "path=\"body 1\" type=\"text/html\" status=\"ok\"" x.xml &&
	test_grep "The HTML body of the TNEF message." x.xml
'

test_expect_success 'an attached message is read as TNEF in its turn' '
	docpipe convert --xml --no-redact tnef/nested.dat >x.xml &&
	test_grep "path=\"attachment 1\" type=\"application/vnd.ms-tnef\" status=\"ok\"" x.xml &&
	test_meta subject "Inner message" &&
	test_grep "A file inside the inner message." x.xml
'

test_expect_success 'winmail.dat attached to a mail is typed by its bytes and read' '
	docpipe convert --xml --no-redact tnef/mail.eml >x.xml &&
	test_grep "type=\"application/vnd.ms-tnef\" status=\"ok\"" x.xml &&
	test_meta filename "quarterly report.txt" &&
	test_grep "Attached report: revenue grew" x.xml
'

test_expect_success 'libytnef complains on stdout: never in the output, sandbox on or off' '
	printf "[sandbox]\nenabled=false\n" >off.conf &&
	test_exit_code 65 docpipe convert --no-redact tnef/mapijunk.dat >on 2>err &&
	test_grep "libytnef could not read the stream" err &&
	test_exit_code 65 docpipe convert --no-redact -c off.conf tnef/mapijunk.dat >off 2>err &&
	test_cmp on off &&
	test_grep "^The body before the bad block.$" off &&
	! grep -q "ERROR" off
'

test_expect_success 'without the sandbox, a mailbox: the text and the record stream stay clean' '
	test_exit_code 65 docpipe convert --no-redact tnef/mapijunk.mbox >on 2>/dev/null &&
	test_exit_code 65 docpipe convert --no-redact -c off.conf tnef/mapijunk.mbox >off 2>/dev/null &&
	test_cmp on off &&
	test "$(grep -c "^Line of message" off)" = 12 &&
	test "$(grep -c "^The body before the bad block.$" off)" = 6 &&
	! grep -q "ERROR" off &&
	docpipe-detect tnef/mapijunk.mbox >det &&
	test_exit_code 65 docpipe-extract -c off.conf <det >rec 2>/dev/null &&
	test_exit_code 65 docpipe-emit <rec >stage 2>/dev/null &&
	test_cmp on stage
'

test_expect_success 'an attachment length past the end: partial, the body kept' '
	test_exit_code 65 docpipe convert --xml --no-redact tnef/badlen.dat >x.xml 2>err &&
	test_grep "status=\"partial\"" x.xml &&
	test_grep "length 2147483632 runs past the end" err &&
	test_grep "Body before the bad attachment." x.xml
'

test_expect_success 'a bad checksum and a truncated stream: partial, one-line message' '
	test_exit_code 65 docpipe convert --no-redact tnef/badsum.dat >out 2>err &&
	test_grep "bad checksum" err &&
	test "$(wc -l <err)" = 1 &&
	test_exit_code 65 docpipe convert --no-redact tnef/truncated.dat >out 2>err &&
	test_grep "runs past the end" err &&
	test_grep "^the plain body of the TNEF message.$" out
'

test_expect_success 'thousands of tiny attachments: cut where libytnef would turn quadratic' '
	test_exit_code 65 docpipe convert --xml --no-redact tnef/manyatt.dat >x.xml 2>err &&
	test_grep "too many attachments (5794) and attributes" err &&
	test_grep "Body before the attachments." x.xml &&
	test "$(grep -c "path=\"attachment " x.xml)" -gt 1000
'

test_done
