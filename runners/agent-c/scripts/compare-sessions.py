#!/usr/bin/env python3
"""Plays one protocol session, line by line, against two runner processes and compares
their answers: the ffi runner (`jetconform serve --runner ffi:LIB`) and the C agent on the
same library give the same observations, field for field and in the same order.

    compare-sessions.py 'REFERENCE COMMAND' 'CANDIDATE COMMAND' [--mask-handles]

e.g. 'target/release/jetconform serve --runner ffi:target/release/libesent.so' and
'wine build/agent-x64.exe --dll esent.dll' (the Windows build of the mock library). The
session covers every kind of argument and output: handles in and out, A and W strings,
sandbox paths (trailing separator, pad_to), buffers at offsets with save_to, szz lists,
JET_LOGINFO, JET_RSTMAP, JET_SETSYSPARAM, JET_RSTINFO, status callbacks with nested calls,
and log_traffic. Answers are compared with each side's sandbox replaced by SB and `\\` by
`/`, and without the pcbActual of a listed szz (it counts the sandbox path's length);
--mask-handles compares handles on their low 32 bits (an x86 runner truncates them).
Exits 1 on any difference.
"""
import json
import re
import shlex
import subprocess
import sys

reqs = [
 {"type":"start","scenario":"docs/external-backup","version":"win10"},
 {"type":"call","call":{"function":"JetCreateInstance","args":[{"out":True},{"str":{"plain":"bk"}}]}},
 {"type":"call","call":{"function":"JetSetSystemParameter","args":[{"in_out":"$inst"},{"handle":0},{"u32":100},{"handle":1},{"str":None}]}},
 {"type":"call","call":{"function":"JetSetSystemParameter","args":[{"in_out":"$inst"},{"handle":0},{"u32":2},{"handle":0},{"str":{"path":{"path":"logs","trailing_separator":True}}}]}},
 {"type":"call","call":{"function":"JetSetSystemParameter","args":[{"in_out":"$inst"},{"handle":0},{"u32":0},{"handle":0},{"str":{"path":{"path":"sys","trailing_separator":True}}}]}},
 {"type":"call","call":{"function":"JetSetSystemParameter","args":[{"in_out":"$inst"},{"handle":0},{"u32":1},{"handle":0},{"str":{"path":{"path":"tmp","trailing_separator":True}}}]}},
 {"type":"call","call":{"function":"JetInit","args":[{"in_out":"$inst"}]}},
 {"type":"call","call":{"function":"JetBeginSession","args":[{"handle":"$inst"},{"out":True},{"str":None},{"str":None}]}},
 {"type":"call","call":{"function":"JetCreateDatabase","args":[{"handle":"$ses"},{"str":{"path":{"path":"db.edb"}}},{"str":None},{"out":True},{"u32":0}]}},
 {"type":"call","call":{"function":"log_traffic","args":[{"handle":"$ses"},{"u32":1},{"u32":3}]}},
 {"type":"call","call":{"function":"JetBeginExternalBackupInstance","args":[{"handle":"$inst"},{"u32":0}]}},
 {"type":"call","call":{"function":"JetGetAttachInfoInstanceW","args":[{"handle":"$inst"},{"buffer":{"size":4096,"offset":0}},{"u32":4096},{"out":True}]}},
 {"type":"call","call":{"function":"JetGetAttachInfoInstanceA","args":[{"handle":"$inst"},{"buffer":{"size":4096,"offset":3}},{"u32":4096},{"out":True}]}},
 {"type":"call","call":{"function":"JetOpenFileInstanceW","args":[{"handle":"$inst"},{"str":{"path":{"path":"db.edb"}}},{"out":True},{"out":True},{"out":True}]}},
 {"type":"call","call":{"function":"JetReadFileInstance","args":[{"handle":"$inst"},{"handle":0},{"buffer":{"size":65536,"offset":0,"save_to":"copy/db.edb"}},{"u32":65536},{"out":True}]}},
 {"type":"call","call":{"function":"JetReadFileInstance","args":[{"handle":"$inst"},{"handle":0},{"buffer":{"size":8192,"offset":512}},{"u32":16384},{"out":False}]}},
 {"type":"call","call":{"function":"JetCloseFileInstance","args":[{"handle":"$inst"},{"handle":0}]}},
 {"type":"call","call":{"function":"JetGetLogInfoInstance2W","args":[{"handle":"$inst"},{"buffer":{"size":4096,"offset":0}},{"u32":4096},{"out":True},{"log_info":{"cbSize":20,"ulGenLow":0,"ulGenHigh":0,"szBaseName":""}}]}},
 {"type":"call","call":{"function":"JetGetLogInfoInstance2A","args":[{"handle":"$inst"},{"buffer":{"size":4096,"offset":0}},{"u32":4096},{"out":True},{"log_info":{"cbSize":16,"ulGenLow":0,"ulGenHigh":0,"szBaseName":"x"}}]}},
 {"type":"call","call":{"function":"JetGetLogInfoInstance2A","args":[{"handle":"$inst"},{"buffer":{"size":8}},{"u32":8},{"out":True},{"log_info":{"cbSize":20}}]}},
 {"type":"call","call":{"function":"JetGetTruncateLogInfoInstanceW","args":[{"handle":"$inst"},{"buffer":{"size":4096,"offset":0}},{"u32":4096},{"out":True}]}},
 {"type":"call","call":{"function":"JetOpenFileSectionInstanceW","args":[{"handle":"$inst"},{"str":{"path":{"path":"db.edb"}}},{"out":True},{"i32":0},{"i32":1},{"u64":12288},{"out":True},{"out":True}]}},
 {"type":"call","call":{"function":"JetEndExternalBackupInstance2","args":[{"handle":"$inst"},{"u32":1}]}},
 {"type":"call","call":{"function":"JetEndExternalBackupInstance2","args":[{"handle":"$inst"},{"u32":1}]}},
 {"type":"call","call":{"function":"JetBackupInstanceW","args":[{"handle":"$inst"},{"str":{"path":{"path":"bk"}}},{"u32":0},{"callback":{}}]}},
 {"type":"call","call":{"function":"JetBackupInstanceA","args":[{"handle":"$inst"},{"str":{"path":{"path":"bk2"}}},{"u32":0},{"callback":{"nested":{"function":"JetBackupInstanceW","args":[{"handle":"$inst"},{"str":{"path":{"path":"bk3"}}},{"u32":0},{"callback":{}}]}}}]}},
 {"type":"call","call":{"function":"JetEnableMultiInstanceW","args":[{"set_sys_params":[{"paramid":17,"lParam":1,"sz":None},{"paramid":2,"lParam":0,"sz":{"path":{"path":"logs/"}}}]},{"u32":2},{"out":True}]}},
 {"type":"call","call":{"function":"JetTerm2","args":[{"handle":"$inst"},{"u32":1}]}},
 {"type":"call","call":{"function":"JetExternalRestoreW","args":[{"str":None},{"str":{"path":{"path":"restore/logs"}}},{"rst_map":[{"szDatabaseName":{"plain":"C:\\data\\db.edb"},"szNewDatabaseName":{"path":{"path":"restore/db.edb"}}}]},{"i32":3},{"str":{"path":{"path":"bk"}}},{"i32":1},{"i32":3},{"callback":{"nested":{"function":"JetStopServiceInstance","args":[{"handle":"$inst"}]}}}]}},
 {"type":"call","call":{"function":"JetInit3W","args":[{"in_out":1},{"rst_info":{"cbStruct":48,"rgrstmap":[],"pfnStatus":{"nested":{"function":"JetStopServiceInstance","args":[{"handle":1}]}}}},{"u32":0}]}},
 {"type":"call","call":{"function":"JetCreateInstance2W","args":[{"out":True},{"str":{"path":{"path":"deep","pad_to":300}}},{"str":{"plain":""}},{"u32":0}]}},
 {"type":"end"},
 {"type":"shutdown"},
]

