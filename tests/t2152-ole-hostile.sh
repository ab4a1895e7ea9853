#!/bin/sh
# t2152: hostile OLE2 files (docpipe-ole.so): a FAT chain that loops (the
# directory's, a stream's), a stream declaring 2 GiB in a 10 KiB file, a
# truncated .msg, Word pieces, Excel sheets and PowerPoint slides that
# read the same bytes thousands of times, every truncation and a run of
# corrupted bytes of the samples.  Each gets a clean status and a one-line message naming the
# file, never a crash, a hang (which the sandbox's timeout would report as
# status "limit") or the memory limit.  Samples from scripts/make-samples-ole.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"
# A little memory: a parser that allocated what a hostile header declares would fail here.
printf "[limits]\nmemory=256M\n" >"$TRASH/small.conf"

# convert F: exit 0, 65 or 77, an output with a status, at most one line
# of diagnostics; anything else is a crash.
clean() {
	docpipe convert -c "$TRASH/small.conf" --xml "$1" >x.xml 2>err
	rc=$?
	case $rc in 0 | 65 | 77) ;; *) echo "$1: exit $rc"; cat err; return 1 ;; esac
	grep -q "status=\"" x.xml || { echo "$1: no status"; return 1; }
	# At most the one line naming the file: no library chatter.
	test "$(wc -l <err)" -le 1 || { echo "$1: more than one line on stderr"; cat err; return 1; }
	! grep -q "status=\"limit\"" x.xml || { echo "$1: hit a limit"; cat x.xml; return 1; }
}

test_expect_success 'a loop in the directory'"'"'s FAT chain: read once, no hang' '
	clean "$S/loop-dir.doc" && test_grep "Hello from Word" x.xml
'

test_expect_success 'a loop in a stream'"'"'s FAT chain: an error naming the stream, no hang' '
	clean "$S/loop-stream.xls" &&
	test_grep "status=\"error\"" x.xml && test_grep "Workbook stream" x.xml &&
	test "$(wc -l <err)" = 1 && test_grep "loop-stream.xls" err
'

test_expect_success 'a stream declaring 2 GiB: a clean error, nothing allocated for it' '
	clean "$S/huge.xls" && test_grep "status=\"error\"" x.xml && test_grep "huge.xls" err
'

test_expect_success 'a truncated .msg: a clean error naming the file' '
	clean "$S/truncated.msg" && test_grep "status=\"error\"" x.xml &&
	test "$(wc -l <err)" = 1 && test_grep "truncated.msg" err
'

test_expect_success 'structures that repeat the same bytes: cut at the stream'"'"'s size, status partial' '
	for f in overlap.doc shared.xls repeat.ppt; do
		clean "$S/$f" && test_grep "status=\"partial\"" x.xml &&
		size=$(wc -c <"$S/$f") && out=$(wc -c <x.xml) &&
		test "$out" -lt $((3 * size + 65536)) || { echo "$f: $out bytes of XML"; return 1; }
	done
'

test_expect_success 'every 512-byte truncation of each sample: a clean status' '
	for f in word.doc book.xls slides.ppt slides-fastsave.ppt plain.msg meeting.msg; do
		size=$(wc -c <"$S/$f") && n=512 &&
		while [ $n -lt $size ]; do
			head -c $n "$S/$f" >cut && clean cut || { echo "$f cut at $n"; return 1; }
			n=$((n + 512))
		done
	done
'

test_expect_success 'corrupted bytes in headers, sector tables and records: a clean status' '
	for f in word.doc book.xls slides.ppt slides-fastsave.ppt plain.msg meeting.msg; do
		for off in 30 48 60 76 520 600 1100 1600 2100 2600 3100; do
			cp "$S/$f" bad &&
			printf "\377\377\377\177" | dd of=bad bs=1 seek=$off conv=notrunc 2>/dev/null &&
			clean bad || { echo "$f corrupted at $off"; return 1; }
		done
	done
'

test_done
