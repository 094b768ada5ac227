#!/bin/sh
# Fail if an executable imports anything outside the allow-list (what Windows XP SP3 has).
#   check-imports.sh ALLOW_LIST EXE...
# The allow-list has one DLL!Symbol per line (DLL in lower case), '#' starts a comment.
# objdump -p prints the PE import tables as "DLL Name: X" followed by "hint name" rows.
set -eu
export LC_ALL=C  # one byte order for sort and comm
list=$1
shift
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}
allowed=$(mktemp)
trap 'rm -f "$allowed"' EXIT
sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' | sort -u > "$allowed"
status=0
for exe in "$@"; do
    imports=$("$objdump" -p "$exe" | awk '
        /^[[:space:]]*DLL Name:/ { dll = tolower($3); next }
        /^[[:space:]]*vma:/ { next }
        /^[[:space:]]*$/ { if (dll != "") dll = ""; next }
        dll != "" && NF >= 3 && $1 ~ /^[0-9a-f]+$/ { print dll "!" $3 }
        dll != "" && NF == 2 && $1 ~ /^[0-9a-f]+$/ { print dll "!#" $2 }   # by ordinal
    ' | sort -u)
    if [ -z "$imports" ]; then
        echo "check-imports: no imports read from $exe (objdump output changed?)" >&2
        status=1
        continue
    fi
    extra=$(printf '%s\n' "$imports" | comm -23 - "$allowed")
    count=$(printf '%s\n' "$imports" | wc -l)
    if [ -n "$extra" ]; then
        echo "check-imports: $exe imports what $list does not allow (not known to be on Windows XP SP3):" >&2
        printf '  %s\n' $extra >&2
        status=1
    else
        echo "check-imports: $exe: all $count imports are in $list"
    fi
done
exit $status
