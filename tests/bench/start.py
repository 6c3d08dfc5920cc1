#!/usr/bin/env python3
"""Start-up figures for make bench, run under Xvfb: time from spawn to "painted" (the window's
own report) for Keyward with a 10,000-key inventory and for the bare Tauri hello world, median of
RUNS launches each, alternating; then the memory of each app's whole process tree (WebKit runs
its page in child processes) 10 s after start, RSS and PSS, split into the app's own process and
its WebKit children. Where Keyward tells WebKit how to draw (its compositor off when there is no
GPU), the hello world is also measured drawing that way, beside the bare one the targets are on:
what is Keyward's own cost and what the drawing saves, each in figures. Prints
figure<TAB>value<TAB>unit."""

import os
import re
import statistics
import subprocess
import sys
import time


def children_by_parent() -> dict:
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return children


def tree(root: int, children: dict) -> list:
    """The root and every process below it, the root first."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def kb_field(text: str, field: str):
    """A "Name:   1234 kB" line's number, from /proc/PID/status or smaps_rollup; None if absent."""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def part_of(pid: int, root: int, cmdline: str, comm: str) -> str:
    """Which part of an app's tree a process is: the app binary itself (Rust, GTK, the WebKit
    UI process side), a WebKit child by its program's name (the comm is cut at 15 characters,
    the command line is not), or anything else (bwrap, xdg-dbus-proxy when WebKit sandboxes)."""
    if pid == root:
        return "main"
    program = os.path.basename(cmdline.split("\0", 1)[0]) or comm.strip()
    return program if program.startswith("WebKit") else "other"


def tree_memory_kb(root: int) -> dict:
    """{part: [rss_kb, pss_kb]} for an app's tree, all read in one pass. RSS counts a shared page
    (WebKit's and GTK's libraries, mapped by every process) once in each process that maps it;
    PSS divides it among them, so PSS totals are what the tree really holds. PSS is None where
    smaps_rollup is missing (kernels before 4.14)."""
    parts = {}
    for pid in tree(root, children_by_parent()):
        status = read(f"/proc/{pid}/status")
        rss = kb_field(status, "VmRSS")
        if rss is None:  # gone, or a kernel thread
            continue
        part = part_of(pid, root, read(f"/proc/{pid}/cmdline"), read(f"/proc/{pid}/comm"))
        pss = kb_field(read(f"/proc/{pid}/smaps_rollup"), "Pss")
        sums = parts.setdefault(part, [0, 0])
        sums[0] += rss
        sums[1] = None if pss is None or sums[1] is None else sums[1] + pss
    return parts


def drawing(ready_line: str) -> dict:
    """What Keyward's ready line says WebKit was told to draw with ("…, NAME=value"), as an
    environment; {} if nothing. The line names the variable, so it is not written again here."""
    return dict(re.findall(r", ([A-Z_]+)=(\S*)", ready_line))


def memory_lines(memory: dict) -> list:
    """Figure lines for each app's tree (keep the ratio on RSS, as every earlier run measured
    it) with its parts, PSS beside, and keyward minus hello per part: where the difference is."""
    lines = []
    parts = sorted({p for m in memory.values() for p in m}, key=lambda p: (p != "main", p == "other", p))
    for measure, index in [("rss", 0), ("pss", 1)]:
        totals = {}
        for name, m in memory.items():
            values = [v[index] for v in m.values()]
            if None in values:
                continue
            totals[name] = sum(values) / 1024.0
            lines.append(f"{measure} {name} 10 s after start\t{totals[name]:.3f}\tMiB")
            for part in parts:
                lines.append(f"{measure} {name} part {part}\t{m.get(part, [0, 0])[index] / 1024.0:.3f}\tMiB")
        if len(totals) < 2:
            continue
        for part in parts:
            k, h = (memory[n].get(part, [0, 0])[index] / 1024.0 for n in ("keyward", "hello"))
            lines.append(f"{measure} diff part {part}\t{k - h:.3f}\tMiB")
        lines.append(f"{measure} ratio\t{totals['keyward'] / totals['hello']:.3f}\tx")
        if "hello-alike" in totals:
            lines.append(f"{measure} alike ratio\t{totals['keyward'] / totals['hello-alike']:.3f}\tx")
    return lines


def launch(binary: str, env: dict, exit_when_ready: bool):
    env = dict(env, KEYWARD_REPORT_READY="1")
    if exit_when_ready:
        env["KEYWARD_EXIT_WHEN_READY"] = "1"
    started = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if "ready" in line:
            return proc, (time.perf_counter() - started) * 1000.0, started, line
    raise SystemExit(f"{binary} ended without reporting ready")


def main():
    keyward, hello, data, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    env = dict(os.environ, KEYWARD_DATA_DIR=data, KEYWARD_LOG="warn")
    apps = {"keyward": (keyward, env), "hello": (hello, env)}
    # One unmeasured launch each, the binary and WebKit paged in; Keyward's says how it drew.
    proc, _, _, ready = launch(keyward, env, True)
    proc.wait(timeout=30)
    alike = drawing(ready)
    if alike:
        apps["hello-alike"] = (hello, dict(env, **alike))
    for binary, app_env in list(apps.values())[1:]:
        proc, _, _, _ = launch(binary, app_env, True)
        proc.wait(timeout=30)
    times = {name: [] for name in apps}
    for _ in range(runs):
        for name, (binary, app_env) in apps.items():
            proc, ms, _, _ = launch(binary, app_env, True)
            proc.wait(timeout=30)
            times[name].append(ms)
    for name in apps:
        print(f"start {name} median\t{statistics.median(times[name]):.3f}\tms", flush=True)
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"start ratio\t{median['keyward'] / median['hello']:.3f}\tx", flush=True)
    if alike:
        print(f"start alike ratio\t{median['keyward'] / median['hello-alike']:.3f}\tx", flush=True)
    memory = {}
    for name, (binary, app_env) in apps.items():
        proc, _, started, _ = launch(binary, app_env, False)
        time.sleep(max(0.0, 10.0 - (time.perf_counter() - started)))
        memory[name] = tree_memory_kb(proc.pid)
        proc.terminate()
        proc.wait(timeout=30)
    for line in memory_lines(memory):
        print(line, flush=True)


if __name__ == "__main__":
    main()
