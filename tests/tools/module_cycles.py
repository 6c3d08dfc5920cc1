#!/usr/bin/env python3
"""The core's import graph, checked two ways: no cycle (strongly connected components of more
than one module) and no import against the layers (a lower layer naming a higher one).

A node is a top-level module (`store`, `providers`, `app`...), except in the folders whose files
are layers of their own (`model/`, `ops/`): there each file is a node (`model::new_key`,
`ops::replace`). Edges come from every `crate::` path (use lines, grouped `use crate::{a, b::c}`,
inline paths, `impl crate::Keyward`). A name re-exported by lib.rs (`crate::Keyward`) or by a
folder's `pub use child::*` (`crate::model::KeyKind`) resolves to the file that defines it.
With --no-tests, `#[cfg(test)]` items are dropped first."""
import os, re, sys
from collections import defaultdict

SRC = next((a for a in sys.argv[1:] if not a.startswith("-")), "crates/keyward-core/src")
NO_TESTS = "--no-tests" in sys.argv
FOLDERS = {"model", "ops"}

# Lower first. A module may import its own layer (no cycle) or any lower one, never a higher.
LAYERS = [
    {"error", "process"},
    {"model"},
    {"paths", "vault", "store", "providers", "desktop_notices"},
    {"app"},
    {"ops"},
    {"api_guard"},
]


def layer(node):
    top = node.split("::")[0]
    return next(i for i, group in enumerate(LAYERS) if top in group)


def strip_comments(t):
    t = re.sub(r"/\*.*?\*/", "", t, flags=re.S)
    return "\n".join(l for l in t.split("\n") if not l.lstrip().startswith("//"))


def strip_cfg_test(t):
    out, i = [], 0
    while True:
        m = re.search(r"#\[cfg\(test\)\]", t[i:])
        if not m:
            out.append(t[i:])
            break
        s = i + m.start()
        out.append(t[i:s])
        k = s + len(m.group(0))
        # the item ends at the first ';' before any '{', or at its matching '}'
        while k < len(t) and t[k] not in "{;":
            k += 1
        if k < len(t) and t[k] == "{":
            depth = 0
            while k < len(t):
                if t[k] == "{":
                    depth += 1
                elif t[k] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
        i = k + 1
    return "".join(out)


def split_top(inner):
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def expand(tree):
    """`a::{b, c::{d, e}}` -> [[a, b], [a, c, d], [a, c, e]]; stops at the first non-path token."""
    tree = tree.strip()
    if tree.startswith("{"):
        return [p for part in split_top(tree[1:-1]) for p in expand(part)]
    m = re.match(r"(\w+)(::)?", tree)
    if not m:
        return [[]]
    if not m.group(2):
        return [[m.group(1)]]
    rest = tree[m.end():]
    return [[m.group(1)] + p for p in expand(rest)]


def node_of(path):
    rel = os.path.relpath(path, SRC).split(os.sep)
    name = rel[0][:-3] if rel[0].endswith(".rs") else rel[0]
    if name in FOLDERS and len(rel) > 1 and rel[1] != "mod.rs":
        return f"{name}::{rel[1][:-3]}"
    return name


files = [os.path.join(r, n) for r, _, ns in os.walk(SRC) for n in ns if n.endswith(".rs")]
nodes = {node_of(f) for f in files} - {"lib"}

# Names defined in a folder's glob-re-exported children, so `crate::model::KeyKind` is `model::kind`.
defined = {}
for folder in FOLDERS:
    mod = os.path.join(SRC, folder, "mod.rs")
    if not os.path.exists(mod):
        continue
    for child in re.findall(r"pub use (\w+)::\*;", open(mod).read()):
        text = open(os.path.join(SRC, folder, child + ".rs")).read()
        for name in re.findall(r"^pub (?:struct|enum|type|const|fn|trait) (\w+)", text, flags=re.M):
            defined[(folder, name)] = f"{folder}::{child}"

lib = strip_comments(open(os.path.join(SRC, "lib.rs")).read())
reexport = {}
for m in re.finditer(r"pub use ([\w:]+)::(\{[^}]*\}|\w+);", lib):
    for name in re.findall(r"\w+", m.group(2)):
        reexport[name] = m.group(1).split("::")


def resolve(path):
    if not path:
        return None
    if path[0] in reexport:
        path = reexport[path[0]] + path
    head = path[0]
    if head in FOLDERS:
        if len(path) > 1 and f"{head}::{path[1]}" in nodes:
            return f"{head}::{path[1]}"
        if len(path) > 1 and (head, path[1]) in defined:
            return defined[(head, path[1])]
        return head
    return head if head in nodes else None


edges = defaultdict(set)
for f in files:
    src = node_of(f)
    if src == "lib":
        continue
    t = strip_comments(open(f).read())
    if NO_TESTS:
        t = strip_cfg_test(t)
    if f.endswith("mod.rs") and src in FOLDERS:
        # A folder's own declarations and re-exports are its shape, not its dependencies.
        t = "\n".join(l for l in t.split("\n") if not re.match(r"\s*(pub(\(crate\))? )?(mod|use) \w+(::\*)?;", l))
    for m in re.finditer(r"\bcrate::(\{[^;]*?\}|[\w:]+(?:::\{[^;]*?\})?)", t, flags=re.S):
        for path in expand(m.group(1)):
            target = resolve(path)
            if target and target != src:
                edges[src].add(target)

index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        sccs.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted(nodes):
    if v not in index:
        strong(v)

print(f"{len(nodes)} modules, {sum(len(v) for v in edges.values())} edges" + (" (non-test code only)" if NO_TESTS else " (tests included)"))
cycles = [c for c in sccs if len(c) > 1]
against = sorted((a, b) for a in edges for b in edges[a] if layer(b) > layer(a))
if not cycles:
    print("no cycle")
for c in cycles:
    print(f"cycle of {len(c)}: {', '.join(c)}")
    for a in c:
        print(f"  {a} -> {', '.join(sorted(b for b in edges[a] if b in c))}")
if not against:
    print("no import against the layers: " + " -> ".join("/".join(sorted(g)) for g in LAYERS))
for a, b in against:
    print(f"against the layers: {a} (layer {layer(a)}) imports {b} (layer {layer(b)})")
if "--graph" in sys.argv:
    for a in sorted(nodes):
        print(f"{a} -> {', '.join(sorted(edges[a]))}")
sys.exit(1 if cycles or against else 0)
