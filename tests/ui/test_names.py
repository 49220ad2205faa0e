"""Names in the UI say what they hold: no one-letter (or two-letter) bindings.

Every module under ``commandcenter/ui`` (less the generated forms and resources) is parsed, and
each name it binds is checked: parameters of functions and lambdas, assignment targets, loop
targets, ``with``/``except`` names and import aliases. A comprehension's targets may stay short
while it fits on one line (``[r.id for r in rows]`` reads fine); one spread over several lines
names them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import commandcenter.ui

UI = Path(commandcenter.ui.__file__).parent
GENERATED = {UI / "forms", UI / "resources_rc.py"}

# Short names that read as words or as the convention they follow. A name with a leading
# underscore (``lambda _index: self.refresh()``) says the value is deliberately ignored.
ALLOWED = {
    "_": "a value deliberately ignored",
    "i": "a row counter over a Qt table or list",
    "j": "a column counter over a Qt table, beside i",
    "db": "the Database, the project's own name for it everywhere",
    "ok": "whether a Qt input dialog was accepted",
}


def ui_modules() -> list[Path]:
    return sorted(
        path
        for path in UI.rglob("*.py")
        if not any(path == skip or skip in path.parents for skip in GENERATED)
    )


def _target_names(target: ast.AST) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _bound(node: ast.AST) -> Iterator[tuple[str, int]]:
    """The names a node binds, with their line; comprehension targets are not visited."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
        for arg in every:
            yield arg.arg, arg.lineno
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            for name in _target_names(target):
                yield name.id, name.lineno
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        for name in _target_names(node.target):
            yield name.id, name.lineno
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                for name in _target_names(item.optional_vars):
                    yield name.id, name.lineno
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, node.lineno
    elif isinstance(node, ast.NamedExpr):
        yield node.target.id, node.lineno
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, node.lineno


def _walk_outside_comprehensions(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.comprehension):
            continue  # its target; what the comprehension's body binds is still checked
        yield from _walk_outside_comprehensions(child)


COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _long_comprehension_targets(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Targets of comprehensions that span more than one line."""
    for node in ast.walk(tree):
        if isinstance(node, COMPREHENSIONS) and node.end_lineno != node.lineno:
            for generator in node.generators:
                for name in _target_names(generator.target):
                    yield name.id, name.lineno


def _is_short(name: str) -> bool:
    return len(name) <= 2 and name not in ALLOWED and not name.startswith("_")


def short_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound = [pair for node in _walk_outside_comprehensions(tree) for pair in _bound(node)]
    bound += _long_comprehension_targets(tree)
    where = path.relative_to(UI.parent)
    return [
        f"{where}:{line}: {name}"
        for name, line in sorted(bound, key=lambda pair: pair[1])
        if _is_short(name)
    ]


def test_ui_binds_no_short_names() -> None:
    found = [entry for path in ui_modules() for entry in short_names(path)]
    assert not found, "name these after what they hold:\n" + "\n".join(found)


def test_the_check_sees_what_it_should() -> None:
    # A guard on the checker itself: each kind of binding is caught, a comprehension's is not.
    source = (
        "import os as o\n"
        "def f(s, a): pass\n"
        "g = lambda v: [n for n in v]\n"
        "for d in []: pass\n"
        "with open('x') as fh: pass\n"
        "try: pass\n"
        "except OSError as e: pass\n"
        "if (w := 1): pass\n"
    )
    tree = ast.parse(source)
    bound = {
        name
        for node in _walk_outside_comprehensions(tree)
        for name, _line in _bound(node)
        if len(name) <= 2
    }
    assert bound == {"o", "f", "s", "a", "g", "v", "d", "fh", "e", "w"} - {"f"}
    spread = "rows = [\n    r.id\n    for r in rows\n]\nids = [q.id for q in rows]\n"
    assert [name for name, _line in _long_comprehension_targets(ast.parse(spread))] == ["r"]
