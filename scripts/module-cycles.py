#!/usr/bin/env python3
"""Fails when the modules of a crate import each other in a circle (issue 13 §6).

For every `src/` folder of the workspace (the crates and `src-tauri`), each `.rs` file is a
module; an edge A → B is a `crate::B…` or `super::B…` path in A's code (comments and the
`#[cfg(test)] mod tests` block left out). A strongly connected set of two or more modules is a
circle, printed with its edges. A parent and its own submodules count too: the parent uses a
child when its code names `child::…`, a child uses its parent when it names `super::item` for an
item of the parent (not a sibling module) — a parent that dispatches to children which borrow
its types is a circle, broken by giving the shared types their own module.

    scripts/module-cycles.py            # every crate, exit 1 on a circle
    scripts/module-cycles.py src-tauri/src
"""
import os
import re
import sys
from collections import defaultdict


def modules(root):
    found = {}
    for folder, _, files in os.walk(root):
        for f in files:
            if f.endswith(".rs"):
                path = os.path.join(folder, f)
                name = os.path.relpath(path, root)[:-3].replace("/mod", "").replace("/", "::")
                text = open(path, encoding="utf-8").read()
                text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
                text = "\n".join(l for l in text.split("\n") if not l.strip().startswith("//"))
                found[name] = text
    return found


def edges(found):
    graph = defaultdict(set)
    for name, text in found.items():
        for ref in re.findall(r"crate::([a-z_]+(?:::[a-z_]+)*)", text):
            parts = ref.split("::")
            for k in range(len(parts), 0, -1):
                target = "::".join(parts[:k])
                if target in found and target != name:
                    graph[name].add(target)
                    break
        parent = name.rsplit("::", 1)[0] if "::" in name else ""
        refs = re.findall(r"super::([A-Za-z_*]+)", text)
        for group in re.findall(r"super::\{([^}]*)\}", text):
            refs += [r.strip().split("::")[0].split(" ")[0] for r in group.split(",") if r.strip()]
        for ref in refs:
            target = f"{parent}::{ref}" if parent else ref
            if target in found and target != name:
                graph[name].add(target)
            elif parent in found:
                # An item of the parent (a type, a function, a glob): the child uses its parent.
                graph[name].add(parent)
        depth = name.count("::") + 1 if name else 0
        for child in found:
            if child.startswith(f"{name}::" if name else "") and child.count("::") + 1 == depth + 1:
                short = child.rsplit("::", 1)[-1]
                if re.search(r"(?<![:\w])" + short + r"::", text):
                    graph[name].add(child)
    return graph


def circles(names, graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for v in sorted(names):
        if v not in index:
            visit(v)
    return out


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    roots = sys.argv[1:] or [os.path.join(here, "src-tauri/src")] + sorted(
        os.path.join(here, "crates", c, "src")
        for c in os.listdir(os.path.join(here, "crates"))
        if os.path.isdir(os.path.join(here, "crates", c, "src"))
    )
    failed = False
    for root in roots:
        found = modules(root)
        graph = edges(found)
        for part in circles(found, graph):
            failed = True
            print(f"{os.path.relpath(root, here)}: modules in a circle: {', '.join(part)}")
            for a in part:
                print(f"  {a} -> {', '.join(sorted(b for b in graph[a] if b in part))}")
    if failed:
        sys.exit(1)
    print(f"module-cycles: no circle in {len(roots)} source folders")


if __name__ == "__main__":
    main()
