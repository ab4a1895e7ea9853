#!/bin/sh
test_description='docpipe-redact: rules on body and metadata, what was redacted recorded, never the value'
. "$(dirname "$0")/test-lib.sh"

# redacts_to CONF INPUT EXPECTED: the line INPUT, converted with the
# configuration CONF, is the line EXPECTED and nothing else.
redacts_to() {
	printf '%s\n' "$2" >in.txt &&
	docpipe convert -c "$1" in.txt >t &&
	printf '%s\n' "$3" >expect &&
	test_cmp expect t
}

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
	redacts_to my.conf "See CASE-123456 and CASE-12345, call 555-123-4567, mail a@b.org" \
		"See [CASE] and CASE-12345, call 555-123-4567, mail [EMAIL]"
'

test_expect_success 'the default label of a custom rule is its name in capitals' '
	printf "[rule badge]\npattern=B-\\\\d+\n" >b.conf &&
	redacts_to b.conf "badge B-77" "badge [BADGE]"
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
	printf "[redact]\ndetectors=\n" >o.conf &&
	# One rule a line: name, pattern, label.
	printf "[rule %s]\npattern=%s\nlabel=%s\n" \
		a-short abc "[S]" \
		b-long abcdef "[L]" \
		c-late cdefgh "[C]" \
		d-same xyz "[D1]" \
		e-same xyz "[D2]" >>o.conf &&
	redacts_to o.conf "abcdefgh xyz" "[L]gh [D1]"
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
