#!/bin/sh
# t2159: an Outlook .msg's named properties beyond the categories and the
# account (extract/msg.c over msg-nameid.c's map): a meeting's start, end
# and location, a task's dates, the follow-up flag, billing, companies and
# contacts in the record's meta, times as ISO 8601 in UTC; and a message
# whose root holds thousands of recipient and attachment storages, each
# found through the root's index, every one in order.  Samples from
# scripts/make-samples-ole.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

test_expect_success 'a meeting: its named properties as meta, in their documented order' '
	docpipe convert --xml --no-redact "$S/meeting.msg" >x.xml &&
	test_grep "type=\"application/vnd.ms-outlook\" status=\"ok\"" x.xml &&
	grep -E "<meta name=\"(start|end|location|task-start|task-due|follow-up|billing|companies|contacts|account)\">" x.xml |
		sed "s/^ *//" >got &&
	cat >expect <<-\EOT &&
	<meta name="start">2024-03-04T14:00:00Z</meta>
	<meta name="end">2024-03-04T15:30:00Z</meta>
	<meta name="location">Room 4.12, Building B</meta>
	<meta name="task-start">2024-03-01T08:00:00Z</meta>
	<meta name="follow-up">Follow up</meta>
	<meta name="billing">Project 77-B, 2 hours</meta>
	<meta name="companies">Initech, Globex Corporation</meta>
	<meta name="contacts">Bob Receiver, Carol Copy</meta>
	EOT
	test_cmp expect got
'

test_expect_success 'the appointment times win over PidLidCommonStart and End; a due date of none is left out' '
	docpipe convert --xml --no-redact "$S/meeting.msg" >x.xml &&
	! grep -q "T09:00:00Z\|T10:00:00Z" x.xml &&
	! grep -q "task-due" x.xml &&
	! grep -q "4501" x.xml
'

test_expect_success 'the named values are redacted like any meta' '
	docpipe convert --xml "$S/meeting.msg" >x.xml &&
	test_grep "type=\"application/vnd.ms-outlook\"" x.xml &&
	! grep -q "Bob Receiver" x.xml
'

test_expect_success 'messages without them have none of the keys' '
	docpipe convert --xml --no-redact "$S/plain.msg" "$S/named.msg" >x.xml &&
	! grep -E -q "<meta name=\"(start|end|location|task-start|task-due|follow-up|billing|companies|contacts)\">" x.xml
'

test_expect_success 'the many-entry sample' '
	/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" --many
'

test_expect_success '3,000 recipients and 3,000 attachments in order (meta.to as long as a meta value may be)' '
	docpipe convert --xml --no-redact "$S/many.msg" >x.xml &&
	grep "<document " x.xml | head -n 1 | grep -q "status=\"ok\"" &&
	test "$(grep -c "path=\"attachment [0-9]*\"" x.xml)" = 3000 &&
	sed -n "s|^ *<meta name=\"filename\">\(.*\)</meta>|\1|p" x.xml >names &&
	test "$(head -n 1 names)" = a0.txt &&
	test "$(sed -n 3000p names)" = a2999.txt &&
	test "$(grep -c . names)" = 3000 &&
	to=$(sed -n "s|^ *<meta name=\"to\">\(.*\)</meta>|\1|p" x.xml) &&
	echo "$to" | grep -o "Person [0-9]*" | sed "s/Person //" >nums &&
	test "$(wc -l <nums)" -gt 2000 &&
	seq 0 $(($(wc -l <nums) - 1)) >expect &&
	test_cmp expect nums
'

test_done
