#!/usr/bin/env python3
"""Smoke test of the built agent under Wine: the protocol over stdio and over TCP.

    WINEPREFIX=$(mktemp -d) WINEDEBUG=-all python3 tests/wine_smoke.py build/agent-x64.exe [...]

Needs an agent built with the stub call module (src/call_stub.c, the default until the call
marshalling exists): its AgentTestCrash call provokes an access violation, which is how the
crash filter and the listener's crash relay are exercised. Checks: the hello, the sandbox
made at start and removed at end, protocol errors, a crash answered with `crashed` and the
exception as exit status, and the TCP listener (refused tokens, a full session, a crash
relayed once, many connections at a time)."""
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

failures = []
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "docs", "protocol.schema.json")
try:
    import jsonschema
    with open(SCHEMA) as f:
        _defs = json.load(f)["$defs"]
    VALIDATORS = {name: jsonschema.Draft202012Validator({"$ref": "#/$defs/" + name, "$defs": _defs})
                  for name in ("Hello", "Response")}
except (ImportError, OSError):
    VALIDATORS = None
    print("note: no jsonschema module or schema file: lines are not held against the schema")
checked_lines = [0]


def conforms(value, name):
    """value is valid under the protocol schema's definition `name` (true when unavailable)."""
    if VALIDATORS is None or value is None:
        return True
    checked_lines[0] += 1
    errors = list(VALIDATORS[name].iter_errors(value))
    if errors:
        print("     schema: %s" % errors[0].message[:300])
    return not errors


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def unix_path(win_path):
    """C:\\users\\x -> $WINEPREFIX/drive_c/users/x (Wine's default mapping of C:)."""
    drive, rest = win_path[0].lower(), win_path[2:].replace("\\", "/")
    return os.path.join(os.environ["WINEPREFIX"], "drive_%s" % drive) + rest


