#!/bin/sh
# Fail if an executable imports anything outside the allow-list (what Windows XP SP3 has), or
# asks for a newer Windows in its PE header: XP refuses to start an image whose subsystem
# version is above its own (5.1; XP x64 is 5.2), whatever it imports.
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
    header=$("$objdump" -p "$exe")
    case $header in
        *pei-x86-64*) max=502 ;;  # XP x64 / Server 2003
        *) max=501 ;;             # XP
    esac
    sub=$(printf '%s\n' "$header" | awk '$1 == "MajorSubsystemVersion" { M = $2 } $1 == "MinorSubsystemVersion" { m = $2 }
                                        END { printf "%d", M * 100 + m }')
    if [ "$sub" -gt "$max" ]; then
        echo "check-imports: $exe: subsystem version $((sub / 100)).$((sub % 100)) is above XP's $((max / 100)).$((max % 100))" >&2
        status=1
    fi
    imports=$(printf '%s\n' "$header" | awk '
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
        echo "check-imports: $exe: all $count imports are in $list; subsystem version $((sub / 100)).$((sub % 100))"
    fi
done
exit $status
