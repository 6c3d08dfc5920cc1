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


rows = []


def row(name, value, target, ok, detail):
    shown = "—" if value is None else f"{value:.2f}×"
    met = "—" if value is None else ("yes" if ok else "**no**")
    rows.append(f"| {name} | {shown} | {target} | {met} | {detail} |")


def ratio(name, key, limit, detail):
    v = get(key)
    row(name, v, f"≤ {limit}×", v is not None and v <= limit, detail)


ratio("cold start to painted, 10,000 keys ÷ hello world (median of runs)", "start ratio", 1.3,
      f"{get('start keyward median') or 0:.0f} ms vs {get('start hello median') or 0:.0f} ms")
ratio("RSS 10 s after start ÷ hello world (whole process tree)", "rss ratio", 1.5,
      f"{get('rss keyward') or 0:.0f} MiB vs {get('rss hello') or 0:.0f} MiB")
size = (get("binary keyward") or 0) / (get("binary hello") or 1)
row("release binary ÷ hello world binary", size if get("binary keyward") else None, "≤ 2×", size <= 2,
    f"{(get('binary keyward') or 0) / 1e6:.1f} MB vs {(get('binary hello') or 0) / 1e6:.1f} MB")
for q in ["prefix", "substring", "no-hit"]:
    p50, p95 = get(f"search {q} ratio p50"), get(f"search {q} ratio p95")
    core95 = get(f"search {q} core p95")
    hits = next((re.search(r"\((\d+) hits\)", k).group(1) for k in fig if k.startswith(f"search {q} (")), "?")
    worst = max(p50 or 0, p95 or 0)
    row(f"search 100,000 keys, {q} ({hits} hits): core ÷ sqlite3 CLI, p50 / p95", worst if p50 is not None else None,
        "≤ 3× and p95 < 5 ms", worst <= 3 and (core95 or 99) < 5,
        f"p50 {p50 or 0:.2f}× ({get(f'search {q} (') or 0:.2f} ms), p95 {p95 or 0:.2f}× ({core95 or 0:.2f} ms)")
ratio("first sync of 10,000 keys, 100 a page, 20 ms latency ÷ pages × 20 ms", "sync ratio", 1.2,
      f"{get('sync 10,000') or 0:.0f} ms vs {get('sync floor') or 0:.0f} ms")
ratio("resync of the same 10,000 keys (the usual sync) ÷ pages × 20 ms", "resync ratio", 1.2,
      f"{get('resync 10,000') or 0:.0f} ms vs {get('sync floor') or 0:.0f} ms")
ratio("5 accounts synced at once ÷ the slowest alone", "5 accounts ratio", 1.3,
      f"{get('5 accounts at once') or 0:.0f} ms vs {get('slowest account alone') or 0:.0f} ms")
ratio("keyward run of true with 2 keys, 20 ms latency ÷ 2 round trips (median)", "run ratio", 1.5,
      f"{get('run of true') or 0:.0f} ms vs {get('run floor') or 0:.0f} ms; one keychain lookup (secret-tool) {get('run keychain lookup') or 0:.0f} ms")
ratio("UI (Chromium, mocked IPC): first rows, 100,000 ÷ 100 rows", "ui first rows ratio", 1.5,
      f"{get('ui first rows 100,000') or 0:.0f} ms vs {get('ui first rows 100 rows') or 0:.0f} ms")
ratio("UI (Chromium, mocked IPC): longest scroll frame, 100,000 ÷ 100 rows", "ui longest scroll frame ratio", 1.5,
      f"{get('ui longest scroll frame 100,000') or 0:.1f} ms vs {get('ui longest scroll frame 100 rows') or 0:.1f} ms")

when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
head = f"## {when} · commit {commit} · {os.cpu_count()} cores, {platform.system()} {platform.release()}\n\n"
table = "| figure | measured | target | met | detail |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
print(head + table)

title = "# make bench results\n\nNewest first. Every figure is a ratio taken in one run on one machine.\n\n"
old = open(results_path).read() if os.path.exists(results_path) else ""
body = old.split("\n## ", 1)
rest = ("## " + body[1]) if len(body) == 2 else ""
open(results_path, "w").write(title + head + table + "\n" + rest)
