#!/usr/bin/env python3
"""Top-level module import graph of crates/keyward-core/src and its cycles (strongly connected
components with more than one module). Edges come from every `crate::x` path (use lines, grouped
`use crate::{a, b::c}`, inline paths, `impl crate::Keyward`); names re-exported at the crate root
(`crate::Error`, `crate::Keyward`...) are resolved through lib.rs's `pub use`. With --no-tests,
`#[cfg(test)]` items are dropped first."""
import os, re, sys
from collections import defaultdict

SRC = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "crates/keyward-core/src"
NO_TESTS = "--no-tests" in sys.argv

def strip_comments(t):
    t = re.sub(r"/\*.*?\*/", "", t, flags=re.S)
    return "\n".join(l for l in t.split("\n") if not l.lstrip().startswith("//"))

def strip_cfg_test(t):
    out, i = [], 0
    while True:
        m = re.search(r"#\[cfg\(test\)\]", t[i:])
        if not m:
            out.append(t[i:]); break
        s = i + m.start(); out.append(t[i:s])
        j = s + len(m.group(0))
        # the item ends at the first ';' before any '{', or at its matching '}'
        k = j
        while k < len(t) and t[k] not in "{;":
            k += 1
        if k < len(t) and t[k] == "{":
            depth = 0
            while k < len(t):
                if t[k] == "{": depth += 1
                elif t[k] == "}":
                    depth -= 1
                    if depth == 0: break
                k += 1
        i = k + 1
    return "".join(out)

def top_module(path):
    rel = os.path.relpath(path, SRC)
    parts = rel.split(os.sep)
    name = parts[0]
    return name[:-3] if name.endswith(".rs") else name

def expand_use_tree(tree):
    """`{a, b::c, d::{e, f}}` -> first segments a, b, d"""
    tree = tree.strip()
    if tree.startswith("{"):
        inner, depth, cur, firsts = tree[1:-1], 0, "", []
        for ch in inner:
            if ch == "," and depth == 0:
                firsts.append(cur); cur = ""; continue
            if ch == "{": depth += 1
            if ch == "}": depth -= 1
            cur += ch
        firsts.append(cur)
        return [re.split(r"::|\s", f.strip())[0] for f in firsts if f.strip()]
    return [re.split(r"::|\s|;", tree)[0]]

files = []
for root, _, names in os.walk(SRC):
    for n in names:
        if n.endswith(".rs"):
            files.append(os.path.join(root, n))
modules = {top_module(f) for f in files} - {"lib"}

lib = strip_comments(open(os.path.join(SRC, "lib.rs")).read())
reexport = {}
for m in re.finditer(r"pub use (\w+)::(\{[^}]*\}|\w+);", lib):
    mod, tree = m.group(1), m.group(2)
    for name in re.findall(r"\w+", tree):
        reexport[name] = mod

edges = defaultdict(set)
for f in files:
    src_mod = top_module(f)
    if src_mod == "lib":
        continue
    t = strip_comments(open(f).read())
    if NO_TESTS:
        t = strip_cfg_test(t)
    firsts = []
    for m in re.finditer(r"\bcrate::(\{[^;]*?\}|\w+)", t, flags=re.S):
        firsts += expand_use_tree(m.group(1))
    for name in firsts:
        tgt = name if name in modules else reexport.get(name)
        if tgt and tgt != src_mod:
            edges[src_mod].add(tgt)

# Tarjan's SCC
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(modules):
    if v not in index:
        strong(v)

print(f"{len(modules)} top-level modules, {sum(len(v) for v in edges.values())} edges"
      + (" (non-test code only)" if NO_TESTS else " (tests included)"))
cycles = [c for c in sccs if len(c) > 1]
if not cycles:
    print("no cycle")
for c in cycles:
    print(f"cycle of {len(c)}: {', '.join(c)}")
    inside = set(c)
    for a in c:
        back = sorted(b for b in edges[a] if b in inside)
        print(f"  {a} -> {', '.join(back)}")
sys.exit(1 if cycles else 0)
