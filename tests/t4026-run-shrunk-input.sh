#!/bin/sh
test_description='docpipe run: an input that shrinks while it is read is one failed input'
. "$(dirname "$0")/test-lib.sh"

# DOCPIPE_FAULT=shrink:SUBSTRING (pipeline/util/fileio.c) cuts the input
# to half its size right after the worker has mapped it, as a process
# rewriting a file of a growing inbox would: the rest of the mapping is
# gone, and its first touch raises SIGBUS (util/fileio.c turns it into
# zeros and a mark).  No timing: the cut always comes before the read.

# A text input of several pages, so that the cut takes whole pages.
make_inputs() {
	rm -rf in && mkdir in &&
	awk "BEGIN { for (i = 0; i < 2000; i++) printf \"line %d of a memo that grows\\n\", i }" >in/victim.txt &&
	printf "memo to x1@example.org\n" >in/other.txt
}

test_expect_success 'sandboxed: the input fails, saying why; the run goes on' '
	make_inputs &&
	{ DOCPIPE_FAULT=shrink:victim docpipe run in out 2>err; test $? = 66; } &&
	test $(wc -c <in/victim.txt) -lt 40000 &&
	test_grep "victim.txt.*shrank while it was read" err &&
	{ docpipe status out >st; test $? = 65; } &&
	test_grep "^  victim.txt: error: the input shrank while it was read$" st &&
	test_grep "^  ok  *1$" st &&
	test -s out/other.txt.txt
'

test_expect_success 'without the sandbox: no SIGBUS, the input fails, the run goes on' '
	make_inputs &&
	printf "[sandbox]\nenabled=false\n" >nosb.conf &&
	{ DOCPIPE_FAULT=shrink:victim docpipe run -c nosb.conf in out2 2>err; test $? = 66; } &&
	test_grep "victim.txt.*error" err &&
	{ docpipe status out2 >st; test $? = 65; } &&
	test_grep "^  victim.txt: error: " st &&
	test_grep "^  ok  *1$" st &&
	test -s out2/other.txt.txt
'

test_done
