#!/usr/bin/env python3
"""Size figures for make bench, printed as figure<TAB>value<TAB>unit lines:

  sizes.py bundle DIR   each built UI chunk (DIR/*.js, *.css): its bytes raw and gzipped.
  sizes.py bloat        `cargo bloat --crates --message-format json` (stdin): the biggest crates
                        of the binary, their bytes of its .text section."""

import glob
import gzip
import json
import os
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


def bloat_lines(report: dict) -> list:
    lines = [
        f"bloat text section\t{report['text-section-size']}\tbytes",
        f"bloat file with symbols\t{report['file-size']}\tbytes",
    ]
    lines += [f"crate {c['name']}\t{c['size']}\tbytes" for c in report["crates"]]
    return lines


def main():
    if sys.argv[1:2] == ["bundle"] and len(sys.argv) == 3:
        lines = bundle_lines(sys.argv[2])
    elif sys.argv[1:] == ["bloat"]:
        lines = bloat_lines(json.loads(sys.stdin.read()))
    else:
        raise SystemExit("usage: sizes.py bundle DIR | sizes.py bloat < cargo-bloat.json")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