def run(cmd):
    p = subprocess.Popen(shlex.split(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    p.stdout.readline()  # hello
    out, vals, sandbox = [], {}, None
    for i, r in enumerate(reqs):
        s = json.dumps(dict(r, id=i + 1), separators=(",", ":"))
        for k, v in vals.items():
            s = s.replace('"%s"' % k, str(v))
        p.stdin.write(s + "\n")
        p.stdin.flush()
        line = p.stdout.readline().strip()
        o = json.loads(line)
        if o.get("type") == "started":
            sandbox = json.dumps(o["sandbox"])[1:-1]
        if sandbox:
            line = line.replace(sandbox, "SB")
        outs = o.get("observation", {}).get("outputs", {})
        if isinstance(outs.get("pinstance"), dict) and "$inst" not in vals:
            vals["$inst"] = outs["pinstance"]["handle"]
        if isinstance(outs.get("psesid"), dict):
            vals["$ses"] = outs["psesid"]["handle"]
        out.append(line)
    p.wait()
    return out


def normal(line, mask):
    line = line.replace("\\\\", "/")
    line = re.sub(r'"pcbActual":\{"u32":\d+\},"szz"', '"pcbActual":N,"szz"', line)
    if mask:
        line = re.sub(r'"handle":(\d+)', lambda m: '"handle":%d' % (int(m.group(1)) & 0xFFFFFFFF), line)
    return line


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mask = "--mask-handles" in argv
    a, b = run(args[0]), run(args[1])
    same = 0
    for x, y in zip(a, b):
        if normal(x, mask) == normal(y, mask):
            same += 1
        else:
            print("reference:", x[:400])
            print("candidate:", y[:400])
    print("identical answers: %d of %d" % (same, len(reqs)))
    return 0 if same == len(reqs) == len(a) == len(b) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
