#!/usr/bin/env python3
"""Turns make bench's figure lines into the results table (stdout) and prepends it, with the date
and commit, to tests/bench/results.md, so earlier runs stay below as the before of each after."""

import datetime
import os
import platform
import re
import sys

figures_path, commit, results_path = sys.argv[1], sys.argv[2], sys.argv[3]
fig = {}
for line in open(figures_path):
    parts = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip("\n").split("\t")
    if len(parts) == 3:
        try:
            fig[parts[0].strip()] = float(parts[1])
        except ValueError:
            pass


def get(prefix):
    for k, v in fig.items():
        if k.startswith(prefix):
            return v
    return None


def name_after(prefix, pattern, default="?"):
    """A part of a figure's name (a hit count, a page count), by a regex on the name."""
    for k in fig:
        found = k.startswith(prefix) and re.search(pattern, k)
        if found:
            return found.group(1)
    return default


rows = []


def row(name, value, target, ok, detail, unit="×"):
    shown = "—" if value is None else f"{value:.2f}{unit}"
    met = "—" if value is None or target == "reported" else ("yes" if ok else "**no**")
    rows.append(f"| {name} | {shown} | {target} | {met} | {detail} |")


def ratio(name, key, limit, detail):
    v = get(key)
    row(name, v, f"≤ {limit}×", v is not None and v <= limit, detail)


def reported(name, key, detail, unit="×"):
    row(name, get(key), "reported", True, detail, unit)


def mib(n):
    return f"{(n or 0) / 1e6:.1f} MB"


def kib(n):
    return f"{(n or 0) / 1024:.1f} KiB"


def memory_parts(measure):
    """Each part of the trees (the app's own process, each WebKit child) as keyward vs hello."""
    parts = [k[len(f"{measure} keyward part "):] for k in fig if k.startswith(f"{measure} keyward part ")]
    shown = []
    for part in parts:
        k, h = fig.get(f"{measure} keyward part {part}") or 0, fig.get(f"{measure} hello part {part}") or 0
        if k or h:
            shown.append(f"{part} {k:.0f} vs {h:.0f} ({k - h:+.0f})")
    return ", ".join(shown)


ratio("cold start to painted, 10,000 keys ÷ hello world (median of runs)", "start ratio", 1.3,
      f"{get('start keyward median') or 0:.0f} ms vs {get('start hello median') or 0:.0f} ms")
# Where Keyward turned WebKit's compositor off (no GPU), the hello world drawn the same way: how
# much of the ratio above is that choice, and how much is Keyward's own work.
if get("start alike ratio") is not None:
    reported("cold start ÷ hello world drawn as Keyward draws (compositor off: no GPU)", "start alike ratio",
             f"{get('start keyward median') or 0:.0f} ms vs {get('start hello-alike median') or 0:.0f} ms")
# The target is on RSS, as every earlier run measured it; PSS (shared library pages divided among
# the processes mapping them, so not counted once per WebKit process) is reported beside it.
ratio("RSS 10 s after start ÷ hello world (whole process tree)", "rss ratio", 1.15,
      f"{fig.get('rss keyward 10 s after start') or 0:.0f} MiB vs {fig.get('rss hello 10 s after start') or 0:.0f} MiB; "
      f"MiB per part: {memory_parts('rss') or '—'}")
if get("rss alike ratio") is not None:
    reported("RSS 10 s after start ÷ hello world drawn as Keyward draws", "rss alike ratio",
             f"{fig.get('rss keyward 10 s after start') or 0:.0f} MiB vs {fig.get('rss hello-alike 10 s after start') or 0:.0f} MiB")
reported("PSS 10 s after start ÷ hello world (whole tree, shared pages divided among processes)", "pss ratio",
         f"{fig.get('pss keyward 10 s after start') or 0:.0f} MiB vs {fig.get('pss hello 10 s after start') or 0:.0f} MiB; "
         f"MiB per part: {memory_parts('pss') or '—'}")
