#!/bin/sh
test_description='an input that shrinks while it is read leaves no output, and exits 66 everywhere'
. "$(dirname "$0")/test-lib.sh"

# DOCPIPE_FAULT=shrink:SUBSTRING (pipeline/util/fileio.c) cuts a matching
# input to half its size right after it is mapped, as a process rewriting
# a file of a growing inbox would: whatever was read past the cut was
# zeros, so no text or XML may be written (or left) for it, and the exit
# code is README's "an input could not be opened or read" (66) in every
# program.  No timing: the cut always comes before the read.

make_inputs() {
	rm -rf in && mkdir in &&
	awk "BEGIN { for (i = 0; i < 2000; i++) printf \"line %d of a memo that grows\\n\", i }" >in/victim.txt &&
	printf "memo to nobody\n" >in/other.txt
}

test_expect_success 'convert -o: no output for the shrunk input, the other converted, exit 66' '
	make_inputs &&
	{ DOCPIPE_FAULT=shrink:victim docpipe convert -o out in/victim.txt in/other.txt 2>err; test $? = 66; } &&
	test $(wc -c <in/victim.txt) -lt 40000 &&
	test_grep "cannot read .in/victim.txt.: it shrank while it was read" err &&
	test ! -e out/in/victim.txt.txt && test ! -e out/in/victim.txt.xml &&
	test -s out/in/other.txt.txt && test -s out/in/other.txt.xml &&
	find out -name "*.tmp-*" >tmps && test_cmp /dev/null tmps
'

test_expect_success 'convert -o: the outputs of an earlier conversion of it are removed' '
	make_inputs &&
	docpipe convert -o out2 in/victim.txt &&
	test -s out2/in/victim.txt.txt &&
	{ DOCPIPE_FAULT=shrink:victim docpipe convert -o out2 in/victim.txt 2>err; test $? = 66; } &&
	test ! -e out2/in/victim.txt.txt && test ! -e out2/in/victim.txt.xml
'

test_expect_success 'convert -o without the sandbox: no output, exit 66' '
	make_inputs &&
	printf "[sandbox]\nenabled=false\n" >nosb.conf &&
	{ DOCPIPE_FAULT=shrink:victim docpipe convert -c nosb.conf -o out3 in/victim.txt in/other.txt 2>err; test $? = 66; } &&
	test_grep "shrank while it was read" err &&
	test ! -e out3/in/victim.txt.txt && test ! -e out3/in/victim.txt.xml &&
	test -s out3/in/other.txt.txt
'

test_expect_success 'convert to stdout: the XML stays well-formed, exit 66' '
	make_inputs &&
	{ DOCPIPE_FAULT=shrink:victim docpipe convert --xml in/victim.txt >x.xml 2>err; test $? = 66; } &&
	xmllint --noout x.xml &&
	test_grep "shrank while it was read" x.xml
'

test_expect_success 'stages: docpipe-emit -o writes nothing for it and exits 66' '
	make_inputs &&
	docpipe-detect in/victim.txt in/other.txt >det &&
	{ DOCPIPE_FAULT=shrink:victim docpipe-extract <det >recs 2>err; test $? != 0; } &&
	test_grep "shrank while it was read" recs &&
	{ docpipe-emit -o out4 <recs; test $? = 66; } &&
	test ! -e out4/in/victim.txt.txt && test ! -e out4/in/victim.txt.xml &&
	test -s out4/in/other.txt.txt && test -s out4/in/other.txt.xml
'

test_expect_success 'stages without the sandbox: docpipe-extract says so (66), docpipe-emit -o writes nothing' '
	make_inputs &&
	printf "[sandbox]\nenabled=false\n" >nosb.conf &&
	docpipe-detect in/victim.txt in/other.txt >det &&
	{ DOCPIPE_FAULT=shrink:victim docpipe-extract -c nosb.conf <det >recs 2>err; test $? = 66; } &&
	test_grep "cannot read .in/victim.txt.: it shrank while it was read" err &&
	test_grep "^error: the input shrank while it was read$" recs &&
	{ docpipe-emit -o out5 <recs; test $? = 66; } &&
	test ! -e out5/in/victim.txt.txt && test ! -e out5/in/victim.txt.xml &&
	test -s out5/in/other.txt.txt
'

test_expect_success 'run: no output for it, exit 66 as convert, the run goes on' '
	make_inputs &&
	{ DOCPIPE_FAULT=shrink:victim docpipe run in rout 2>err; test $? = 66; } &&
	test_grep "victim.txt.*shrank while it was read" err &&
	test ! -e rout/victim.txt.txt && test ! -e rout/victim.txt.xml &&
	test -s rout/other.txt.txt &&
	find rout -name "*.tmp-*" >tmps && test_cmp /dev/null tmps
'

test_expect_success 'run: a changed input that shrinks loses the outputs of its earlier version' '
	make_inputs &&
	docpipe run in rout2 2>err &&
	test -s rout2/victim.txt.txt &&
	printf "line x\n" >>in/victim.txt &&
	{ DOCPIPE_FAULT=shrink:victim docpipe run in rout2 2>err; test $? = 66; } &&
	test ! -e rout2/victim.txt.txt && test ! -e rout2/victim.txt.xml &&
	test -s rout2/other.txt.txt
'

test_expect_success 'run: other failures still exit 65' '
	make_inputs &&
	{ DOCPIPE_FAULT=crash:victim docpipe run in rout3 2>/dev/null; test $? = 65; }
'

test_done
