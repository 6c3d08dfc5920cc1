#!/usr/bin/env python3
"""Size figures for make bench, printed as figure<TAB>value<TAB>unit lines:

  sizes.py bundle DIR   each built UI chunk (DIR/*.js, *.css): its bytes raw and gzipped.
  sizes.py crates APP HELLO
                        the biggest crates of APP's code, as cargo bloat --crates counts them
                        (each function symbol's size, by the crate its name starts with; C code
                        by its library), from the symbol table of the very binary measured, and
                        the same crate's bytes in HELLO: what Keyward adds to bare Tauri."""

import collections
import glob
import gzip
import os
import re
import subprocess
import sys


def bundle_lines(directory: str) -> list:
    lines = []
    chunks = sorted(glob.glob(os.path.join(directory, "*.js")) + glob.glob(os.path.join(directory, "*.css")))
    for path in chunks:
        data = open(path, "rb").read()
        name = os.path.basename(path)
        # zlib's default level, 6, as most tools that report a gzipped size use (Python's gzip
        # module defaults to 9).
        packed = gzip.compress(data, compresslevel=6)
        lines.append(f"chunk {name} raw\t{len(data)}\tbytes")
        lines.append(f"chunk {name} gzip\t{len(packed)}\tbytes")
    return lines


def crate_of(symbol: str) -> str:
    """The crate a demangled symbol belongs to: the first path segment, looking through `<`,
    `&`, `dyn` and `impl` (`<reqwest::Client as Foo>::bar` is reqwest's); C symbols by family."""
    name = re.sub(r"^(<|&|mut |dyn |impl |\()+", "", symbol)
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    if m:
        return m.group(1)
    for prefix, lib in (("sqlite3", "[C] sqlite"), ("ring_", "[C] ring"), ("GFp", "[C] ring"), ("dbus_", "[C] libdbus")):
        if name.startswith(prefix):
            return lib
    return "[unknown]"


def crate_sizes(binary: str) -> collections.Counter:
    listed = subprocess.run(["nm", "--print-size", "--demangle", "--radix=d", binary], capture_output=True, text=True, check=True).stdout
    sizes = collections.Counter()
    # "address size type name"; undefined symbols have neither address nor size, and are skipped.
    for m in re.finditer(r"^\S+ (\d+) [tTwW] (.+)$", listed, re.M):
        sizes[crate_of(m.group(2))] += int(m.group(1))
    return sizes


def crate_lines(app: str, hello: str, top: int = 15) -> list:
    mine, bare = crate_sizes(app), crate_sizes(hello)
    if not mine:
        raise SystemExit(f"{app} has no symbol table: the release profile must keep it (strip = \"debuginfo\")")
    lines = [f"bloat text section\t{sum(mine.values())}\tbytes", f"bloat file with symbols\t{os.path.getsize(app)}\tbytes"]
    for name, size in mine.most_common(top):
        lines.append(f"crate {name}\t{size}\tbytes")
        lines.append(f"hello crate {name}\t{bare.get(name, 0)}\tbytes")
    return lines


def main():
    if sys.argv[1:2] == ["bundle"] and len(sys.argv) == 3:
        lines = bundle_lines(sys.argv[2])
    elif sys.argv[1:2] == ["crates"] and len(sys.argv) == 4:
        lines = crate_lines(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("usage: sizes.py bundle DIR | sizes.py crates APP HELLO")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
