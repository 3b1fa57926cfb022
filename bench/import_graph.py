"""Import-graph measures of the govpub package: backward imports against govpub/layers.py and circles.

    python bench/import_graph.py [--repo DIR]

Counts, from every `import` in govpub/ (function-level ones too; tests are not part of the package):
- app level: app → app edges, the edges that point at an app in the same or a higher declared layer
  (each named), and the circles between apps (strongly connected components of more than one app);
- file level: circles between modules (strongly connected components of the module graph).
Pure stdlib; reads the layering of the tree it measures (so an old commit is measured by its own rules,
or by today's when it has none: pass --layers-from DIR).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import pathlib
import sys
from collections import defaultdict


def modules(root: pathlib.Path) -> dict[str, pathlib.Path]:
    found = {}
    for path in sorted((root / "govpub").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: pathlib.Path, known: set[str]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "govpub":
                out.add(target)
    return out


def app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]; counter[0] += 1; stack.append(start); on.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]; counter[0] += 1; stack.append(child); on.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop(); on.discard(member); component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return sorted(out)


def load_layers(root: pathlib.Path):
    spec = importlib.util.spec_from_file_location("measured_layers", root / "govpub" / "layers.py")
    layers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layers)
    return layers.layer_of


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(pathlib.Path(__file__).resolve().parent.parent))
    parser.add_argument("--layers-from", help="read govpub/layers.py from this tree instead")
    options = parser.parse_args(argv)
    root = pathlib.Path(options.repo)
    layer_of = load_layers(pathlib.Path(options.layers_from or options.repo))
    mods = modules(root)
    graph = {name: imports(name, path, set(mods)) for name, path in mods.items()}
    app_edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            if app(source) != app(target):
                app_edges[(app(source), app(target))].add(f"{source} → {target}")
    backward = {}
    for (a, b), why in sorted(app_edges.items()):
        try:
            if layer_of(b) >= layer_of(a):
                backward[(a, b)] = why
        except KeyError:  # an app the layering does not declare
            backward[(a, b)] = why
    app_graph = defaultdict(set)
    for a, b in app_edges:
        app_graph[a].add(b)
    app_circles = circles(dict(app_graph))
    file_circles = circles(graph)
    print(f"modules {len(mods)}, imports {sum(map(len, graph.values()))}, app→app edges {len(app_edges)}")
    print(f"backward app edges (to the same or a higher layer): {len(backward)}, "
          f"module imports along them: {sum(map(len, backward.values()))}")
    for (a, b), why in backward.items():
        print(f"  {a} → {b}: {', '.join(sorted(why))}")
    print(f"circles between apps: {len(app_circles)}" + "".join(f"\n  {' ⇄ '.join(c)}" for c in app_circles))
    print(f"circles between files: {len(file_circles)}" + "".join(f"\n  {' ⇄ '.join(c)}" for c in file_circles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
