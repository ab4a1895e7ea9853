#!/bin/sh
# t2030: how a mail part's type is decided.  A specific label we do not
# extract (image/png) is kept unless our own sniffers recognise the bytes
# (a "png" that is a PDF); a generic label (application/octet-stream) is
# checked with libmagic, unless [extract] identify-parts=false.
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
# A 1x1 PNG and a tiny PDF, base64.
PNG=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVQI12P4DwABAQEAWk1v8QAAAABJRU5ErkJggg==
PDF=$(printf '%%PDF-1.4\n%%%%EOF\n' | base64 -w0)

test_expect_success 'a specific label is kept when the bytes are nothing we read' '
	msg a.eml image/jpeg "$PNG" &&
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
	docpipe convert -c c.conf --xml --no-redact c.eml >x.xml &&
	test_grep "path=\"attachment 1\" type=\"application/octet-stream\"" x.xml &&
	msg d.eml application/octet-stream "$PDF" &&
	{ docpipe convert -c c.conf --xml --no-redact d.eml >x.xml 2>/dev/null || test $? = 65; } &&
	test_grep "path=\"attachment 1\" type=\"application/pdf\"" x.xml
'

test_done