def stdio_session(exe, lines):
    proc = subprocess.run(["wine", exe], input="".join(l + "\n" for l in lines).encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    out = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    check(all(conforms(o, "Hello" if i == 0 else "Response") for i, o in enumerate(out)),
          "%s: every line conforms to the protocol schema" % exe)
    return proc.returncode, out, proc.stderr.decode()


def test_stdio(exe, arch):
    start = '{"id":1,"type":"start","scenario":"smoke/a","version":"win7"}'
    # what dead agents left behind goes at the first start; other names stay
    rc, out, err = stdio_session(exe, ['{"id":1,"type":"shutdown"}'])  # the prefix exists now
    temp = os.path.join(os.environ["WINEPREFIX"], "drive_c", "users", os.environ.get("USER", "root"), "Temp")
    stale, other = os.path.join(temp, "jc-99999-3"), os.path.join(temp, "jc-x-1")
    os.makedirs(os.path.join(stale, "logs"), exist_ok=True)
    os.makedirs(other, exist_ok=True)
    with open(os.path.join(stale, "logs", "edb00001.log"), "w") as f:
        f.write("x")
    rc, out, err = stdio_session(exe, [start, '{"id":2,"type":"shutdown"}'])
    check(not os.path.exists(stale) and os.path.isdir(other) and re.search(r"removed [1-9][0-9]* sandbox", err) is not None,
          "%s: a dead agent's sandbox swept at start, other names kept" % arch)
    os.rmdir(other)
    hello = out[0]
    m = hello["runner"]["machine"]
    check(rc == 0 and len(out) == 3, "%s: hello, started, bye; exit 0" % arch)
    check(hello["protocol"] == 1 and hello["runner"]["name"] == "esent" and len(hello["runner"]["versions"]) == 1,
          "%s: hello names one version (%s)" % (arch, hello["runner"]["versions"]))
    check(m["arch"] == arch and m["os"] == "windows" and re.match(r"^\d+\.\d+\.\d+$", m["windows"]),
          "%s: machine %s" % (arch, m))
    check(re.match(r"^[0-9a-f]{64}$", m.get("esent_sha256", "")) is not None, "%s: esent_sha256" % arch)
    check(hello["process_global_state"] is True and hello["runner"]["fault_hooks"] is False, "%s: flags" % arch)
    sandbox = out[1]["sandbox"]
    check(out[1] == {"id": 1, "type": "started", "sandbox": sandbox} and "\\jc-" in sandbox,
          "%s: sandbox %s" % (arch, sandbox))
    check(not os.path.exists(unix_path(sandbox)), "%s: sandbox removed at shutdown" % arch)

    # a sandbox exists between start and end, with files in it, and is removed at end
    proc = subprocess.Popen(["wine", exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    proc.stdout.readline()
    proc.stdin.write((start + "\n").encode())
    proc.stdin.flush()
    sandbox = json.loads(proc.stdout.readline())["sandbox"]
    path = unix_path(sandbox)
    check(os.path.isdir(path), "%s: sandbox exists after start" % arch)
    os.makedirs(os.path.join(path, "deep", "er"))
    for name in ("deep/er/f.log", "x" * 240, "ro.edb"):
        with open(os.path.join(path, name), "w") as f:
            f.write("x")
    os.chmod(os.path.join(path, "ro.edb"), 0o444)
    proc.stdin.write(b'{"id":2,"type":"end"}\n')
    proc.stdin.flush()
    check(json.loads(proc.stdout.readline()) == {"id": 2, "type": "ended"}, "%s: ended" % arch)
    check(not os.path.exists(path), "%s: sandbox with subfolders, long and read-only names removed at end" % arch)
    proc.stdin.close()
    check(proc.wait(60) == 0, "%s: end of input: exit 0" % arch)

    rc, out, err = stdio_session(exe, ["not json", "", '{"id":7,"type":"end"}',
                                       '{"id":8,"type":"call","call":{"function":"JetTerm","args":[]}}'])
    check(rc == 0 and out[1]["id"] is None and out[1]["error"]["kind"] == "protocol"
          and "received `not json`" in out[1]["error"]["message"], "%s: malformed line answered, id null" % arch)
    check(out[2]["id"] == 7 and "no scenario is started" in out[2]["error"]["message"], "%s: end before start" % arch)
    check(out[3]["id"] == 8 and "`call` of JetTerm: no scenario" in out[3]["error"]["message"], "%s: call before start" % arch)

    rc, out, err = stdio_session(exe, [start, '{"id":3,"type":"call","call":{"function":"AgentTestPrint","args":[]}}',
                                       '{"id":4,"type":"shutdown"}'])
    check(rc == 0 and [o.get("id") for o in out] == [None, 1, 3, 4] and "stray print from a library" in err,
          "%s: a stray print on stdout goes to stderr" % arch)

    rc, out, err = stdio_session(exe, [start, '{"id":9,"type":"call","call":{"function":"AgentTestCrash","args":[]}}',
                                       '{"id":10,"type":"shutdown"}'])
    crash = out[-1]
    check(crash["id"] == 9 and crash["error"]["kind"] == "crashed" and crash["error"]["during"] == "AgentTestCrash"
          and crash["error"]["detail"].startswith("exception 0xC0000005 (STATUS_ACCESS_VIOLATION)"),
          "%s: crash answered: %s" % (arch, crash))
    # Wine passes the exception code as the exit status; Linux keeps its low 8 bits
    check(rc == 0x05, "%s: exit status of the crash (low byte of 0xC0000005): %d" % (arch, rc))
    return out[1]["sandbox"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""

    def send(self, line):
        self.sock.sendall(line.encode() + b"\n")

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        value = json.loads(line)
        if not conforms(value, "Hello" if value.get("type") == "hello" else "Response"):
            failures.append("schema: " + line.decode()[:200])
        return value

    def close(self):
        self.sock.close()


def test_tcp(exe, arch):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "JETCONFORM_AGENT_TOKEN"}
    proc = subprocess.run(["wine", exe, "--listen", str(port)], env=env, stderr=subprocess.PIPE, timeout=60)
    check(proc.returncode == 2 and b"refusing to listen without a token" in proc.stderr, "%s: no token, no listener" % arch)
    env = dict(os.environ, JETCONFORM_AGENT_TOKEN="s3cret-token")
    listener = subprocess.Popen(["wine", exe, "--listen", str(port)], env=env, stderr=subprocess.PIPE)
    banner = ""
    for _ in range(20):  # Wine may say something first (a fresh prefix being set up)
        banner = listener.stderr.readline().decode()
        if "listening on" in banner or not banner:
            break
    threading.Thread(target=lambda: [sys.stderr.write("    listener: " + l.decode()) for l in listener.stderr],
                     daemon=True).start()
    check("listening on 127.0.0.1:%d" % port in banner and "loopback only" in banner, "%s: banner: %s" % (arch, banner.strip()))
    try:
        refused = {"id": None, "type": "error", "error": {"kind": "protocol", "message": "bad or missing token"}}
        c = Client(port)
        c.send('{"type":"auth","token":"wrong"}')
        check(c.line() == refused and c.line() is None, "%s: wrong token refused, connection closed" % arch)
        c = Client(port)
        c.send('{"id":1,"type":"start","scenario":"s","version":"win7"}')
        check(c.line() == refused and c.line() is None, "%s: a request instead of auth refused" % arch)
        c = Client(port)
        t0 = time.time()
        check(c.line() == refused and 9 <= time.time() - t0 <= 20, "%s: silence refused after 10 s" % arch)
        c = Client(port)
        t0 = time.time()
        for piece in '{"type":"au':  # a byte every 3 s: the 10 s are for the whole line
            try:
                c.sock.sendall(piece.encode())
            except OSError:
                break
            time.sleep(3)
            if time.time() - t0 > 16:
                break
        check(c.line() == refused and time.time() - t0 <= 16, "%s: a trickled auth line refused after 10 s" % arch)

        c = Client(port)
        c.send('{"type":"auth","token":"s3cret-token"}')
        hello = c.line()
        check(hello and hello["type"] == "hello" and hello["runner"]["machine"]["arch"] == arch, "%s: hello over TCP" % arch)
        c.send('{"id":1,"type":"start","scenario":"s","version":"win7"}')
        started = c.line()
        check(started["type"] == "started", "%s: started over TCP" % arch)
        c.send('{"id":2,"type":"shutdown"}')
        check(c.line() == {"id": 2, "type": "bye"} and c.line() is None, "%s: bye, then closed (nothing added)" % arch)
        check(not os.path.exists(unix_path(started["sandbox"])), "%s: TCP sandbox removed" % arch)

        # the auth line and the first request in one packet
        c = Client(port)
        c.sock.sendall(b'{"type":"auth","token":"s3cret-token"}\n{"id":1,"type":"start","scenario":"s","version":"win7"}\n')
        check(c.line()["type"] == "hello" and c.line()["type"] == "started", "%s: request right after auth kept" % arch)
        c.send('{"id":2,"type":"call","call":{"function":"AgentTestCrash","args":[]}}')
        crash = c.line()
        check(crash["id"] == 2 and crash["error"]["kind"] == "crashed", "%s: crash over TCP: %s" % (arch, crash))
        check(c.line() is None, "%s: the child's own crash report is not repeated" % arch)

        # a child that exits without a word: the relay says how it ended
        c = Client(port)
        c.send('{"type":"auth","token":"s3cret-token"}')
        c.line()
        c.send('{"id":1,"type":"start","scenario":"s","version":"win7"}')
        c.line()
        c.send('{"id":2,"type":"call","call":{"function":"AgentTestExit","args":[]}}')
        check(c.line() == {"id": None, "type": "error", "error": {"kind": "crashed", "detail": "exited with status 3"}}
              and c.line() is None, "%s: silent exit relayed as crashed" % arch)

        # several connections at once, each its own process
        clients = [Client(port) for _ in range(4)]
        for c in clients:
            c.send('{"type":"auth","token":"s3cret-token"}')
        sandboxes = set()
        for i, c in enumerate(clients):
            check(c.line()["type"] == "hello", "%s: concurrent hello %d" % (arch, i))
            c.send('{"id":1,"type":"start","scenario":"s","version":"win7"}')
            sandboxes.add(c.line()["sandbox"])
        check(len(sandboxes) == 4, "%s: four connections, four sandboxes" % arch)
        for c in clients:
            c.close()  # closed mid-scenario: each child gets end of input and removes its sandbox
        time.sleep(8)
        check(not any(os.path.exists(unix_path(s)) for s in sandboxes), "%s: sandboxes removed after the clients left" % arch)
    finally:
        listener.kill()
        listener.wait()


def main():
    for exe in sys.argv[1:]:
        arch = "x86" if "x86" in os.path.basename(exe) else "x64"
        test_stdio(exe, arch)
        test_tcp(exe, arch)
    print("%d line(s) held against the schema; %d failure(s)" % (checked_lines[0], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
