#!/bin/sh
# t2030: how a mail part's type is decided.  A specific label (image/jpeg)
# on bytes we do not read (gzip) is kept unless our own sniffers recognise the bytes
# (a "png" that is a PDF); a generic label (application/octet-stream) is
# checked with libmagic, unless [extract] identify-parts=false.  libmagic's
# answer is reused for bytes seen before (keyed by their SHA-256), which
# must never hand one content another's type.
. "$(dirname "$0")/test-lib.sh"

# msg FILE LABEL B64: a message with one base64 attachment.
msg() {
	{
		printf 'From: a@example.com\nTo: b@example.com\nSubject: types\nMIME-Version: 1.0\n'
		printf 'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhello\n'
		printf -- '--b\nContent-Type: %s\nContent-Disposition: attachment; filename="x"\n' "$2"
		printf 'Content-Transfer-Encoding: base64\n\n%s\n--b--\n' "$3"
	} >"$1"
}
# Bytes nothing names but libmagic (gzip), a 1x1 PNG and a tiny PDF, base64.
GZ=$(printf "hello hello\n" | gzip -n | base64 -w0)
PNG=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVQI12P4DwABAQEAG7buVgAAAABJRU5ErkJggg==
PDF=$(printf '%%PDF-1.4\n%%%%EOF\n' | base64 -w0)

test_expect_success 'a specific label is kept when the bytes are nothing we read' '
	msg a.eml image/jpeg "$GZ" &&
	docpipe convert --xml --no-redact a.eml >x.xml &&
	test_grep "path=\"attachment 1\" type=\"image/jpeg\"" x.xml
'

test_expect_success 'our sniffers overrule a specific label' '
	msg b.eml image/png "$PDF" &&
	# The PDF is a stub: once a PDF extractor exists it reports it damaged.
	{ docpipe convert --xml --no-redact b.eml >x.xml 2>/dev/null || test $? = 65; } &&
	test_grep "path=\"attachment 1\" type=\"application/pdf\"" x.xml
'

test_expect_success 'a generic label goes through libmagic' '
	msg c.eml application/octet-stream "$PNG" &&
	docpipe convert --xml --no-redact c.eml >x.xml &&
	test_grep "path=\"attachment 1\" type=\"image/png\"" x.xml
'

test_expect_success 'identify-parts=false keeps the generic label' '
	printf "[extract]\nidentify-parts=false\n" >c.conf &&
	msg e.eml application/octet-stream "$GZ" &&
	docpipe convert -c c.conf --xml --no-redact e.eml >x.xml &&
	test_grep "path=\"attachment 1\" type=\"application/octet-stream\"" x.xml &&
	msg d.eml application/octet-stream "$PDF" &&
	{ docpipe convert -c c.conf --xml --no-redact d.eml >x.xml 2>/dev/null || test $? = 65; } &&
	test_grep "path=\"attachment 1\" type=\"application/pdf\"" x.xml
'

# An mbox of 30 messages whose generically labelled attachments cycle
# through a PNG, gzip data and 67 bytes nothing names (the PNG's length),
# each content seen ten times, on two threads.
test_expect_success 'repeated attachments: every copy gets the type of its own bytes' '
	printf "%s" "$PNG" | base64 -d >png.bin &&
	printf "hello hello\n" | gzip -n >gz.bin &&
	tr "\000-\377" "\001-\377\000" <png.bin >odd.bin &&
	test "$(wc -c <odd.bin)" = "$(wc -c <png.bin)" &&
	: >box.mbox &&
	for i in 0 1 2 3 4 5 6 7 8 9; do
		for b in png gz odd; do
			printf "From a@example.com Mon Jan  1 00:00:00 2024\n" >>box.mbox &&
			msg one.eml application/octet-stream "$(base64 -w0 $b.bin)" &&
			cat one.eml >>box.mbox && echo >>box.mbox || return 1
		done
	done &&
	printf "[extract]\nthreads=2\n" >t.conf &&
	docpipe convert -c t.conf --xml --no-redact box.mbox >x.xml &&
	for i in 0 1 2 3 4 5 6 7 8 9; do
		printf "%s\n" image/png application/gzip application/octet-stream || return 1
	done >want &&
	grep -o "path=\"attachment 1\" type=\"[^\"]*\"" x.xml | sed "s/.*type=\"//;s/\"//" >got &&
	test_cmp want got
'

test_done
