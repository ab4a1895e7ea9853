#!/bin/sh
# t2157: compound files with many directory entries (issue #18).  libgsf's
# open takes time quadratic in the entries of one storage, so
# extract/ole.c measures the directory itself first (the header, the FAT
# through the DIFAT, the directory's sector chain) and refuses a storage
# of more than [limits] max-ole-entries (6,144) children: status limit,
# one line naming the file and the count.  At the limit the message is
# read (its first 4,096 recipients, status partial saying how many there
# are); headers and chains that lie are counted once and left to libgsf.
# An attached message is copied out only when none of its storages has
# more than 1,024 entries (libgsf's writer sorts as its reader does).  A
# directory deeper than libgsf's recursion may safely go is refused.  And
# a meta.to cut to fit its record line says so (meta.to-cut).  Samples
# from scripts/make-samples-ole --entries, which writes the compound file
# itself (fast).
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 -c "import gi" 2>/dev/null ||
	test_skip_all "cannot run scripts/make-samples-ole (python3-gi)"

# convert F [CONF]: exit 0, 65 or 77, an output with a status, at most one
# line of diagnostics; anything else is a crash.
clean() {
	docpipe convert ${2:+-c "$2"} --xml --no-redact "$1" >x.xml 2>err
	rc=$?
	case $rc in 0 | 65 | 77) ;; *) echo "$1: exit $rc"; cat err; return 1 ;; esac
	grep -q "status=\"" x.xml || { echo "$1: no status"; return 1; }
	test "$(wc -l <err)" -le 1 || { echo "$1: more than one line on stderr"; cat err; return 1; }
}

# The root of entries-N.msg holds (N - 7) / 5 recipient storages and 6
# property streams: 30697 gives 6,144 root entries (the limit), 30702
# 6,145, 600 124 (597 entries in all), 5097 1,024, 5102 1,025.
test_expect_success 'the samples' '
	for n in 600 5097 5102 30697 30702; do
		/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" --entries $n || return 1
	done
'

test_expect_success 'one storage over the limit: status limit, one line with the count, not opened' '
	clean "$S/entries-30702.msg" &&
	test_grep "status=\"limit\"" x.xml &&
	test "$(wc -l <err)" = 1 && test_grep "entries-30702.msg" err &&
	test_grep "a storage of 6145 entries (30702 in all), over the limit of 6144 (\[limits\] max-ole-entries)" err &&
	! grep -q "Person" x.xml
'

test_expect_success 'at the limit: read, every recipient in order until meta.to is cut, and the cut said' '
	clean "$S/entries-30697.msg" &&
	grep "<document " x.xml | head -n 1 | grep -q "type=\"application/vnd.ms-outlook\" status=\"partial\"" &&
	test_grep "Outlook message of 6138 recipients and 0 attachments: only the first 4096 of each were read" x.xml &&
	to=$(sed -n "s|^ *<meta name=\"to\">\(.*\)</meta>|\1|p" x.xml) &&
	echo "$to" | grep -o "Person [0-9]*" | sed "s/Person //" >nums &&
	test "$(wc -l <nums)" -gt 1000 &&
	seq 0 $(($(wc -l <nums) - 1)) >expect &&
	test_cmp expect nums &&
	cut=$(sed -n "s|^ *<meta name=\"to-cut\">\([0-9]*\)</meta>|\1|p" x.xml) &&
	test "$cut" -gt "$(printf %s "$to" | sed "s/&lt;/</g; s/&gt;/>/g" | wc -c)"
'

test_expect_success 'the whole list'"'"'s length: what meta.to-cut says is what the recipients make' '
	# The first 4,096 recipients "Person I <pI@example.org>", joined by ", ".
	awk "BEGIN { for (i = 0; i < 4096; i++) n += length(\"Person \" i \" <p\" i \"@example.org>\") + (i ? 2 : 0); print n }" >expect &&
	sed -n "s|^ *<meta name=\"to-cut\">\([0-9]*\)</meta>|\1|p" x.xml >got &&
	test_cmp expect got
'

