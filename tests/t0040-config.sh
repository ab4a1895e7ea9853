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

test_done
