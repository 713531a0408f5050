"""Every module of nnlib and tools says what it holds, and every public name says what it is.

A maintainer opens a file and reads, before any code, what it is for: the
module's docstring. Every public function, class and method (a name not
starting with "_", at a module's top level or in a public class) has one
too, so `help()` answers for each of them.
"""

import ast

import pytest

from tests.helpers import ROOT


SOURCES = sorted(path for folder in ("nnlib", "tools") for path in (ROOT / folder).rglob("*.py"))


def undocumented(path):
    """The public names in `path` without a docstring ("module" for the file itself)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [] if ast.get_docstring(tree) or path.stat().st_size == 0 else ["module"]

    def walk(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                if not ast.get_docstring(node):
                    missing.append(prefix + node.name)
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{prefix}{node.name}.")

    walk(tree.body, "")
    return missing


def test_the_rule_sees_a_missing_docstring(tmp_path):
    source = tmp_path / "example.py"
    source.write_text('"""A module."""\n\ndef shown():\n    pass\n\nclass Part:\n    """A part."""\n\n'
                      '    def method(self):\n        pass\n\n    def _private(self):\n        pass\n')
    assert undocumented(source) == ["shown", "Part.method"]


@pytest.mark.parametrize("path", SOURCES, ids=[str(path.relative_to(ROOT)) for path in SOURCES])
def test_every_module_and_public_name_has_a_docstring(path):
    assert undocumented(path) == []