size = (get("binary keyward") or 0) / (get("binary hello") or 1)
row("release binary ÷ hello world binary", size if get("binary keyward") else None, "≤ 2×", size <= 2,
    f"{(get('binary keyward') or 0) / 1e6:.1f} MB vs {(get('binary hello') or 0) / 1e6:.1f} MB")
searched = get("search cached keys")
searched_n = f"{searched:,.0f}" if searched else "N"
for q in ["prefix", "substring", "no-hit"]:
    p50, p95 = get(f"search {q} ratio p50"), get(f"search {q} ratio p95")
    core95 = get(f"search {q} core p95")
    hits = name_after(f"search {q} (", r"\((\d+) hits\)")
    worst = max(p50 or 0, p95 or 0)
    row(f"search {searched_n} keys, {q} ({hits} hits): core ÷ sqlite3 CLI, p50 / p95", worst if p50 is not None else None,
        "≤ 3× and p95 < 5 ms", worst <= 3 and (core95 or 99) < 5,
        f"p50 {p50 or 0:.2f}× ({get(f'search {q} (') or 0:.2f} ms), p95 {p95 or 0:.2f}× ({core95 or 0:.2f} ms)")
per_call = name_after("search seed", r"[(]([0-9,]+) a call[)]")
reported(f"caching the {searched_n} searched keys through apply_sync, {per_call} a call", "search seed",
         "wall, seeding the store the search rows above query", unit=" s")
ratio("first sync of 10,000 keys, 100 a page, 20 ms latency ÷ pages × 20 ms", "sync ratio", 1.2,
      f"{get('sync 10,000') or 0:.0f} ms vs {get('sync floor') or 0:.0f} ms; "
      f"the api-key pages alone, fetched and not read: {get('sync the same pages fetched') or 0:.0f} ms")
ratio("resync of the same 10,000 keys (the usual sync) ÷ pages × 20 ms", "resync ratio", 1.2,
      f"{get('resync 10,000') or 0:.0f} ms vs {get('sync floor') or 0:.0f} ms")
large_pages, small_pages = (name_after(f"first sync {n} keys", r"[(](\d+) pages[)]") for n in ("100,000", "1,000"))
ratio("first sync per key at 100,000 keys ÷ per key at 1,000 (100 a page, 20 ms latency)", "first sync per key ratio", 1.2,
      f"{get('first sync per key at 100,000') or 0:.0f} µs vs {get('first sync per key at 1,000') or 0:.0f} µs a key; "
      f"{get('first sync 100,000 keys') or 0:.0f} ms ({large_pages} pages) vs {get('first sync 1,000 keys') or 0:.0f} ms ({small_pages} pages)")
ratio("5 accounts synced at once ÷ the slowest alone", "5 accounts ratio", 1.3,
      f"{get('5 accounts at once') or 0:.0f} ms vs {get('slowest account alone') or 0:.0f} ms")
listed = name_after("list keyward", r"[(](\d+) hits[)]")
ratio(f"keyward keys list --json --search on 10,000 keys ({listed} hits), whole process ÷ sqlite3 -json, same statement (median)",
      "list ratio", 1.25, f"{get('list keyward') or 0:.1f} ms vs {get('list sqlite3') or 0:.1f} ms")
ratio("keyward run of true with 2 keys, 20 ms latency ÷ 2 round trips (median)", "run ratio", 1.5,
      f"{get('run of true') or 0:.0f} ms vs {get('run floor') or 0:.0f} ms; one keychain lookup (secret-tool) {get('run keychain lookup') or 0:.0f} ms")
