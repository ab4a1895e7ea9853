#!/bin/sh
# Redaction configuration: errors are exit 78 naming the problem, the
# pseudonym operator needs a key, keys come from a file or the environment.
. "$(dirname "$0")/test-lib.sh"

printf 'Mail a@example.org or 202-555-0143.\n' >"$TRASH/in.txt"

test_expect_success 'the default config redacts email and phone' '
	docpipe-redact --text <in.txt >out &&
	echo "Mail [EMAIL] or [PHONE]." >want && test_cmp want out
'
test_expect_code 78 'pseudonym without a key is a config error' '
	printf "[redact]\noperator=pseudonym\n" >c.conf &&
	docpipe-redact -c c.conf --text <in.txt 2>err; rc=$?; cat err; test_grep "needs a key" err; exit $rc
'
test_expect_code 78 'pseudonym key from an unset variable is a config error' '
	printf "[redact]\noperator=pseudonym\nkey-env=DOCPIPE_TEST_NO_SUCH_KEY\n" >c.conf &&
	docpipe convert -c c.conf in.txt
'
test_expect_success 'pseudonym key from the environment: same token every run' '
	printf "[redact]\noperator=pseudonym\nkey-env=DP_KEY\n" >c.conf &&
	DP_KEY=0123456789abcdef0123 docpipe-redact -c c.conf --text <in.txt >a &&
	DP_KEY=0123456789abcdef0123 docpipe-redact -c c.conf --text <in.txt >b &&
	test_cmp a b && grep -q "\[EMAIL-[0-9a-f]\{6\}\]" a &&
	DP_KEY=another-key-0123456789 docpipe-redact -c c.conf --text <in.txt >c &&
	! cmp -s a c
'
test_expect_success 'pseudonym key from a file relative to the config' '
	mkdir d && printf "a-secret-key-of-enough-length\n" >d/key &&
	printf "[redact]\noperator=pseudonym\nkey-file=key\n" >d/c.conf &&
	docpipe-redact -c d/c.conf --text <in.txt >out && grep -q "\[PHONE-[0-9a-f]\{6\}\]" out
'
test_expect_code 78 'a key file that is too short is refused' '
	printf "short\n" >k && printf "[redact]\noperator=pseudonym\nkey-file=k\n" >c.conf &&
	docpipe-redact -c c.conf --text <in.txt
'
# Configurations the redactor refuses, one a line: what is wrong, "|",
# the configuration (printf's escapes).  Each is exit 78.
while IFS='|' read -r what conf; do
	test_expect_code 78 "$what" "
		printf '$conf' >c.conf && docpipe-redact -c c.conf --text <in.txt
	"
done <<\EOF
unknown detector|[redact]\ndetectors=email;passport\n
unknown operator|[redact]\noperator=shred\n
mask-char of two characters|[redact]\nmask-char=ab\n
a rule with neither pattern nor terms|[rule x]\nlabel=[X]\n
a bad regular expression|[rule x]\npattern=([a-z\n
a missing term list|[rule x]\nterms=nowhere.txt\n
a pattern in a built-in detector group|[rule email]\npattern=x\n
EOF
test_expect_success 'a built-in turned off in its own group' '
	printf "[rule phone]\nenabled=false\n" >c.conf && docpipe-redact -c c.conf --text <in.txt >out &&
	echo "Mail [EMAIL] or 202-555-0143." >want && test_cmp want out
'
test_expect_success 'config errors never echo the data' '
	printf "[redact]\noperator=pseudonym\n" >c.conf &&
	{ docpipe convert -c c.conf in.txt >out 2>err; true; } && ! grep -q "a@example" err out
'
test_expect_success 'docpipe config lists the redaction keys' '
	docpipe config >out && test_grep "^mask-char=\*" out && test_grep "^validate=true" out
'
test_expect_success '--text streams: blocks cut at blank lines give the same result' '
	i=0; while [ $i -lt 3000 ]; do
		printf "Para %d mail u%d@example.org call 202-555-%04d and a long filler line of text to make it big enough for blocks.\nsecond line split 202-555-\n0143 here\n\n" $i $i $((i % 10000)); i=$((i+1));
	done >p.txt &&
	j=0; while [ $j -lt 20 ]; do cat p.txt; j=$((j+1)); done >big.txt &&
	docpipe-redact --text <big.txt >big.out &&
	! grep -q "@example.org\|202-555" big.out &&
	test "$(grep -c "\[PHONE\] here" big.out)" = 60000
'
test_done
