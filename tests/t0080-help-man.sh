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

# help_options CMD...: the options of CMD --help, one per line as its
# spellings ("-x --xml", "--no-redact"); --help itself left out.
help_options() {
	"$@" --help >help.txt &&
	awk '/^Application Options:/ { on = 1; next }
		on && /^$/ { on = 0 }
		on {
			o = ""
			for (i = 1; i <= NF; i++) {
				t = $i
				sub(/[=,].*$/, "", t)
				if (t !~ /^--?[A-Za-z0-9]/)
					break
				o = o (o == "" ? "" : " ") t
			}
			if (o != "")
				print o
		}' help.txt
}

# man_options: the options named on the man page lines on standard
# input, one spelling per line.
man_options() {
	sed "s/\\\\-/-/g" | grep -o -- "--\\?[A-Za-z0-9][A-Za-z0-9-]*" | sort -u
}

# same_options HELP MAN: every option of HELP is named in MAN (by one of
# its spellings), and every option named in MAN is one of HELP.
same_options() {
	cat "$1" && echo "--- man:" && cat "$2" &&
	while read -r o; do
		found=
		for s in $o; do grep -q -x -F -- "$s" "$2" && found=y; done
		test -n "$found" || { echo "$o: in --help, not in the man page"; return 1; }
	done <"$1" &&
	while read -r s; do
		tr " " "\\n" <"$1" | grep -q -x -F -- "$s" || { echo "$s: in the man page, not in --help"; return 1; }
	done <"$2"
}

for p in docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
	test_expect_success "$p: the options of --help are those of the man page" "
		help_options $p >help-opts &&
		sed -n '/^\\.SH OPTIONS/,/^\\.SH [^O]/p' \"$TOP/stages/$p.1\" | grep '^\\.B' | man_options >man-opts &&
		test -s help-opts && test -s man-opts &&
		same_options help-opts man-opts
	"
done

for c in convert config run status dups threads merge report; do
	test_expect_success "docpipe $c: the options of --help are those of its synopsis in docpipe.1" "
		help_options docpipe $c >help-opts &&
		sed -n '/^\\.SH SYNOPSIS/,/^\\.SH [^S]/{/^\\.B docpipe $c\$/{n;p;};}' \"$TOP/pipeline/cmd/docpipe.1\" | man_options >man-opts &&
		test -s help-opts && test -s man-opts &&
		same_options help-opts man-opts
	"
done

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
