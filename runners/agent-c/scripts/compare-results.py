#!/usr/bin/env python3
"""Compares two jetconform results files (`jetconform run --output FILE`) trial by trial.

    compare-results.py REFERENCE.json CANDIDATE.json [--outputs] [--mask-handles]

By default a trial agrees when its outcome and every step's result (the JET_ERR returned,
`not_exported`, `not_modelled`) are the same: the verdicts of a corpus run. `--outputs` also
compares every step's outputs, as the runners reported them, with each sandbox path replaced
by SANDBOX and `\\` by `/` (the sandboxes of two runners never have the same name), `notes`
left out (the in-process mock explains its choices there; a library cannot) and the
`pcbActual` of a listed `szz` left out (its value counts the sandbox path's length).
`--mask-handles` compares handles on their low 32 bits (an x86 runner truncates them).

Trials that a runner skipped for want of fault hooks (only a model has them) are left out.
Prints the differences and `trials compared: N, differing: M`; exits 1 when M > 0.
"""
import json
import re
import sys

SANDBOX = re.compile(
    r'([A-Za-z]:(\\\\[^"\\]+)*?\\\\jc-\d+-\d+'  # the C agent's %TEMP%\jc-<pid>-<n>
    r'|(/[^"/]+)*?/jetconform-(mock|ffi)-[A-Za-z0-9_]+'  # the Rust runners' temp dirs
    r'|[A-Za-z]:(\\\\[^"\\]+)*?\\\\jetconform-(mock|ffi)-[A-Za-z0-9_]+)'
)
NIL = 2**64 - 1


def load(path, fault):
    trials = {}
    for t in json.load(open(path))["trials"]:
        key = (t["scenario"], t["version"])
        if t["outcome"] == "skip" and "fault hooks" in str(t.get("reason", "")):
            fault.add(key)
        trials[key] = t
    return trials


def normal(observed, mask):
    o = dict(observed or {})
    o.pop("notes", None)
    outputs = dict(o.get("outputs") or {})
    if "szz" in outputs and isinstance(outputs.get("pcbActual"), dict):
        outputs["pcbActual"] = "(sandbox-dependent)"
    if outputs:
        o["outputs"] = outputs
    s = json.dumps(o, sort_keys=True)
    if mask:
        def low(m):
            v = int(m.group(1))
            return '"handle": %d' % (0xFFFFFFFF if v == NIL else v & 0xFFFFFFFF)
        s = re.sub(r'"handle": (\d+)', low, s)
    return SANDBOX.sub("SANDBOX", s).replace("\\\\", "/")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    outputs, mask = "--outputs" in argv, "--mask-handles" in argv
    fault = set()
    a, b = load(args[0], fault), load(args[1], fault)
    keys = sorted((set(a) | set(b)) - fault)
    differing = 0
    for key in keys:
        ta, tb = a.get(key), b.get(key)
        if ta is None or tb is None:
            differing += 1
            print("%s@%s: only in %s" % (key[0], key[1], args[0] if tb is None else args[1]))
            continue
        lines = []
        if ta["outcome"] != tb["outcome"]:
            lines.append("outcome %s | %s" % (ta["outcome"], tb["outcome"]))
        sa, sb = ta.get("steps") or [], tb.get("steps") or []
        if len(sa) != len(sb):
            lines.append("%d steps | %d steps" % (len(sa), len(sb)))
        for x, y in zip(sa, sb):
            ox, oy = x.get("observed") or {}, y.get("observed") or {}
            same = json.dumps(ox.get("result")) == json.dumps(oy.get("result"))
            if same and outputs:
                same = normal(ox, mask) == normal(oy, mask)
            if not same:
                lines.append("step %s %s: %s | %s" % (x.get("step"), x.get("function"),
                                                      normal(ox, mask)[:300], normal(oy, mask)[:300]))
        if lines:
            differing += 1
            print("%s@%s" % key)
            for line in lines[:5]:
                print("    " + line)
    print("trials compared: %d, differing: %d" % (len(keys), differing))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
