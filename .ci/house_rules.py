"""The house rules that ruff and import-linter do not check (`make lint` runs this).

1. No Python module outside migrations and tests is longer than 500 lines, unless the first
   lines of its docstring say why: "Longer than 500 lines because …".
2. Every public function and method (a name without a leading underscore, in a class without
   one) of ``cooperation/core/``, of ``cooperation/seed/`` and of every module named
   ``selectors.py`` or ``services.py`` has an annotation on each argument (``self`` and ``cls``
   aside) and a return annotation.

Each offence is printed as ``path:line: what``; the exit status is 1 if there is any.

    python .ci/house_rules.py [ROOT]
"""

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_LINES = 500
MARKER = "longer than 500 lines because"
MARKER_LINES = 3  # the docstring's first lines that may carry the marker
ANNOTATED_PACKAGES = (("cooperation", "core"), ("cooperation", "seed"))
ANNOTATED_MODULES = {"selectors.py", "services.py"}
SKIPPED_FOLDERS = {"migrations", "tests", "node_modules", "__pycache__", "staticfiles", "media", "screenshots"}


def python_files(root: Path) -> Iterator[Path]:
    """The project's Python files under ``root``: no virtualenv, hidden folder (but .ci), migration or test."""
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            name
            for name in folders
            if name not in SKIPPED_FOLDERS
            and (not name.startswith(".") or name == ".ci")
            and not (Path(folder) / name / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def length_offences(path: Path, text: str, tree: ast.Module) -> Iterator[str]:
    lines = len(text.splitlines())
    if lines <= MAX_LINES:
        return
    docstring = ast.get_docstring(tree) or ""
    if MARKER not in " ".join(docstring.splitlines()[:MARKER_LINES]).lower():
        yield (
            f"{path}:1: {lines} lines, over {MAX_LINES}, and the docstring's first lines do not say why "
            '("Longer than 500 lines because …"): split it by job'
        )


def needs_annotations(relative: Path) -> bool:
    parts = relative.parts
    return relative.name in ANNOTATED_MODULES or any(parts[: len(package)] == package for package in ANNOTATED_PACKAGES)


def public_functions(node: ast.AST, in_class: bool = False) -> Iterator[tuple[ast.FunctionDef, bool]]:
    """Public functions of a module and public methods of its public classes (nested ones too),
    with whether each is a method; functions inside functions are not public."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            if not child.name.startswith("_"):
                yield child, in_class
        elif isinstance(child, ast.ClassDef):
            if not child.name.startswith("_"):
                yield from public_functions(child, in_class=True)
        elif isinstance(child, ast.If | ast.Try | ast.With):  # definitions under `if TYPE_CHECKING:` and the like
            yield from public_functions(child, in_class)


def is_static(function: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)


def annotation_offences(path: Path, tree: ast.Module) -> Iterator[str]:
    for function, is_method in public_functions(tree):
        arguments = function.args
        positional = [*arguments.posonlyargs, *arguments.args]
        if is_method and not is_static(function) and positional and positional[0].arg in {"self", "cls"}:
            positional = positional[1:]
        named = [*positional, *arguments.kwonlyargs]
        missing = [argument.arg for argument in named if argument.annotation is None]
        missing += [f"*{a.arg}" for a in (arguments.vararg,) if a is not None and a.annotation is None]
        missing += [f"**{a.arg}" for a in (arguments.kwarg,) if a is not None and a.annotation is None]
        problems = []
        if missing:
            problems.append(f"no annotation on {', '.join(missing)}")
        if function.returns is None:
            problems.append("no return annotation")
        if problems:
            yield f"{path}:{function.lineno}: {function.name}(): {' and '.join(problems)}"


def offences(root: Path) -> Iterator[str]:
    for path in python_files(root):
        relative = path.relative_to(root)
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(relative))
        yield from length_offences(relative, text, tree)
        if needs_annotations(relative):
            yield from annotation_offences(relative, tree)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = 0
    for offence in offences(root):
        print(offence)
        found += 1
    if found:
        print(f"\n{found} offence{'s' if found != 1 else ''} against the house rules (.ci/house_rules.py says which).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
