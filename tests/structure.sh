#!/usr/bin/env bash
# tests/structure.sh [BUILD] [--report] - checks the shape of the source tree:
#  1. no loops of files: neither #include loops nor files whose functions call
#     each other in a loop (found from BUILD's object files with nm: file A
#     "calls" B when A's object uses a symbol B's object defines);
#  2. no function over 80 lines outside tests/ and kernels/, except those in
#     tests/structure_allow.txt, each with its reason;
#  3. only app/tui* includes <curses.h>; session/ includes nothing from app/;
#     modules depend only downward (the order is MODULE_ORDER below);
#  4. every header opens with a comment (its contract, before any code).
# --report prints the module map (files, lines, who includes whom) and the
# longest functions instead of failing.  Needs universal-ctags (make deps).
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
mode=${2:-check}
exec /usr/bin/python3 - "$build" "$mode" <<'PY'
import os, re, subprocess, sys
from collections import defaultdict

build, mode = sys.argv[1], sys.argv[2]
# Lower modules first: a module may include or call only those before it.
MODULE_ORDER = ["base", "patterns", "kernels", "midi", "synth", "engine",
                "trainer", "session", "app"]
# Modules side by side: neither may depend on the other.
PEERS = {("midi", "synth"), ("synth", "midi")}
SRC_DIRS = [m for m in MODULE_ORDER if os.path.isdir(m)]
LIMIT = 80
problems = []

def sources():
    for d in SRC_DIRS:
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h", ".inc")):
                yield os.path.join(d, f)

files = list(sources())
inc_re = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
includes = {}
for f in files:
    text = open(f, encoding="utf-8").read()
    includes[f] = [(k, p) for k, p in inc_re.findall(text)]

def unit(path):            # x.c and x.h are one unit
    return re.sub(r"\.(c|h|inc)$", "", path)

def module(path):
    return path.split("/")[0]

# --- include graph between units ------------------------------------------
inc_graph = defaultdict(set)
for f, incs in includes.items():
    for kind, p in incs:
        if kind == '"' and os.path.exists(p) and unit(p) != unit(f):
            inc_graph[unit(f)].add(unit(p))

# --- call graph between object files (nm) ---------------------------------
call_graph = defaultdict(set)
objs = {}
for f in files:
    if f.endswith(".c"):
        o = os.path.join(build, f[:-2] + ".o")
        if os.path.exists(o):
            objs[unit(f)] = o
defined, used = {}, defaultdict(set)
if objs:
    out = subprocess.run(["nm", "-A"] + list(objs.values()), capture_output=True, text=True).stdout
    back = {o: u for u, o in objs.items()}
    for line in out.splitlines():
        m = re.match(r"^(.*?):\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$", line)
        if not m:
            continue
        o, t, sym = m.groups()
        u = back.get(o)
        if u is None:
            continue
        if t == "U":
            used[u].add(sym)
        elif t in "TDBRGSVW":
            defined[sym] = u
    for u, syms in used.items():
        for s in syms:
            v = defined.get(s)
            if v and v != u:
                call_graph[u].add(v)
elif mode != "--report":
    problems.append(f"no object files under {build}/: build first (make tests)")

def cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in list(graph):
        if v not in index:
            visit(v)
    return out

# --- function lengths ------------------------------------------------------
def functions():
    res = []
    cf = [f for f in files if f.endswith(".c") and module(f) != "kernels"]
    out = subprocess.run(["ctags", "--output-format=u-ctags", "--c-kinds=f", "--fields=+ne",
                          "-o", "-"] + cf, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        name, path = parts[0], parts[1]
        start = end = None
        for p in parts[3:]:
            if p.startswith("line:"): start = int(p[5:])
            if p.startswith("end:"): end = int(p[4:])
        if start and end:
            res.append((end - start + 1, path, name))
    return sorted(res, reverse=True)

allow = {}
if os.path.exists("tests/structure_allow.txt"):
    for line in open("tests/structure_allow.txt"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, why = line.partition("#")
        if not why.strip():
            problems.append(f"tests/structure_allow.txt: '{key.strip()}' has no reason")
        allow[key.strip()] = why.strip()

funcs = functions()
rank = {m: i for i, m in enumerate(MODULE_ORDER)}

if mode == "--report":
    print("module map (files, lines; modules it includes):")
    mod_inc = defaultdict(set)
    for f, incs in includes.items():
        for kind, p in incs:
            if kind == '"' and os.path.exists(p) and module(p) != module(f):
                mod_inc[module(f)].add(module(p))
    for m in SRC_DIRS:
        fs = [f for f in files if module(f) == m]
        n = sum(sum(1 for _ in open(f)) for f in fs)
        print(f"  {m:9s} {len(fs):3d} files {n:6d} lines -> {' '.join(sorted(mod_inc[m], key=rank.get))}")
    print("file loops (include):", cycles(inc_graph) or "none")
    print("file loops (calls):  ", cycles(call_graph) or "none")
    print(f"functions over {LIMIT} lines (outside tests and kernels): {sum(1 for n,_,_ in funcs if n > LIMIT)}")
    for n, path, name in funcs[:15]:
        print(f"  {n:4d} {path}:{name}")
    sys.exit(0)

for comp in cycles(inc_graph):
    problems.append("include loop: " + " <-> ".join(comp))
for comp in cycles(call_graph):
    problems.append("call loop: " + " <-> ".join(comp))
for n, path, name in funcs:
    if n > LIMIT and f"{path}:{name}" not in allow:
        problems.append(f"{path}: {name} is {n} lines (limit {LIMIT}; split it or allow-list it with a reason)")
for f, incs in includes.items():
    for kind, p in incs:
        if kind == "<" and p in ("curses.h", "ncurses.h", "ncursesw/curses.h") and not f.startswith("app/tui"):
            problems.append(f"{f}: includes <{p}> (only app/tui* may)")
        if kind == '"' and os.path.exists(p):
            a, b = module(f), module(p)
            if a != b and (rank.get(b, 0) > rank.get(a, 0) or (a, b) in PEERS):
                problems.append(f"{f}: includes {p} ({a} may not depend on {b})")
for u, vs in call_graph.items():
    for v in vs:
        a, b = module(u), module(v)
        if a != b and (rank.get(b, 0) > rank.get(a, 0) or (a, b) in PEERS):
            problems.append(f"{u}.c: calls into {v}.c ({a} may not depend on {b})")
for f in files:
    if f.endswith(".h"):
        head = open(f, encoding="utf-8").read().lstrip()
        if not head.startswith(("/*", "//")):
            problems.append(f"{f}: does not open with a comment stating its contract")

for p in problems:
    print("structure:", p)
print(f"structure: {len(files)} files, {len(funcs)} functions, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