tables = sorted(((k[len("db table "):], v) for k, v in fig.items() if k.startswith("db table ")), key=lambda t: -t[1])
reported("store file per 10,000 keys ÷ the raw metadata (every keys column's values as text)", "db size ratio",
         f"{kib(get('db file'))} vs {kib(get('db raw metadata'))}; search index {kib(fig.get('db search index'))} of a vacuumed "
         f"{kib(fig.get('db vacuumed copy'))} ({get('db search index share') or 0:.0f}%); biggest: "
         + (", ".join(f"{name} {kib(v)}" for name, v in tables[:6]) or "—"))
ratio("UI (Chromium, mocked IPC): first rows, 100,000 ÷ 100 rows", "ui first rows ratio", 1.5,
      f"{get('ui first rows 100,000') or 0:.0f} ms vs {get('ui first rows 100 rows') or 0:.0f} ms")
ratio("UI (Chromium, mocked IPC): longest scroll frame, 100,000 ÷ 100 rows", "ui longest scroll frame ratio", 1.5,
      f"{get('ui longest scroll frame 100,000') or 0:.1f} ms vs {get('ui longest scroll frame 100 rows') or 0:.1f} ms")

typing = fig.get("ui typing p95 100,000 rows")
row("UI (Chromium, mocked IPC): search as you type, 100,000 rows, keystroke to the frame showing its rows, p95", typing,
    "≤ 16.7 ms (a frame)", typing is not None and typing <= 16.7,
    f"p50 {fig.get('ui typing p50 100,000 rows') or 0:.1f} ms, drawn p95 {fig.get('ui typing p95 drawn 100,000 rows') or 0:.1f} ms, "
    f"the fake core's answer p95 {fig.get('ui typing fake core p95 100,000 rows') or 0:.1f} ms, 100 rows p95 {fig.get('ui typing p95 100 rows') or 0:.1f} ms, "
    f"{fig.get('ui typing keystrokes') or 0:.0f} keystrokes", unit=" ms")

def bundle_table():
    chunks = [k[len("chunk "):-len(" raw")] for k in fig if k.startswith("chunk ") and k.endswith(" raw")]
    if not chunks:
        return "bundle, per chunk: —\n"
    lines = ["| bundle, per chunk | raw | gzip |", "|---|---|---|"]
    for c in chunks:
        lines.append(f"| {c} | {kib(fig.get(f'chunk {c} raw'))} | {kib(fig.get(f'chunk {c} gzip'))} |")
    raw = sum(fig.get(f"chunk {c} raw") or 0 for c in chunks)
    packed = sum(fig.get(f"chunk {c} gzip") or 0 for c in chunks)
    lines.append(f"| all | {kib(raw)} | {kib(packed)} |")
    return "\n".join(lines) + "\n"


def crates_table():
    crates = [(k[len("crate "):], v) for k, v in fig.items() if k.startswith("crate ")]
    if not crates:
        return "biggest crates in keyward-app: —\n"
    text = get("bloat text section") or 0
    lines = ["| biggest crates in keyward-app (function symbols) | size | of the code | in hello world |", "|---|---|---|---|"]
    for name, size in crates:
        lines.append(f"| {name} | {kib(size)} | {size / text * 100 if text else 0:.1f}% | {kib(fig.get(f'hello crate {name}'))} |")
    lines.append(f"| the rest | {kib(text - sum(v for _, v in crates))} | | |")
    lines.append(f"| all code (binary with symbols {mib(get('bloat file with symbols'))}) | {kib(text)} | 100% | |")
    return "\n".join(lines) + "\n"


when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
head = f"## {when} · commit {commit} · {os.cpu_count()} cores, {platform.system()} {platform.release()}\n\n"
table = ("| figure | measured | target | met | detail |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
         + bundle_table() + "\n" + crates_table())
print(head + table)

title = "# make bench results\n\nNewest first. Every figure is taken in one run on one machine; all but the typing figure are ratios.\n\n"
old = open(results_path).read() if os.path.exists(results_path) else ""
body = old.split("\n## ", 1)
rest = ("## " + body[1]) if len(body) == 2 else ""
open(results_path, "w").write(title + head + table + "\n" + rest)
