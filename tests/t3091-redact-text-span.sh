#!/bin/sh
# docpipe-redact --text cuts its input at blank lines, which no built-in
# rule matches across; a [rule] pattern that may match a line feed (\s,
# \n, a negated class) may, and then the text is read whole: the match
# across the blank line is found however small the blocks.  Which
# patterns may: the unit test of redact/pattern.c.
test_description='redaction: --text with a user pattern that spans a blank line'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/pattern-test"

# Redact IN with CONF cut at every blank line and not at all; alike.
blocks_alike() {
	DOCPIPE_REDACT_TEXT_BLOCK=1 docpipe-redact -c "$1" --text <"$2" >every &&
	DOCPIPE_REDACT_TEXT_BLOCK=1000000000 docpipe-redact -c "$1" --text <"$2" >whole &&
	test_cmp whole every
}

test_expect_success 'setup: a text with values around blank lines' '
	printf "intro line\n\nCase begin\n\nsecret end here\n\nplain zq42 text\n\n" >in.txt &&
	i=0 &&
	while [ $i -lt 200 ]; do
		printf "filler paragraph %d with words\n\n" $i >>in.txt && i=$((i + 1)) || return 1
	done &&
	printf "last Case begin\n\n\nmore end\n" >>in.txt
'

# The configuration unescapes "\\s" to "\s" ("\s" alone would be a space).
cat >"$TRASH/span.conf" <<'CONF'
[redact]
detectors=email
[rule span]
pattern=Case begin\\s+secret end
CONF

test_expect_success 'a \s+ pattern across a blank line is matched in blocks as whole' '
	blocks_alike span.conf in.txt &&
	grep -q "^\[SPAN\] here\$" every &&
	! grep -q secret every
'

test_expect_success 'a negated class across blank lines is matched in blocks as whole' '
	printf "[redact]\ndetectors=email\n[rule span]\npattern=last Case[^x]+end\n" >neg.conf &&
	blocks_alike neg.conf in.txt &&
	grep -q "^\[SPAN\]\$" every &&
	! grep -q "more end" every
'

test_expect_success 'a pattern within a paragraph: same result in blocks' '
	printf "[redact]\ndetectors=email\n[rule code]\npattern=zq[0-9]+\n" >code.conf &&
	blocks_alike code.conf in.txt &&
	grep -q "^plain \[CODE\] text\$" every
'

test_done
