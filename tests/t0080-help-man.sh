#!/bin/sh
test_description='every executable has --help and a man page; the record format example works'
. "$(dirname "$0")/test-lib.sh"

for p in docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
	test_expect_success "$p --help and man page" "
		$p --help >out &&
		test_grep 'Usage:' out &&
		test_grep 'Exit status' out &&
		man -l \"$TOP/stages/$p.1\" 2>err | sed 's/.\x08//g' >man.txt &&
		! test -s err &&
		test_grep 'EXIT STATUS' man.txt
	"
done

test_expect_success 'docpipe --help, convert --help, and its man page' '
	docpipe --help >out && test_grep "docpipe convert" out &&
	docpipe convert --help >out && test_grep "files-from" out &&
	docpipe config --help >out && test_grep "configuration" out &&
	man -l "$TOP/pipeline/cmd/docpipe.1" 2>err | sed "s/.\x08//g" >man.txt && ! test -s err &&
	test_grep "EXIT STATUS" man.txt
'

test_expect_success 'the man pages list every exit code of exitcode.h' '
	for code in $(sed -n "s/.*= \\([0-9][0-9]*\\),.*/\\1/p" "$TOP/pipeline/util/exitcode.h"); do
		grep -q "^\\.B $code\$" "$TOP/pipeline/cmd/docpipe.1" || { echo "code $code undocumented"; return 1; }
	done
'

test_expect_success 'the Python reader and writer of RECORD-FORMAT.md interoperate' '
	sed -n "/^\`\`\`python/,/^\`\`\`/p" "$TOP/pipeline/core/RECORD-FORMAT.md" | sed "1d;\$d" >stage.py &&
	docpipe-detect "$SAMPLES/text/memo-latin1.txt" | docpipe-extract | /usr/bin/python3 stage.py >recs &&
	test_grep "^x-seen: yes$" recs &&
	docpipe-emit <recs >t &&
	test_grep "MEMORANDUM" t && test_grep "HéLèNE FRANçOIS" t
'

test_done
