#!/bin/sh
test_description='docpipe status: paths and reasons with control characters stay on one line'
. "$(dirname "$0")/test-lib.sh"

# A failed input whose name holds a newline, a tab and a backslash: its
# failure line in the text form must be one line, escaped C-style as
# docpipe-detect --tsv escapes (control characters and backslashes only).
test_expect_success 'set-up: a run where an oddly named input fails' '
	mkdir in &&
	printf "memo one\n" >in/plain.txt &&
	printf "memo two\n" >"in/$(printf "new\nline\tvictim\\\\x.txt")" &&
	{ DOCPIPE_FAULT=crash:victim docpipe run in out 2>/dev/null; test $? = 65; }
'

test_expect_success 'the failure is one line, its name escaped' '
	{ docpipe status out >st; test $? = 65; } &&
	grep -F "new\\nline\\tvictim\\\\x.txt: " st >line &&
	test $(wc -l <line) = 1 &&
	! grep -q "^line" st &&
	! grep -q "$(printf "\t")" st
'

test_expect_success 'the escaping is the same as docpipe-detect --tsv' '
	docpipe-detect --tsv in/new* | sed 1d | cut -f1 >tsv &&
	sed -n "s|.*\(new.*x\.txt\): .*|\1|p" st >shown &&
	sed "s|^in/||" tsv >want &&
	test_cmp want shown
'

test_expect_success '--json keeps the name, JSON-escaped' '
	{ docpipe status --json out >sj; test $? = 65; } &&
	grep -F "new\\nline\\tvictim\\\\x.txt" sj
'

test_done
