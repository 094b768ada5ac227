#!/usr/bin/env bash
# The Windows build, proven under Wine (called from .ci/run; skip with JETCONFORM_SKIP_WINE=1).
#
# 1. Installs what it needs, idempotently and quietly: the x86_64-pc-windows-gnu Rust target,
#    Debian's mingw-w64 cross compiler and Wine (and jq, to compare results).
# 2. Cross-builds jetconform.exe and the mock library esent.dll (jetconform-mock-dll), once,
#    in release mode.
# 3. Builds a tiny bcryptprimitives.dll shim (.ci/wine/bcryptprimitives.c): Debian 12's Wine
#    8.0 lacks bcryptprimitives.dll's ProcessPrng, which Rust's standard library imports, so
#    no Rust program starts under it without the shim. It sits next to jetconform.exe and is
#    loaded instead of Wine's own (WINEDLLOVERRIDES=bcryptprimitives=n,b).
# 4. Runs under Wine, in a throw-away Wine prefix:
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

# --- 1. tools -------------------------------------------------------------------------------
rustup target list --installed | grep -qx "$target" || rustup target add "$target" >/dev/null
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null || missing+=(wine wine64)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# --- 2. builds ------------------------------------------------------------------------------
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
cargo build -q --release --target "$target" -p jetconform -p jetconform-mock-dll
cargo build -q --release -p jetconform
out="target/$target/release"

work=$(mktemp -d)
trap 'WINEPREFIX="$work/prefix" wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/mock"
cp "$out/jetconform.exe" "$work/bin/"
cp "$out/esent.dll" "$work/mock/"

# --- 3. the ProcessPrng shim ------------------------------------------------------------------
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bin/bcryptprimitives.dll" \
    .ci/wine/bcryptprimitives.c .ci/wine/bcryptprimitives.def -ladvapi32

# --- 4. under Wine ----------------------------------------------------------------------------
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
wineboot -i >/dev/null 2>&1 || true
# winedbg disabled: a crashing process then ends with its exception code as exit status,
# which is how the process runner reports a crash (instead of a debugger on its stdout).
overrides="bcryptprimitives=n,b;winedbg.exe=d"
exe="$work/bin/jetconform.exe"

# Verdicts as "scenario  version  outcome  step/item/code,..." lines, sorted; trials that the
# ffi runner skips for want of fault hooks (models only) are left out of both sides.
verdicts() {
    jq -r '.results[] | [.scenario, .version, .outcome,
        ([.steps[]? | "\(.step)/\(.item)/\(.observed.code)"] | join(",")),
        (.reason // "" | tostring)] | @tsv' "$1"
}

echo "wine: (a) the corpus through ffi: against the Windows build of the mock library"
status=0
WINEDLLOVERRIDES="$overrides;esent=n" wine "$exe" run \
    --runner "ffi:$(winepath -w "$work/mock/esent.dll")" --format json \
    >"$work/wine-ffi.json" 2>"$work/wine-ffi.err" || status=$?
if [ "$status" -gt 1 ]; then
    echo "wine: the ffi run failed with status $status"; tail -20 "$work/wine-ffi.err"; exit 1
fi
./target/release/jetconform run --format json >"$work/linux-mock.json" 2>/dev/null || true
verdicts "$work/wine-ffi.json" |
    awk -F'\t' '$3 == "skip" && $5 ~ /fault hooks/ { print $1 "\t" $2 }' | sort -u >"$work/fault"
for side in linux-mock wine-ffi; do
    verdicts "$work/$side.json" | awk -F'\t' '
        NR == FNR { skip[$1 "\t" $2] = 1; next }
        !(($1 "\t" $2) in skip) { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$work/fault" - |
        sort >"$work/$side.tsv"
done
if ! diff -u "$work/linux-mock.tsv" "$work/wine-ffi.tsv" >"$work/diff"; then
    echo "wine: verdicts differ between the Linux mock and ffi: under Wine:"
    head -40 "$work/diff"
    exit 1
fi
echo "wine: $(wc -l <"$work/wine-ffi.tsv") trials agree ($(wc -l <"$work/fault") fault-hook trials not compared)"

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
echo "wine: done in $(($(date +%s) - started)) s"
