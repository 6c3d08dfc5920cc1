#!/usr/bin/env python3
"""Start-up figures for make bench, run under Xvfb: time from spawn to "painted" (the window's
own report) for Keyward with a 10,000-key inventory and for the bare Tauri hello world, median of
RUNS launches each, alternating; then the resident memory of each app's whole process tree
(WebKit runs its page in child processes) 10 s after start. Prints figure<TAB>value<TAB>unit."""

import os
import statistics
import subprocess
import sys
import time


def tree_rss_kb(root: int) -> int:
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
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def launch(binary: str, env: dict, exit_when_ready: bool):
    env = dict(env, KEYWARD_REPORT_READY="1")
    if exit_when_ready:
        env["KEYWARD_EXIT_WHEN_READY"] = "1"
    started = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if "ready" in line:
            return proc, (time.perf_counter() - started) * 1000.0, started
    raise SystemExit(f"{binary} ended without reporting ready")


def main():
    keyward, hello, data, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    env = dict(os.environ, KEYWARD_DATA_DIR=data, KEYWARD_LOG="warn")
    apps = {"keyward": keyward, "hello": hello}
    times = {name: [] for name in apps}
    for name, binary in apps.items():  # one unmeasured launch each: the binary and WebKit paged in
        proc, _, _ = launch(binary, env, True)
        proc.wait(timeout=30)
    for _ in range(runs):
        for name, binary in apps.items():
            proc, ms, _ = launch(binary, env, True)
            proc.wait(timeout=30)
            times[name].append(ms)
    for name in apps:
        print(f"start {name} median\t{statistics.median(times[name]):.3f}\tms", flush=True)
    print(f"start ratio\t{statistics.median(times['keyward']) / statistics.median(times['hello']):.3f}\tx", flush=True)
    rss = {}
    for name, binary in apps.items():
        proc, _, started = launch(binary, env, False)
        time.sleep(max(0.0, 10.0 - (time.perf_counter() - started)))
        rss[name] = tree_rss_kb(proc.pid) / 1024.0
        proc.terminate()
        proc.wait(timeout=30)
        print(f"rss {name} 10 s after start\t{rss[name]:.3f}\tMiB", flush=True)
    print(f"rss ratio\t{rss['keyward'] / rss['hello']:.3f}\tx", flush=True)


main()
