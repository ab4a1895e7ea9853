#!/bin/sh
test_description='docpipe run: a link swapped in between the walk and the read is never followed'
. "$(dirname "$0")/test-lib.sh"

# DOCPIPE_FAULT=swap=TARGET:SUBSTRING (pipeline/batch/worker.c) replaces a
# matching input with a symbolic link to TARGET in the worker, after the
# walk listed it and before the worker opens it: what someone changing
# the tree during a run could do.  No timing: the swap always comes
# between the two.  The worker must read only the file the walk saw
# (same device and inode, checked on the open descriptor).

make_tree() {
	rm -rf in outside && mkdir in outside &&
	printf "memo one\n" >in/victim.txt &&
	printf "memo two\n" >in/other.txt &&
	printf "TOPSECRET outside the input tree\n" >outside/secret.txt &&
	mkdir -p outside/mail/cur outside/mail/new outside/mail/tmp &&
	printf "Subject: TOPSECRET\n\nTOPSECRET body\n" >outside/mail/cur/1:2,S
}

test_expect_success 'a link to a file outside IN: refused, exit 66, nothing of it written' '
	make_tree &&
	{ DOCPIPE_FAULT="swap=$PWD/outside/secret.txt:victim" docpipe run in out 2>err; test $? = 66; } &&
	test -L in/victim.txt &&
	test_grep "victim.txt.*replaced since it was listed" err &&
	! grep -r TOPSECRET out &&
	test ! -e out/victim.txt.txt &&
	test -s out/other.txt.txt &&
	{ docpipe status out >st; test $? = 65; } &&
	test_grep "^  victim.txt: error: " st
'

test_expect_success 'a link to a directory outside IN (a maildir): refused, nothing read' '
	make_tree &&
	{ DOCPIPE_FAULT="swap=$PWD/outside/mail:victim" docpipe run in out2 2>err; test $? = 66; } &&
	test_grep "victim.txt.*replaced since it was listed" err &&
	! grep -r TOPSECRET out2 &&
	test -s out2/other.txt.txt
'

test_expect_success 'without the sandbox too' '
	make_tree &&
	printf "[sandbox]\nenabled=false\n" >nosb.conf &&
	{ DOCPIPE_FAULT="swap=$PWD/outside/secret.txt:victim" docpipe run -c nosb.conf in out3 2>err; test $? = 66; } &&
	! grep -r TOPSECRET out3 &&
	test -s out3/other.txt.txt
'

test_expect_success 'a link inside IN that the walk saw is still followed' '
	make_tree &&
	ln -s "$PWD/in/other.txt" in/abs-link.txt &&
	ln -s other.txt in/rel-link.txt &&
	docpipe run in out4 2>err &&
	test_cmp out4/other.txt.txt out4/abs-link.txt.txt &&
	test_cmp out4/other.txt.txt out4/rel-link.txt.txt
'

test_expect_success 'a file replaced (new inode) after the walk is left for the next run' '
	make_tree &&
	{ DOCPIPE_FAULT="swap=other.txt:victim" docpipe run in out5 2>err; test $? = 66; } &&
	test_grep "victim.txt.*replaced since it was listed" err &&
	docpipe run in out5 2>err &&
	test_cmp out5/other.txt.txt out5/victim.txt.txt
'

test_done
