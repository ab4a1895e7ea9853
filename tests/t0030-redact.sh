#!/bin/sh
test_description='docpipe-redact: rules on body and metadata, what was redacted recorded, never the value'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'email and phone are redacted by default, in body and metadata' '
	cat >page.html <<-\EOF &&
	<html><head><title>Contact jane.doe@example.com</title>
	<meta name="author" content="Jane Doe (555) 123-4567"></head>
	<body><p>Write to jane.doe@example.com or call +1 202-555-0143.</p></body></html>
	EOF
	docpipe convert --xml page.html >x &&
	! grep -q "jane.doe@example.com\|555-0143\|123-4567" x &&
	test_grep "<meta name=\"title\">Contact \[EMAIL\]</meta>" x &&
	test_grep "<redaction rule=\"email\" field=\"meta.title\" count=\"1\" positions=\"8+7\"/>" x &&
	test_grep "<redaction rule=\"phone\" field=\"body\" count=\"1\"" x
'

test_expect_success 'a custom rule from the configuration' '
	cat >my.conf <<-\EOF &&
	[redact]
	detectors=email
	[rule case-number]
	pattern=\bCASE-\d{6}\b
	label=[CASE]
	EOF
	printf "See CASE-123456 and CASE-12345, call 555-123-4567, mail a@b.org\n" >n.txt &&
	docpipe convert -c my.conf n.txt >t &&
	echo "See [CASE] and CASE-12345, call 555-123-4567, mail [EMAIL]" >expect &&
	test_cmp expect t
'

test_expect_success 'the default label of a custom rule is its name in capitals' '
	printf "[rule badge]\npattern=B-\\\\d+\n" >b.conf &&
	echo "badge B-77" >b.txt &&
	docpipe convert -c b.conf b.txt >t &&
	test_grep "^badge \[BADGE\]$" t
'

test_expect_code 78 'a bad pattern is a configuration error naming the rule' '
	printf "[rule broken]\npattern=(unclosed\n" >bad.conf &&
	echo x >x.txt &&
	docpipe convert -c bad.conf x.txt 2>err; rc=$?
	test_grep "rule .broken.: bad pattern" err && return $rc
'

test_expect_code 78 'an unknown detector is a configuration error' '
	printf "[redact]\ndetectors=email;telepathy\n" >bad.conf &&
	docpipe-redact -c bad.conf </dev/null 2>err; rc=$?
	test_grep "telepathy" err && return $rc
'

test_expect_success 'overlaps resolve leftmost, then longest, then rule order' '
	cat >o.conf <<-\EOF &&
	[redact]
	detectors=
	[rule a-short]
	pattern=abc
	label=[S]
	[rule b-long]
	pattern=abcdef
	label=[L]
	[rule c-late]
	pattern=cdefgh
	label=[C]
	[rule d-same]
	pattern=xyz
	label=[D1]
	[rule e-same]
	pattern=xyz
	label=[D2]
	EOF
	echo "abcdefgh xyz" >o.txt &&
	docpipe convert -c o.conf o.txt >t &&
	echo "[L]gh [D1]" >expect &&
	test_cmp expect t
'

test_expect_success 'redaction records never carry the original value' '
	echo "mail secret.person@example.org now" >s.txt &&
	docpipe-detect s.txt | docpipe-extract | docpipe-redact >recs &&
	! grep -q "secret.person" recs &&
	test_grep "^redacted: email body 1 5+7$" recs
'

test_expect_success 'redact passes records it does not understand through' '
	printf "DOCPIPE-RECORD 1\nid: 0123456789abcdef\nx-custom: kept\nbody: 9\nhi a@b.cc\n" | docpipe-redact >out &&
	test_grep "^x-custom: kept$" out &&
	test_grep "^hi \[EMAIL\]$" out
'

test_done
