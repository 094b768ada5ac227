#!/usr/bin/env python3
"""Every line the agent's protocol loop writes, held against docs/protocol.schema.json.

    python3 tests/schema_check.py build/agent-linux ../../docs/protocol.schema.json

Runs the Linux build of the loop (tests/agent_posix.c) through a session with every kind of
request and the errors of docs/protocol.md, then validates the hello against `Hello` and each
answer against `Response` (and the requests sent against `Request`, so the session itself is
what the harness would send). Skips, saying so, when the jsonschema module is missing."""
import json
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("schema_check: python3 jsonschema is not installed; skipped")
    sys.exit(0)

agent, schema_path = sys.argv[1], sys.argv[2]
with open(schema_path) as f:
    schema = json.load(f)


def validator(name):
    sub = {"$ref": "#/$defs/" + name, "$defs": schema["$defs"]}
    return jsonschema.Draft202012Validator(sub)


hello_v, response_v, request_v = validator("Hello"), validator("Response"), validator("Request")

REQUESTS = [
    '{"id":1,"type":"call","call":{"function":"JetTerm","args":[{"handle":1}]}}',
    '{"id":2,"type":"start","scenario":"schema/a","version":"win10"}',
    '{"id":3,"type":"start","scenario":"schema/b","version":"win10"}',
    '{"id":4,"type":"call","call":{"function":"JetCreateInstance","args":[{"out":true},{"str":{"plain":"bk"}}]}}',
    '{"id":5,"type":"call","call":{"function":"JetReadFileInstance","args":[{"handle":1},{"handle":0},'
    '{"buffer":{"size":65536,"offset":512,"save_to":"copy/db.edb"}},{"u32":65536},{"out":true}]}}',
    '{"id":6,"type":"end"}',
    '{"id":7,"type":"end"}',
    '{"id":8,"type":"start","scenario":"schema/c","version":"xp"}',
    '{"id":9,"type":"shutdown"}',
]
GARBAGE = ["hello there", '{"id":10,"type":"launch"}', '{"id":11,"type":"start","scenario":"s","version":"win95"}',
           "[1,2]", '{"id":1.5}', "\"\xff\"", "x" * 1000]

failures = 0


def run(args, lines):
    data = b"".join((l.encode("utf-8", "surrogateescape") if isinstance(l, str) else l) + b"\n" for l in lines)
    out = subprocess.run([agent] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
    return [json.loads(l) for l in out.stdout.decode().splitlines()]


def check(v, value, what):
    global failures
    errors = list(v.iter_errors(value))
    if errors:
        failures += 1
        print("FAIL %s: %s\n     %s" % (what, errors[0].message, json.dumps(value)[:300]))


for r in REQUESTS:
    check(request_v, json.loads(r), "request " + r[:60])
for args, lines in (([], GARBAGE + REQUESTS), (["--no-engine"], REQUESTS)):
    out = run(args, lines)
    check(hello_v, out[0], "hello")
    for i, answer in enumerate(out[1:]):
        check(response_v, answer, "answer %d %s" % (i, args))
    expected = len(GARBAGE if not args else []) + len(REQUESTS) + 1
    if len(out) != expected:
        failures += 1
        print("FAIL %s: %d lines, expected %d" % (args, len(out), expected))
print("schema_check: %d lines checked, %d failure(s)" % (2 * len(REQUESTS) + len(GARBAGE) + 2, failures))
sys.exit(1 if failures else 0)
