#!/usr/bin/env bash
# The C agent (runners/agent-c), proven under Wine (called from .ci/run after .ci/wine.sh;
# skip with JETCONFORM_SKIP_WINE=1, like it).
#
# 1. Builds, once, with .ci/windows-build.sh (shared with .ci/wine.sh, so nothing is built
#    twice): agent-x86.exe, agent-x64.exe, the mock library esent.dll for i686 and x86_64,
#    the Linux jetconform; then `make -C runners/agent-c test check-imports` (the agent's
#    unit tests under sanitizers and its schema check; the XP SP3 import allow-list).
# 2. In a throw-away win64 Wine prefix (it runs 32- and 64-bit programs), runs the corpus
#    through the agent with the harness on Linux, each configuration with `--jobs 2`, every
#    trial of the version the agent reports (about 200 of the corpus's 1592 trials, which
#    span nine versions):
#    (a) x86 agent + x86 mock library and x64 agent + x64 mock library, over stdio
#        (`process:wine agent.exe --dll esent.dll`) and over TCP on loopback
#        (`agent.exe --listen 127.0.0.1:PORT` under Wine, `--runner tcp:127.0.0.1:PORT`),
#        with Wine reporting Windows 7;
#    (b) both architectures over stdio with Wine reporting XP and then Vista (the `Version`
#        value under HKCU\Software\Wine); then, one architecture and transport each, the
#        other versions Wine 8.0 can report: 2000 (x86), Server 2003 (x64), 8 (x86, TCP),
#        8.1 (x64, TCP) and 10 (x86) (Wine 8.0 has no Windows 11);
#    in every configuration the mock library behaves as the same version
#    (JETCONFORM_MOCK_VERSION), the agent must report that version (and its architecture),
#    and every verdict (per trial outcome, per step observed code) must equal the in-process
#    mock's on Linux for that version;
#    (c) both architectures against Wine's own esent.dll, whose exports are stubs that raise
#        an exception: every trial that runs must end `crashed` with the exception code, and
#        the run must finish.
# Each step's time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${JETCONFORM_SKIP_WINE:-}" = 1 ]; then
    echo "agent: skipped (JETCONFORM_SKIP_WINE=1)"
    exit 0
fi
started=$(date +%s)
last=$started
took() {
    local now
    now=$(date +%s)
    echo "agent: ($1: $((now - last)) s)"
    last=$now
}

# --- 1. builds and the agent's own checks -----------------------------------------------------
bash .ci/windows-build.sh
took "builds"
make -s -C runners/agent-c test check-imports
took "make test check-imports"

