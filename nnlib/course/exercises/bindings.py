"""The names a piece of Python binds in its own scope: one visitor, for the checks and for the student edition.

`Bindings` visits the statements of one scope (a cell, a solution region)
and records, in order, every name they bind there: by `=`, `+=`, `:=`,
`for`, `with ... as`, `import`, `def`, `class`, `match` patterns, inside
loops, branches and `try` too, but not inside a function's or class's body
(another scope) nor a comprehension's own variables. It also records the
names deleted, `global`/`nonlocal` lines, whether the scope returns, and a
`from ... import *`. Code that IPython runs from a string (`%time x = 1`
becomes `get_ipython().run_line_magic('time', 'x = 1')`) is read too.

Two readers share it: `cells.py`, which marks the names a cell that raised
left stale, and the student edition (`tools/student_edition.py`), which
sets every name a solution binds to `...`. nnlib must not import tools, so
the one visitor lives here and the tools import it.
"""

import ast

MAGIC_CALLS = ("run_line_magic", "run_cell_magic")  # IPython's calls that run code given as a string


class Bindings(ast.NodeVisitor):
    """What the statements of one scope bind: visit them, then read the attributes.

    Attributes
    ----------
    names : list of str
        Every name bound in the scope, in order of first binding.
    only_imported : set of str
        Names bound by nothing but an `import`.
    deleted : list of str
        Names a `del` statement removes.
    declared : list of str
        `global ...` and `nonlocal ...` lines, as written.
    returns : bool
        Whether the scope returns (or yields).
    star_import : str or None
        The module of a `from ... import *`, whose names cannot be known.
    """

    def __init__(self):
        self.names, self.only_imported, self.deleted, self.declared = [], set(), [], []
        self.returns, self.star_import = False, None

    def bind(self, name, by_import=False):
        """Record that `name` is bound (`by_import`: by an import statement)."""
        if name not in self.names:
            self.names.append(name)
            if by_import:
                self.only_imported.add(name)
        elif not by_import:
            self.only_imported.discard(name)

    def bind_target(self, node):
        """`a`, `a, *b`, `[a, b]` bind names; `x[i]` and `x.a` bind none (but may hold a `:=`)."""
        if isinstance(node, ast.Name):
            self.bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.bind_target(element)
        elif isinstance(node, ast.Starred):
            self.bind_target(node.value)
        else:
            self.visit(node)

    def visit_Assign(self, node):
        """`a = b = value` binds a and b."""
        for target in node.targets:
            self.bind_target(target)
        self.visit(node.value)

    def visit_AugAssign(self, node):
        """`a += value` binds a."""
        self.bind_target(node.target)
        self.visit(node.value)

    def visit_AnnAssign(self, node):
        """`a: int = value` binds a; `a: int` alone binds nothing."""
        if node.value is not None:
            self.bind_target(node.target)
            self.visit(node.value)

    def visit_NamedExpr(self, node):
        """`(a := value)` binds a, in the enclosing scope even inside a comprehension."""
        self.bind_target(node.target)
        self.visit(node.value)

    def visit_For(self, node):
        """`for a in ...` binds a; its body and `else` are the same scope."""
        self.bind_target(node.target)
        for child in [node.iter, *node.body, *node.orelse]:
            self.visit(child)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        """`with ... as a` binds a; its body is the same scope."""
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars)
        for child in node.body:
            self.visit(child)

    visit_AsyncWith = visit_With

    def visit_Import(self, node):
        """`import a.b` binds a; `import a.b as c` binds c."""
        for alias in node.names:
            self.bind(alias.asname or alias.name.partition(".")[0], by_import=True)

    def visit_ImportFrom(self, node):
        """`from m import a` binds a; `from m import *` binds names no one can list."""
        for alias in node.names:
            if alias.name == "*":
                self.star_import = node.module or "."
            else:
                self.bind(alias.asname or alias.name, by_import=True)

    def visit_FunctionDef(self, node):
        """The name is bound here; the body is another scope (only defaults and decorators run here)."""
        self.bind(node.name)
        for child in [*node.decorator_list, node.args]:
            self.visit(child)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        """The name is bound here; the body is another scope."""
        self.bind(node.name)
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)

    def visit_Lambda(self, node):
        """A lambda's body is another scope; its defaults run here."""
        self.visit(node.args)

    def visit_Delete(self, node):
        """`del a` removes a: it no longer holds what it held."""
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.deleted.append(target.id)
            else:
                self.visit(target)

    def visit_Global(self, node):
        """`global a` is kept as written: the names it declares are the module's."""
        self.declared.append("global " + ", ".join(node.names))

    def visit_Nonlocal(self, node):
        """`nonlocal a` is kept as written."""
        self.declared.append("nonlocal " + ", ".join(node.names))

    def visit_Return(self, node):
        """The scope returns something."""
        self.returns = True
        self.generic_visit(node)

    visit_Yield = visit_YieldFrom = visit_Return

    def visit_MatchAs(self, node):
        """`case [a, *rest]`, `case Point(x=a)`, `case ... as a` bind a."""
        if node.name:
            self.bind(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node):
        """`case [first, *rest]` binds rest."""
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node):
        """`case {"k": v, **rest}` binds rest (and v)."""
        if node.rest:
            self.bind(node.rest)
        self.generic_visit(node)

    def visit_TypeAlias(self, node):
        """`type A = ...` binds A."""
        self.bind(node.name.id)

    def visit_Call(self, node):
        """IPython's %time and %%time run code given as text: what that code binds, this cell binds."""
        last = node.args[-1] if node.args else None
        if getattr(node.func, "attr", "") in MAGIC_CALLS and isinstance(getattr(last, "value", None), str):
            try:
                inner = ast.parse(last.value)
            except (SyntaxError, ValueError):
                inner = None
            for statement in (inner.body if inner else []):
                self.visit(statement)
        self.generic_visit(node)


def bindings(tree):
    """The `Bindings` of a parsed module's top-level statements (`ast.parse(source)`)."""
    found = Bindings()
    for statement in tree.body:
        found.visit(statement)
    return found