test_expect_success 'a short list has no marker' '
	clean "$S/entries-600.msg" &&
	test_grep "status=\"ok\"" x.xml && test_grep "Person 117 &lt;p117@example.org&gt;</meta>" x.xml &&
	! grep -q "to-cut" x.xml
'

test_expect_success 'the limit counts the widest storage, not every entry; 0 turns it off' '
	printf "[limits]\nmax-ole-entries=124\n" >at.conf &&
	clean "$S/entries-600.msg" at.conf && test_grep "status=\"ok\"" x.xml &&
	printf "[limits]\nmax-ole-entries=123\n" >below.conf &&
	clean "$S/entries-600.msg" below.conf && test_grep "status=\"limit\"" x.xml &&
	test_grep "a storage of 124 entries (597 in all)" err &&
	printf "[limits]\nmax-ole-entries=0\n" >off.conf &&
	clean "$S/entries-30702.msg" off.conf &&
	grep "<document " x.xml | head -n 1 | grep -q "type=\"application/vnd.ms-outlook\" status=\"partial\"" &&
	test_grep "Outlook message of 6139 recipients" x.xml
'

test_expect_success 'an attached message is copied out when no storage of it has more than 1,024 entries' '
	clean "$S/attached-5097.msg" &&
	grep "<document " x.xml | sed -n 2p | grep -q "path=\"attachment 1\" type=\"application/vnd.ms-outlook\" status=\"ok\"" &&
	test_grep "Person 1017 &lt;p1017@example.org&gt;</meta>" x.xml
'

test_expect_success 'one of 1,025: the part is status limit, the message around it read (libgsf'"'"'s writer is quadratic too)' '
	clean "$S/attached-5102.msg" &&
	grep "<document " x.xml | head -n 1 | grep -q "status=\"ok\"" &&
	grep "<document " x.xml | sed -n 2p | grep -q "path=\"attachment 1\" type=\"application/vnd.ms-outlook\" status=\"limit\"" &&
	test_grep "wider (a storage of more than 1,024 entries)" x.xml &&
	! grep -q "Person 1017" x.xml
'

test_expect_success 'a directory deeper than libgsf'"'"'s recursion may go: status limit, no crash' '
	/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" --deep 12287 &&
	/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" --deep 40000 &&
	clean "$S/deep-40000.ole" && test_grep "status=\"limit\"" x.xml &&
	test_grep "deep-40000.ole" err &&
	test_grep "whose directory is 40001 entries deep, over the limit of 12288" err &&
	clean "$S/deep-12287.ole" && test_grep "status=\"unsupported\"" x.xml
'

# patch F OFFSET VALUE: write the 32-bit little-endian VALUE at OFFSET of F.
patch() {
	/usr/bin/python3 -c "import struct, sys
f = open(sys.argv[1], 'r+b'); f.seek(int(sys.argv[2])); f.write(struct.pack('<I', int(sys.argv[3], 0)))" "$@"
}

test_expect_success 'headers and chains that lie: counted once, then left to libgsf; a clean status each' '
	f=$S/entries-30702.msg &&
	dir=$(/usr/bin/python3 -c "import struct, sys; print(struct.unpack_from(\"<I\", open(sys.argv[1], \"rb\").read(), 48)[0])" "$f") &&
	# The FAT counts more sectors than the file has.
	cp "$f" bad.msg && patch bad.msg 44 0x7FFFFFFF && clean bad.msg &&
	# The directory starts past the end of the file.
	cp "$f" bad.msg && patch bad.msg 48 0xFFFFFFF0 && clean bad.msg &&
	# A DIFAT chain that loops: its first sector names itself as the next.
	cp "$f" bad.msg && patch bad.msg 44 400 && patch bad.msg 68 1 && patch bad.msg 72 1 &&
	patch bad.msg $((512 + 1 * 512 + 508)) 1 && clean bad.msg &&
	# The directory chain loops back to its first sector after it: one sector counted, not a limit.
	cp "$f" bad.msg && patch bad.msg $((512 + 4 * dir)) "$dir" && clean bad.msg &&
	! grep -q "status=\"limit\"" x.xml
'

test_done
