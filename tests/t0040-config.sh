#!/bin/sh
test_description='configuration: lookup order, docpipe config, errors with file and line'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'built-in defaults without any file' '
	docpipe config >out &&
	test_grep "^# configuration: built-in defaults$" out &&
	test_grep "^detectors=email;phone;ssn;card;iban;ip  # built-in$" out &&
	test_grep "^max-depth=10  # built-in$" out
'

test_expect_success 'the shipped docpipe.conf equals the built-in defaults' '
	docpipe config -c "$TOP/config/docpipe.conf" | sed "s/  # .*//" | grep -v "^#" >a &&
	docpipe config | sed "s/  # .*//" | grep -v "^#" >b &&
	test_cmp a b
'

test_expect_success 'every key in the schema is documented in config/docpipe.conf' '
	docpipe config | grep "=" | sed "s/=.*//" | sort -u >keys &&
	while read -r k; do
		grep -q "^$k=\|^# *$k=" "$TOP/config/docpipe.conf" || { echo "undocumented: $k"; return 1; }
	done <keys
'

test_expect_success 'lookup order: -c, then DOCPIPE_CONFIG, then XDG, then built-in' '
	mkdir -p xdg/docpipe &&
	printf "[limits]\nmax-depth=3\n" >xdg/docpipe/docpipe.conf &&
	printf "[limits]\nmax-depth=4\n" >env.conf &&
	printf "[limits]\nmax-depth=5\n" >c.conf &&
	XDG_CONFIG_HOME=$TRASH/xdg docpipe config | test_grep "^max-depth=3  # .*xdg/docpipe/docpipe.conf:2$" - &&
	XDG_CONFIG_HOME=$TRASH/xdg DOCPIPE_CONFIG=env.conf docpipe config | test_grep "^max-depth=4  # env.conf:2$" - &&
	XDG_CONFIG_HOME=$TRASH/xdg DOCPIPE_CONFIG=env.conf docpipe config -c c.conf |
		test_grep "^max-depth=5  # c.conf:2$" -
'

test_expect_code 78 'an unknown key names file, line and key' '
	printf "[limits]\nmax-depth=3\n\nmax-detph=4\n" >typo.conf &&
	docpipe convert -c typo.conf /dev/null 2>err; rc=$?
	test_grep "typo.conf:4: unknown key .max-detph. in \[limits\]" err &&
	test $(wc -l <err) = 1 && return $rc
'

test_expect_success 'each old [run] limit key names the [limits] key that replaced it' '
	while read -r old new; do
		printf "# site limits\n[run]\njobs=2\n%s=1\n" "$old" >site.conf &&
		test_exit_code 78 docpipe run -c site.conf in out 2>err &&
		echo "docpipe run: site.conf:4: [run] $old is now [limits] $new" >expect &&
		test_cmp expect err || return 1
	done <<-EOF
	timeout timeout
	cpu-limit cpu-time
	memory-limit memory
	file-size-limit file-size
	open-files open-files
	EOF
'

test_expect_code 78 'an old key is an error in docpipe convert and docpipe config too' '
	printf "[run]\ncpu-limit=1\n" >old.conf &&
	{ docpipe config -c old.conf 2>err; test $? = 78; } &&
	test_grep "old.conf:2: \[run\] cpu-limit is now \[limits\] cpu-time" err &&
	docpipe convert -c old.conf /dev/null 2>err; rc=$?
	test_grep "old.conf:2: \[run\] cpu-limit is now \[limits\] cpu-time" err && return $rc
'

test_expect_success 'the [limits] keys of the workers are accepted and printed' '
	printf "[limits]\ntimeout=30\ncpu-time=20\nmemory=512M\nopen-files=100\nfile-size=64M\n" >new.conf &&
	docpipe config -c new.conf >out &&
	test_grep "^file-size=64M  # new.conf:6$" out &&
	test_grep "^open-files=100  # new.conf:5$" out &&
	! grep "^cpu-limit=\|^memory-limit=\|^file-size-limit=" out &&
	docpipe config >out &&
	test_grep "^file-size=1G  # built-in$" out
'

test_expect_code 78 'a bad value names file, line and key' '
	printf "[redact]\nenabled=maybe\n" >bad.conf &&
	docpipe config -c bad.conf 2>err; rc=$?
	test_grep "bad.conf:2: bad value for .enabled. in \[redact\]: expected true or false" err && return $rc
'

test_expect_code 78 'a missing -c file is a configuration error' '
	docpipe convert -c /nonexistent.conf /dev/null 2>err; rc=$?
	test_grep "cannot read config" err && return $rc
'

test_expect_success 'limits from the config are enforced: text size' '
	printf "[limits]\nmax-text-size=10\n" >small.conf &&
	echo "abcdefghij klmnopqrst" >long.txt &&
	docpipe convert -c small.conf --xml long.txt >x; rc=$?
	test $rc = 65 &&
	test_grep "status=\"limit\"" x &&
	test_grep "<text>abcdefghij" x
'

test_expect_success 'past max-children, one limit record, not one per extra part' '
	printf "[limits]\nmax-children=3\n" >few.conf &&
	printf "<html><body>" >frames.html &&
	for i in 1 2 3 4 5 6 7 8; do printf "<iframe srcdoc=\"<p>frame %s</p>\"></iframe>" $i >>frames.html; done &&
	docpipe convert -c few.conf --xml frames.html >x; rc=$?
	test $rc = 65 &&
	test $(grep -c "<document " x) = 5 &&
	test $(grep -c "status=\"limit\"" x) = 1 &&
	test_grep "more parts than the limit of 3" x
'

test_done
