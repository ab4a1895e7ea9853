#!/bin/sh
# t2040: the renderings of a multipart/alternative.  By default every one
# is read: the plain text is the body, the others are "alternative N"
# parts.  [mail] alternatives=preferred reads only the chosen one: the
# other text renderings are named in meta.alternatives-not-read, and
# anything else under them (images and files Apple Mail puts inside the
# HTML rendering) is still a part.
. "$(dirname "$0")/test-lib.sh"

printf '[mail]\nalternatives=preferred\n' >"$TRASH/pref.conf"

# A plain + HTML message, and an Apple-Mail-like one whose HTML rendering
# is a multipart/related holding an inline image and a PDF.
test_expect_success 'setup: two messages with alternatives' '
	{
		printf "From: a@example.com\nTo: b@example.com\nSubject: two renderings\nMIME-Version: 1.0\n"
		printf "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
		printf -- "--a\nContent-Type: text/plain; charset=utf-8\n\nplain rendering words\n"
		printf -- "--a\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>html rendering words</p></body></html>\n"
		printf -- "--a--\n"
	} >simple.eml &&
	PNG=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVQI12P4DwABAQEAG7buVgAAAABJRU5ErkJggg== &&
	PDF=$(base64 -w0 "$SAMPLES/pdf/known-text.pdf") &&
	{
		printf "From: a@example.com\nTo: b@example.com\nSubject: apple style\nMIME-Version: 1.0\n"
		printf "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
		printf -- "--a\nContent-Type: text/plain; charset=utf-8\n\nplain body of the apple mail\n"
		printf -- "--a\nContent-Type: multipart/related; boundary=\"r\"\n\n"
		printf -- "--r\nContent-Type: text/html; charset=utf-8\n\n<html><body>html body of the apple mail<img src=\"cid:p\"></body></html>\n"
		printf -- "--r\nContent-Type: image/png\nContent-ID: <p>\nContent-Transfer-Encoding: base64\n\n%s\n" "$PNG"
		printf -- "--r\nContent-Type: application/pdf; name=\"minutes.pdf\"\nContent-Disposition: inline; filename=\"minutes.pdf\"\n"
		printf "Content-Transfer-Encoding: base64\n\n%s\n--r--\n--a--\n" "$PDF"
	} >apple.eml
'

test_expect_success 'default: every rendering is read' '
	docpipe convert --no-redact simple.eml >t &&
	test_grep "plain rendering words" t && test_grep "html rendering words" t &&
	test_grep "^==> alternative 1 \[text/html\] <==" t &&
	docpipe convert --no-redact --xml simple.eml >x.xml &&
	! grep -q "alternatives-not-read" x.xml
'

test_expect_success 'preferred: the HTML beside the plain text is named, not read' '
	docpipe convert -c "$TRASH/pref.conf" --no-redact simple.eml >t &&
	test_grep "plain rendering words" t && ! grep -q "html rendering words" t &&
	! grep -q "==> alternative" t &&
	docpipe convert -c "$TRASH/pref.conf" --no-redact --xml simple.eml >x.xml &&
	test_grep "<meta name=\"alternatives-not-read\">text/html</meta>" x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml
'

test_expect_success 'preferred: files inside the other rendering are still parts' '
	docpipe convert -c "$TRASH/pref.conf" --no-redact --xml apple.eml >x.xml &&
	test_grep "plain body of the apple mail" x.xml && ! grep -q "html body of the apple mail" x.xml &&
	test_grep "type=\"image/png\"" x.xml && test_grep "type=\"application/pdf\"" x.xml &&
	test_grep "<meta name=\"filename\">minutes.pdf</meta>" x.xml &&
	test_grep "<meta name=\"alternatives-not-read\">text/html</meta>" x.xml &&
	docpipe convert --no-redact --xml apple.eml >all.xml &&
	test_grep "html body of the apple mail" all.xml &&
	test "$(grep -c "<document " x.xml)" = "$(($(grep -c "<document " all.xml) - 1))"
'

test_expect_success 'changing the setting makes docpipe run convert again' '
	mkdir in && cp simple.eml in/ &&
	docpipe run -q in out &&
	docpipe run -c "$TRASH/pref.conf" in out >log 2>&1 &&
	test_grep "1 converted" log &&
	! grep -q "html rendering words" out/simple.eml.txt
'

test_done
