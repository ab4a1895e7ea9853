#!/bin/sh
test_description='the layers of pipeline/: includes run down, as pipeline/README.md says'
. "$(dirname "$0")/test-lib.sh"

# The layer table of pipeline/README.md, as "folder: allowed allowed ...".
layers() {
	sed -n '/<!-- layers:/,/^$/p' "$TOP/pipeline/README.md" |
		sed -n 's/^| `\([a-z]*\)\/` | .* | \([a-z, ]*\) |$/\1: \2/p' | tr -d ','
}

test_expect_success 'the layer table names every folder of pipeline/' '
	layers >table && test_grep "^util: util$" table &&
	(cd "$TOP/pipeline" && find . -mindepth 1 -maxdepth 1 -type d | sed "s|^\./||" | LC_ALL=C sort) >dirs &&
	cut -d: -f1 table | grep -v "^stages$" | LC_ALL=C sort >named &&
	test_cmp dirs named
'

# check_layers ROOT TABLE: every include in ROOT/pipeline and ROOT/stages
# is allowed by TABLE; prints each offence and fails on the first file with one.
check_layers() {
	(
	cd "$1" &&
	find pipeline stages -name "*.[ch]" | LC_ALL=C sort | while read -r f; do
		case $f in
		stages/*) layer=stages ;;
		*) layer=$(echo "$f" | cut -d/ -f2) ;;
		esac
		allowed=$(sed -n "s/^$layer: //p" "$2")
		test -n "$allowed" || { echo "$f: folder $layer is not in the layer table"; exit 1; }
		grep -n "^#[ 	]*include[ 	]*\"" "$f" | while IFS= read -r line; do
			inc=$(echo "$line" | sed "s/.*include[ 	]*\"\([^\"]*\)\".*/\1/")
			case $inc in
			*/*) ;;
			*) echo "$f: $line: name the folder (\"core/record.h\")"; exit 1 ;;
			esac
			# A header the build generates (the built-in furniture patterns)
			# is named by the Makefile rule that makes it.
			test -f "pipeline/$inc" || grep -q "^\$(BUILD)/gen/$inc:" "$TOP/Makefile" ||
				{ echo "$f: $line: no pipeline/$inc"; exit 1; }
			dir=${inc%%/*}
			case " $allowed " in
			*" $dir "*) ;;
			*) echo "$f: $line: $layer/ may include only: $allowed"; exit 1 ;;
			esac
		done || exit 1
	done
	)
}

test_expect_success 'no file includes a header from a layer above its own' '
	layers >table && check_layers "$TOP" "$TRASH/table"
'

test_expect_success 'the check catches an upward include, and one without its folder' '
	layers >table &&
	mkdir tree && cp -R "$TOP/pipeline" "$TOP/stages" tree/ &&
	check_layers tree "$TRASH/table" &&
	printf "#include \"batch/run.h\"\n" >>tree/pipeline/core/text.c &&
	! check_layers tree "$TRASH/table" >out && test_grep "core/ may include only: util core" out &&
	cp "$TOP/pipeline/core/text.c" tree/pipeline/core/text.c &&
	printf "#include \"cmd/cmd.h\"\n" >>tree/stages/emit.c &&
	! check_layers tree "$TRASH/table" >out && test_grep "stages/ may include only" out &&
	cp "$TOP/stages/emit.c" tree/stages/emit.c &&
	printf "#include \"record.h\"\n" >>tree/pipeline/util/json.c &&
	! check_layers tree "$TRASH/table" >out && test_grep "name the folder" out
'

test_expect_success 'nothing includes the old umbrella header' '
	! grep -rn "include \"docpipe.h\"" "$TOP/pipeline" "$TOP/stages" "$TOP/tests/unit" "$TOP/tests/fuzz"
'

test_expect_success 'base names of library sources are unique (the archive keeps base names)' '
	(cd "$TOP/pipeline" && find . -name "*.c" | sed "s|.*/||" | LC_ALL=C sort | uniq -d) >dups &&
	test_cmp /dev/null dups
'

test_done
