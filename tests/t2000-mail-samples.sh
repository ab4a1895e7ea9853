#!/bin/sh
# t2000: the mail and archive samples against their golden text outputs,
# well-formed XML, determinism, and the metadata a message must carry.
. "$(dirname "$0")/test-lib.sh"

MAIL=$SAMPLES/mail
G=$GOLDEN/mail

for f in report.eml latin1.eml html-only.eml broken.eml mboxo.mbox mboxrd.mbox mboxcl.mbox \
	mboxcl2.mbox mmdf.mmdf nested.zip names.zip maildir; do
	test_expect_success "$f matches its golden text" "
		(cd '$MAIL' && docpipe convert '$f' >'$TRASH/$f.out' 2>/dev/null; true) &&
		test_cmp '$G/$f.txt' '$TRASH/$f.out'
	"
done

test_expect_success 'every sample gives well-formed XML, twice the same' '
	for f in report.eml latin1.eml mboxrd.mbox mmdf.mmdf nested.zip bomb.zip names.zip maildir; do
		(cd "$MAIL" && docpipe convert --xml "$f" >"$TRASH/a.xml" 2>/dev/null
		 docpipe convert --xml "$f" >"$TRASH/b.xml" 2>/dev/null)
		xmllint --noout "$TRASH/a.xml" || return 1
		cmp "$TRASH/a.xml" "$TRASH/b.xml" || return 1
	done
'

test_expect_success 'message headers are decoded into metadata (RFC 2047, ISO date)' '
	docpipe convert --xml --no-redact "$MAIL/report.eml" >x.xml &&
	test_meta from "Renée Müller &lt;renee.muller@example.com&gt;" &&
	test_meta cc "José García.*" &&
	test_meta bcc "audit@example.com" &&
	test_meta reply-to "renee.muller@example.com" &&
	test_meta date-iso "2024-03-01T13:30:00Z" &&
	test_meta subject "Quarterly report – final" &&
	test_meta message-id "&lt;report-2024-q1@example.com&gt;" &&
	test_meta in-reply-to ".*" &&
	test_meta references "&lt;kickoff@example.net&gt; &lt;draft-2024-q1@example.net&gt;"
'

test_expect_success 'attachments carry file name, content type, size and sha256' '
	docpipe convert --xml --no-redact "$MAIL/report.eml" >x.xml &&
	grep -A3 "path=\"attachment 1\"" x.xml >pdf &&
	test_grep "type=\"application/pdf\"" pdf &&
	test_grep "size=\"[0-9]" pdf && test_grep "sha256=\"[0-9a-f]\{64\}\"" pdf &&
	test_meta filename "minutes.pdf" &&
	test_grep "path=\"attachment 3\" type=\"message/rfc822\"" x.xml
'

test_expect_success 'headers and attachment names are redacted' '
	docpipe convert --xml "$MAIL/report.eml" >x.xml &&
	! grep -q "renee.muller@example.com" x.xml &&
	test_meta from "\[PERSON\] &lt;\[EMAIL\]&gt;" &&
	! grep -q "Müller" x.xml
'

test_expect_success 'the charset used is recorded per part' '
	docpipe convert --xml --no-redact "$MAIL/latin1.eml" >x.xml &&
	test_grep "charset=\"windows-1252\"" x.xml &&
	test_grep "Grüße aus Düsseldorf – the “quoted” text costs €50." x.xml
'

test_expect_success 'malformed MIME keeps what is there and records the defects' '
	docpipe convert --xml --no-redact "$MAIL/broken.eml" >x.xml &&
	test_grep "First part survives." x.xml &&
	test_grep "Second part, unknown charset" x.xml &&
	test_meta defects "truncated-message@.*"
'

test_expect_success 'an mbox message knows its offset and variant' '
	docpipe convert --xml --no-redact "$MAIL/mboxrd.mbox" >x.xml &&
	test_meta offset "0" &&
	off=$(grep -b "^From sender2@" "$MAIL/mboxrd.mbox" | cut -d: -f1) &&
	test_meta offset "$off" &&
	test_meta mbox-variant "mboxrd"
'

test_expect_success 'maildir flags and folders are metadata' '
	docpipe convert --xml --no-redact "$MAIL/maildir" >x.xml &&
	test_meta flags "replied seen" &&
	test_meta folder ".Archive/cur" &&
	test_meta maildir-subdir "new"
'

test_expect_success 'zip entry names: CP437, GBK and the UTF-8 flag' '
	docpipe convert --xml --no-redact "$MAIL/names.zip" >x.xml &&
	test_meta name "cp437-café.txt" &&
	test_meta name-charset "cp437" &&
	test_meta name "审计文档.txt" &&
	test_meta name-charset "gb18030" &&
	test_meta name-charset "utf-8"
'

test_done
