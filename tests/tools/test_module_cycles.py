#!/usr/bin/env python3
"""module_cycles.py must fail where it should: a tiny core with a cycle, one with an import
against the layers, and one that is clean, each written to a temporary tree and checked."""
import os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "module_cycles.py")

LIB = "mod app;\npub mod model;\npub mod ops;\npub mod store;\npub use app::Keyward;\n"
BASE = {
    "lib.rs": LIB,
    "model/mod.rs": "mod kind;\npub mod rules;\npub use kind::*;\n",
    "model/kind.rs": "pub enum KeyKind {}\n",
    "model/rules.rs": "use crate::model::KeyKind;\n",
    "store/mod.rs": "use crate::model::{KeyKind, rules::clip};\n",
    "app.rs": "use crate::store;\npub struct Keyward;\n",
    "ops/mod.rs": "pub mod keys;\n",
    "ops/keys.rs": "impl crate::Keyward {}\nuse crate::model::KeyKind;\n",
}


def run(changes, *args):
    with tempfile.TemporaryDirectory() as root:
        for path, text in {**BASE, **changes}.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        done = subprocess.run([sys.executable, CHECK, root, *args], capture_output=True, text=True)
        return done.returncode, done.stdout


def expect(name, changes, code, *words, args=()):
    got, out = run(changes, *args)
    ok = got == code and all(w in out for w in words)
    print(("ok  " if ok else "FAIL") + f" {name}")
    if not ok:
        print(out)
    return ok


results = [
    expect("a clean core passes", {}, 0, "no cycle", "no import against the layers"),
    # kind -> rules -> kind, inside model/: each file of the folder is its own node.
    expect("a cycle inside model/ fails", {"model/kind.rs": "use crate::model::rules;\npub enum KeyKind {}\n"}, 1,
           "cycle of 2: model::kind, model::rules"),
    # A name re-exported by lib.rs resolves to the module defining it.
    expect("model importing Keyward fails, as a cycle and against the layers",
           {"model/rules.rs": "fn f(_: &crate::Keyward) {}\n"}, 1, "against the layers: model::rules (layer 1) imports app (layer 3)"),
    expect("the store importing ops fails against the layers", {"store/mod.rs": "use crate::ops::keys;\n"}, 1,
           "against the layers: store (layer 2) imports ops::keys (layer 4)"),
    expect("an import only in a test counts", {"store/mod.rs": "#[cfg(test)]\nmod tests { use crate::ops::keys; }\n"}, 1,
           "store (layer 2) imports ops::keys"),
    expect("... and --no-tests drops it", {"store/mod.rs": "#[cfg(test)]\nmod tests { use crate::ops::keys; }\n"}, 0,
           "no import against the layers", args=("--no-tests",)),
]
sys.exit(0 if all(results) else 1)
