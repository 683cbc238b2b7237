"""The code a chapter shows as library code is the code lib/ runs.

Cells tagged `lib-source` write out a class or method of lib. Each function
they define (a method in a class body, a function registered with
`add_to_class`, or a plain function) must have the same statements as its
counterpart in lib: docstrings, comments, the annotations that are not ranges,
the `add_to_class` decorator and the `d2l.` before a name of lib may differ, and
lib may check its arguments with `check_...` calls that a lesson leaves out to
stay short (tests/test_hostile_inputs.py tests them); nothing else may differ.
An annotation that declares a range (`lr: d2l.Positive`) must be the same in both:
it is a check that the reader sees.

Each class a lesson shows must be shown whole: every method lib's class defines
is either shown in some lesson or named in a lib-source cell's comment
"# Not shown here: Class.method, ...", so that lib carries no behaviour a
reader is not told about.
"""
import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest

import lib

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))


def lib_object(name: str):
    """Find `name` in lib or one of its modules."""
    if hasattr(lib, name):
        return getattr(lib, name)
    for module_info in pkgutil.iter_modules(lib.__path__):
        module = importlib.import_module(f"lib.{module_info.name}")
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(f"lib has no {name!r}")


def is_add_to_class(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Call)
            and getattr(decorator.func, "attr", getattr(decorator.func, "id", None)) == "add_to_class")


def target_class_name(decorator: ast.Call) -> str:
    target = decorator.args[0]
    return target.attr if isinstance(target, ast.Attribute) else target.id


def is_argument_check(statement: ast.stmt) -> bool:
    """Whether `statement` is a bare call of a `check_...` function (lib/checks.py)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    called = statement.value.func
    name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
    return name.startswith("check_")


RANGES = {"Real", "Positive", "NonNegative", "PositiveInt", "NonNegativeInt", "Vector", "Tensors"}


class WithoutD2lPrefix(ast.NodeTransformer):
    """`d2l.name` (a lesson) becomes `name` (lib)."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "d2l":
            return ast.copy_location(ast.Name(id=node.attr, ctx=node.ctx), node)
        return self.generic_visit(node)


def declared_range(annotation) -> str:
    """The range an annotation declares ('Positive' for d2l.Positive), or ''."""
    name = getattr(annotation, "attr", getattr(annotation, "id", ""))
    return name if name in RANGES else ""


def normalised(function: ast.FunctionDef) -> str:
    """The function's statements, without docstring, argument checks, annotations other than
    ranges, add_to_class or the d2l. prefix."""
    function = WithoutD2lPrefix().visit(function)
    function.decorator_list = [d for d in function.decorator_list if not is_add_to_class(d)]
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    body = [statement for statement in body if not is_argument_check(statement)]
    function.body = body or [ast.Pass()]
    function.returns = None
    for argument in function.args.args + function.args.kwonlyargs + function.args.posonlyargs:
        argument.annotation = (ast.Name(id=declared_range(argument.annotation), ctx=ast.Load())
                               if declared_range(argument.annotation) else None)
    return ast.dump(function, include_attributes=False)


def lib_function_source(owner_name: str, function_name: str) -> ast.FunctionDef:
    owner = lib_object(owner_name) if owner_name else None
    target = lib_object(function_name) if owner is None else owner.__dict__.get(function_name)
    if target is None:
        raise LookupError(f"lib.{owner_name} defines no method {function_name!r} itself")
    tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
    return tree.body[0]


