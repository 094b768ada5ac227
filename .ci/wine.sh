#!/usr/bin/env bash
# The Windows build, proven under Wine (called from .ci/run; skip with JETCONFORM_SKIP_WINE=1).
#
# 1. Builds what it needs, once, with .ci/windows-build.sh (shared with .ci/agent.sh):
#    jetconform.exe, the mock library esent.dll, and the bcryptprimitives.dll shim that
#    Debian 12's Wine 8.0 needs to start Rust programs (ProcessPrng).
# 2. Runs under Wine, in a throw-away Wine prefix:
#    (a) the whole corpus through `--runner ffi:` against the Windows build of the mock
#        library: the verdicts (per trial outcome, per step observed code) must equal the
#        in-process mock's on Linux;
#    (b) the corpus through `--runner esent` against Wine's own esent.dll, whose exports are
#        stubs that raise an exception when called: every trial that runs must end `crashed`
#        with the exception code, and the run must finish and report them all.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${JETCONFORM_SKIP_WINE:-}" = 1 ]; then
    echo "wine: skipped (JETCONFORM_SKIP_WINE=1)"
    exit 0
fi
started=$(date +%s)
target=x86_64-pc-windows-gnu

# --- 1. builds (tools installed, nothing built twice) ----------------------------------------
bash .ci/windows-build.sh
out="target/$target/release"

work=$(mktemp -d)
trap 'WINEPREFIX="$work/prefix" wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/mock"
# Sandboxes newer than this marker that are still in /dev/shm at the end are leaks (below).
touch "$work/started"
cp "$out/jetconform.exe" "$work/bin/"
cp "$out/esent.dll" "$work/mock/"
cp target/ci-shims/x64/bcryptprimitives.dll "$work/bin/"

# --- 2. under Wine ----------------------------------------------------------------------------
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# One wine server for the whole script, started before the prefix is made: without it, every
# runner process started after a quiet moment starts a new server, which on a loaded machine
# can outlast a handshake's timeout.
mkdir -p "$WINEPREFIX" && wineserver -p >/dev/null 2>&1 || true
wineboot -i >/dev/null 2>&1 || true
# winedbg disabled: a crashing process then ends with its exception code as exit status,
# which is how the process runner reports a crash (instead of a debugger on its stdout).
overrides="bcryptprimitives=n,b;winedbg.exe=d"
exe="$work/bin/jetconform.exe"

# shellcheck source=.ci/verdicts.sh
. .ci/verdicts.sh

echo "wine: (a) the corpus through ffi: against the Windows build of the mock library"
status=0
WINEDLLOVERRIDES="$overrides;esent=n" wine "$exe" run \
    --runner "ffi:$(winepath -w "$work/mock/esent.dll")" --format json \
    >"$work/wine-ffi.json" 2>"$work/wine-ffi.err" || status=$?
if [ "$status" -gt 1 ]; then
    echo "wine: the ffi run failed with status $status"; tail -20 "$work/wine-ffi.err"; exit 1
fi
./target/release/jetconform run --format json >"$work/linux-mock.json" 2>/dev/null || true
same_verdicts "$work/linux-mock.json" "$work/wine-ffi.json" "$work" "wine: ffi:"

echo "wine: (b) the corpus through --runner esent against Wine's own esent.dll"
status=0
WINEDLLOVERRIDES="$overrides;esent=b" wine "$exe" run --runner esent --format json \
    >"$work/wine-esent.json" 2>"$work/wine-esent.err" || status=$?
if [ "$status" -gt 1 ] || ! jq -e .summary "$work/wine-esent.json" >/dev/null; then
    echo "wine: the esent run did not finish (status $status)"; tail -20 "$work/wine-esent.err"; exit 1
fi
jq -c .summary "$work/wine-esent.json"
# Every trial that ran crashed with an exception code (or hit an export Wine lacks).
bad=$(jq -r '.results[] | select(.outcome != "skip")
    | select((.outcome == "crashed" and (.reason | tostring | test("exception 0x"))) | not)
    | select([.steps[]? | .observed.name | tostring | test("not exported")] | any | not)
    | "\(.name): \(.outcome) \(.reason)"' "$work/wine-esent.json")
ran=$(jq '[.results[] | select(.outcome != "skip")] | length' "$work/wine-esent.json")
if [ -n "$bad" ] || [ "$ran" -eq 0 ]; then
    echo "wine: expected every trial to crash with an exception code ($ran ran):"
    echo "$bad" | head -20
    exit 1
fi
echo "wine: $ran trials ended crashed with the stub's exception code"
# The Windows build keeps its sandboxes in its own temporary folder, never in the host's
# /dev/shm (which Wine shows it as Z:\dev\shm): there a Linux jetconform would read the
# Windows process id in a sandbox's name as one of its own dead processes and remove the
# folder under a running trial; and the crashed trials of (b) would leave theirs behind.
left=$(find /dev/shm -maxdepth 1 -name 'jetconform-*' -newer "$work/started" 2>/dev/null || true)
if [ -n "$left" ]; then
    echo "wine: sandboxes left in /dev/shm:"; echo "$left" | head; exit 1
fi
echo "wine: done in $(($(date +%s) - started)) s"