# shellcheck source=.ci/verdicts.sh
. .ci/verdicts.sh
jc=./target/release/jetconform
work=$(mktemp -d)
listener=
cleanup() {
    [ -n "$listener" ] && kill "$listener" 2>/dev/null
    WINEPREFIX="$work/prefix" wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
for arch in x86 x64; do
    triple=x86_64-pc-windows-gnu
    [ "$arch" = x86 ] && triple=i686-pc-windows-gnu
    mkdir -p "$work/$arch"
    cp "runners/agent-c/build/agent-$arch.exe" "$work/$arch/agent.exe"
    cp "target/$triple/release/esent.dll" "$work/$arch/esent.dll"
    # Next to the agent: the mock library's imports are looked for in the program's folder.
    cp "target/ci-shims/$arch/bcryptprimitives.dll" "$work/$arch/"
done

export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# One wine server for the whole script, started before the prefix is made: without it, every
# runner process started after a quiet moment starts a new server, which on a loaded machine
# can outlast a handshake's timeout.
mkdir -p "$WINEPREFIX" && wineserver -p >/dev/null 2>&1 || true
wineboot -i >/dev/null 2>&1 || true
# winedbg disabled: a crashing process then ends with its exception code as exit status.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;winedbg.exe=d;esent=n"
took "wine prefix"

# The in-process mock's verdicts for one version, once.
reference() {
    local ref="$work/linux-$1.json"
    [ -e "$ref" ] || "$jc" run --version "$1" --format json >"$ref" 2>/dev/null || true
    echo "$ref"
}

# A port nobody listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# `start_listener ARCH [--dll PATH]`: the agent's TCP service on loopback; sets $spec.
start_listener() {
    local arch=$1
    shift
    local port
    port=$(free_port)
    JETCONFORM_AGENT_TOKEN=$token wine "$work/$arch/agent.exe" --listen "127.0.0.1:$port" "$@" \
        >"$work/listener.out" 2>"$work/listener.err" &
    listener=$!
    for _ in $(seq 300); do
        grep -qi listening "$work/listener.err" "$work/listener.out" 2>/dev/null && break
        kill -0 "$listener" 2>/dev/null || break
        sleep 0.2
    done
    if ! grep -qi listening "$work/listener.err" "$work/listener.out" 2>/dev/null; then
        echo "agent: the $arch listener did not start:"; cat "$work/listener.err"; exit 1
    fi
    spec="tcp:127.0.0.1:$port"
}

stop_listener() {
    kill "$listener" 2>/dev/null || true
    wait "$listener" 2>/dev/null || true
    listener=
}

token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
export JETCONFORM_RUNNER_TOKEN=$token

# `judge ARCH TRANSPORT WINE-VERSION CORPUS-VERSION`: one configuration of (a) or (b).
judge() {
    local arch=$1 transport=$2 winver=$3 version=$4
    local label="agent $arch $transport $winver" name="$arch-$transport-$winver" spec
    wine reg add 'HKCU\Software\Wine' /v Version /d "$winver" /f >/dev/null 2>&1
    export JETCONFORM_MOCK_VERSION=$version
    if [ "$transport" = tcp ]; then
        start_listener "$arch" --dll "$work/$arch/esent.dll"
    else
        spec="process:wine $work/$arch/agent.exe --dll $work/$arch/esent.dll"
    fi
    local status=0
    "$jc" run --runner "$spec" --jobs 2 --format json --output "$work/$name.results" \
        >"$work/$name.json" 2>"$work/$name.err" || status=$?
    [ "$transport" = tcp ] && stop_listener
    if [ "$status" -gt 1 ] || ! jq -e .summary "$work/$name.json" >/dev/null 2>&1; then
        echo "$label: the run failed with status $status"; tail -20 "$work/$name.err"; exit 1
    fi
    local reported
    reported=$(jq -r '.runs[0].runners[0] | "\(.versions | join(",")) \(.machine.arch)"' \
        "$work/$name.results")
    if [ "$reported" != "$version $arch" ]; then
        echo "$label: the agent reported \"$reported\", expected \"$version $arch\""; exit 1
    fi
    if ! same_verdicts "$(reference "$version")" "$work/$name.json" "$work" "$label"; then
        echo "$label: trials that errored, crashed or timed out, and why:"
        jq -r '.results[] | select(.outcome == "error" or .outcome == "crashed"
            or .outcome == "timeout") | "  \(.name): \(.reason)"' "$work/$name.json" | head -20
        [ "$transport" = tcp ] && { echo "$label: the listener's log:"; grep -v "started\|after bye" \
            "$work/listener.err" | tail -20; }
        exit 1
    fi
    took "$label: $(jq -c .summary "$work/$name.json")"
}

echo "agent: (a) both architectures, stdio and TCP, Wine as Windows 7"
for arch in x86 x64; do
    for transport in stdio tcp; do
        judge "$arch" "$transport" win7 win7
    done
done

echo "agent: (b) Wine as XP, then Vista"
for winver in winxp:xp vista:vista; do
    for arch in x86 x64; do
        judge "$arch" stdio "${winver%%:*}" "${winver#*:}"
    done
done

echo "agent: (b') the other versions Wine 8 can report, one architecture and transport each"
judge x86 stdio win2k win2000
judge x64 stdio win2003 server2003
judge x86 tcp win8 win8
judge x64 tcp win81 win81
judge x86 stdio win10 win10
wine reg add 'HKCU\Software\Wine' /v Version /d win7 /f >/dev/null 2>&1

echo "agent: (c) Wine's own esent.dll: every trial crashes with the stub's exception code"
export WINEDLLOVERRIDES="bcryptprimitives=n,b;winedbg.exe=d;esent=b"
for arch in x86 x64; do
    name="$arch-wine-esent"
    status=0
    "$jc" run --runner "process:wine $work/$arch/agent.exe" --jobs 2 --format json \
        >"$work/$name.json" 2>"$work/$name.err" || status=$?
    if [ "$status" -gt 1 ] || ! jq -e .summary "$work/$name.json" >/dev/null 2>&1; then
        echo "agent $arch: the run against Wine's esent.dll did not finish (status $status)"
        tail -20 "$work/$name.err"; exit 1
    fi
    bad=$(jq -r '.results[] | select(.outcome != "skip")
        | select((.outcome == "crashed" and (.reason | tostring | test("exception 0x"))) | not)
        | "\(.name): \(.outcome) \(.reason)"' "$work/$name.json")
    ran=$(jq '[.results[] | select(.outcome != "skip")] | length' "$work/$name.json")
    if [ -n "$bad" ] || [ "$ran" -eq 0 ]; then
        echo "agent $arch: expected every trial to crash with an exception code ($ran ran):"
        echo "$bad" | head -20
        exit 1
    fi
    took "agent $arch wine esent.dll: $ran trials crashed, e.g. $(jq -r '[.results[] | select(.outcome == "crashed")][0].reason' "$work/$name.json")"
done
echo "agent: done in $(($(date +%s) - started)) s"