def shown_functions(source: str):
    """Yield (owner class name or '', FunctionDef) for each function a cell defines."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    for node in ast.parse(code).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    yield node.name, item
        elif isinstance(node, ast.FunctionDef):
            registrations = [d for d in node.decorator_list if is_add_to_class(d)]
            yield (target_class_name(registrations[0]) if registrations else ""), node


def lib_source_cells():
    for path in CHAPTERS:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code" and "lib-source" in cell.metadata.get("tags", []):
                yield pytest.param(cell.source, id=f"{path.stem}-cell{index}")


NOT_SHOWN = re.compile(r"#\s*Not shown here:(.*)")


def methods_the_lessons_account_for(sources) -> dict:
    """Class name -> the methods lessons show or name as not shown."""
    accounted = defaultdict(set)
    for source in sources:
        for owner, function in shown_functions(source):
            if owner:
                accounted[owner].add(function.name)
        for declared in NOT_SHOWN.findall(source):
            for owner, method in re.findall(r"(\w+)\.(\w+)", declared):
                accounted[owner].add(method)
    return accounted


def lib_methods(cls: type) -> set:
    """The methods and properties `cls` defines itself (functions it merely borrows excluded)."""
    return {name for name, value in vars(cls).items()
            if isinstance(value, property) or (inspect.isfunction(value)
                                               and value.__qualname__.startswith(cls.__name__ + "."))}


ACCOUNTED = methods_the_lessons_account_for([param.values[0] for param in lib_source_cells()])


@pytest.mark.parametrize("class_name", sorted(ACCOUNTED))
def test_lessons_account_for_every_method_of_the_classes_they_show(class_name):
    unaccounted = lib_methods(lib_object(class_name)) - ACCOUNTED[class_name]
    assert not unaccounted, (f"lib's {class_name} has {sorted(unaccounted)}, which no lesson shows: "
                             "show them in a lib-source cell or name them there in a comment "
                             f"'# Not shown here: {class_name}.<method>'")


def test_the_method_count_notices_a_method_no_lesson_mentions():
    shown = "class SGD:\n    def step(self):\n        pass\n# Not shown here: SGD.zero_grad\n"
    accounted = methods_the_lessons_account_for([shown])
    assert accounted["SGD"] == {"step", "zero_grad"}
    assert lib_methods(lib.SGD) - accounted["SGD"] == {"__init__"}


@pytest.mark.parametrize("source", list(lib_source_cells()))
def test_shown_code_matches_lib(source):
    functions = list(shown_functions(source))
    assert functions, "a cell tagged lib-source must define a function or method"
    for owner, shown in functions:
        expected = lib_function_source(owner, shown.name)
        assert normalised(shown) == normalised(expected), (
            f"{owner + '.' if owner else ''}{shown.name} differs from lib's version")


def test_the_comparison_notices_a_changed_statement():
    shown = "@d2l.add_to_class(d2l.Module)\ndef training_step(self, batch):\n    return 0\n"
    (owner, function), = shown_functions(shown)
    assert owner == "Module"
    assert normalised(function) != normalised(lib_function_source(owner, function.name))


def test_the_comparison_accepts_lib_code_without_docstrings_and_hints():
    shown = ("class SGD(d2l.HyperParameters):\n"
             "    def __init__(self, params: d2l.Tensors, lr: d2l.Positive):\n"
             "        self.save_hyperparameters()\n")
    (owner, function), = shown_functions(shown)
    assert normalised(function) == normalised(lib_function_source(owner, function.name))


def test_the_comparison_notices_a_range_left_out():
    shown = ("class SGD(d2l.HyperParameters):\n"
             "    def __init__(self, params: d2l.Tensors, lr):\n"
             "        self.save_hyperparameters()\n")
    (owner, function), = shown_functions(shown)
    assert normalised(function) != normalised(lib_function_source(owner, function.name))


def test_the_comparison_lets_a_lesson_leave_out_argument_checks_only():
    without_checks = ("class KFoldData(d2l.DataModule):\n"
                      "    def __init__(self, data, num_folds: d2l.PositiveInt,\n"
                      "                 fold: d2l.NonNegativeInt):\n"
                      "        super().__init__()\n"
                      "        self.save_hyperparameters()\n"
                      "        folds = fold_indices(data.num_train, num_folds)\n"
                      "        self.batch_size = data.batch_size\n"
                      "        self.val_indices = folds[fold]\n"
                      "        self.train_indices = torch.cat(folds[:fold] + folds[fold + 1:])\n")
    without_a_statement = without_checks.replace("        self.batch_size = data.batch_size\n", "")
    lib_version = normalised(lib_function_source("KFoldData", "__init__"))
    (_, function), = shown_functions(without_checks)
    assert normalised(function) == lib_version
    (_, function), = shown_functions(without_a_statement)
    assert normalised(function) != lib_version
