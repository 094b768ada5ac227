#!/bin/sh
# Runs a command (default: `cargo test --workspace`) and counts what it left behind named
# jetconform-* in the temporary folder and in /dev/shm: sandboxes, probe files, anything.
#
#   scripts/leftovers.sh                       # cargo test --workspace
#   scripts/leftovers.sh cargo test --test cli # any command
#
# Other work on the machine (another checkout's tests) writes to the same folders, so the
# command runs with a private /tmp and /dev/shm when it can (a mount namespace: root, or
# unprivileged user namespaces), and the count is exact. Otherwise the folders are listed
# before and after, and only new names are counted (other work running meanwhile may add
# to them). Exit status: 0 when nothing was left, 1 when something was, the command's own
# status when it failed.
set -u
[ $# -eq 0 ] && set -- cargo test --workspace

count() { # prints the jetconform-* names in /tmp and /dev/shm, one per line
    for d in "${TMPDIR:-/tmp}" /dev/shm; do
        [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 -name 'jetconform-*' 2>/dev/null
    done | sort
}

if [ "${JETCONFORM_LEFTOVERS_INNER:-}" = 1 ]; then
    # Inside the private namespace: fresh, empty folders.
    mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /dev/shm || exit 125
    "$@"
    status=$?
    left=$(count)
    n=$(printf '%s' "$left" | grep -c . || true)
    [ -n "$left" ] && printf '%s\n' "$left" | head -50 >&2
    echo "leftovers: $n jetconform-* in /tmp and /dev/shm (private folders)" >&2
    [ $status -ne 0 ] && exit $status
    [ "$n" -eq 0 ]
    exit $?
fi

if command -v unshare >/dev/null 2>&1; then
    flags=-m
    [ "$(id -u)" -ne 0 ] && flags="-m -r"
    if unshare $flags true 2>/dev/null; then
        JETCONFORM_LEFTOVERS_INNER=1 exec unshare $flags --propagation private "$0" "$@"
    fi
fi

before=$(mktemp)
after=$(mktemp)
count >"$before"
"$@"
status=$?
count >"$after"
new=$(comm -13 "$before" "$after")
rm -f "$before" "$after"
n=$(printf '%s' "$new" | grep -c . || true)
[ -n "$new" ] && printf '%s\n' "$new" | head -50 >&2
echo "leftovers: $n new jetconform-* in ${TMPDIR:-/tmp} and /dev/shm (shared folders: other work may add some)" >&2
[ $status -ne 0 ] && exit $status
[ "$n" -eq 0 ]
