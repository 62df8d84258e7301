"""The Python stub and the core's one description of every option agree: the same names, the same
defaults. The core's description (`finsam.options()`) is what the command line and Python parse with."""

import ast
import pathlib

import finsam

STUB = pathlib.Path(__file__).resolve().parents[2] / "python" / "finsam" / "_finsam.pyi"


def _stub():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    filters = [stmt.target.id for stmt in classes["CohortFilters"].body if isinstance(stmt, ast.AnnAssign)]
    methods = {}
    for node in classes["Model"].body:
        if isinstance(node, ast.FunctionDef):
            keywords = {a.arg: ast.literal_eval(d) if d is not None else None for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults)}
            methods[node.name] = (keywords, node.args.kwarg.arg if node.args.kwarg else None)
    return filters, methods


def _default(option):
    default = option["default"]
    if option["kind"] == "months_list" and default is not None:
        return tuple(int(m) for m in default.split(","))
    if option["kind"] == "flag":
        return False
    return default


def test_the_stubs_cohort_filters_are_the_cores_in_order():
    filters, _ = _stub()
    explicit = {"lang", "raw", "protection"}
    core = [o["name"] for o in finsam.options()["report"] if o["name"] not in explicit]
    assert filters == core


def test_every_analysis_method_in_the_stub_takes_the_cores_options_with_its_defaults():
    filters, methods = _stub()
    for command, options in finsam.options().items():
        keywords, rest = methods[command]
        assert rest == "cohort", command
        core = {o["name"]: _default(o) for o in options}
        assert set(keywords) | set(filters) == set(core), command
        for name, default in keywords.items():
            assert default == core[name], f"{command}({name}=...): the stub says {default!r}, the core {core[name]!r}"


def test_a_keyword_outside_the_description_is_refused_by_name():
    m = finsam.demo()
    try:
        m.report(education="high")
    except TypeError as e:
        assert "'education'" in str(e) and "target_group" in str(e)
    else:
        raise AssertionError("an unknown keyword was accepted")


def test_keywords_take_python_values_and_refuse_look_alikes():
    m = finsam.demo()
    as_list = m.report(intervention="comung", age=[20, 24])
    as_tuple = m.report(intervention="comung", age=(20, 24))
    assert as_list.heading == as_tuple.heading == m.report(intervention="comung", age="20-24").heading
    for bad in ({"age": (True, 24)}, {"follow_up": True}, {"follow_up": "12"}):
        try:
            m.report(**bad)
        except TypeError:
            pass
        else:
            raise AssertionError(f"{bad} was accepted")
    try:
        m.survival(months=[True, 6])
    except TypeError:
        pass
    else:
        raise AssertionError("a bool was taken as a month")


def test_a_negative_number_of_months_is_an_invalid_argument_named_by_its_option():
    m = finsam.demo()
    for call in (lambda: m.report(follow_up=-1), lambda: m.survival(months=[-3])):
        try:
            call()
        except finsam.InvalidArgumentError as e:
            assert "follow_up" in str(e) or "months" in str(e), str(e)
        else:
            raise AssertionError("a negative number of months was accepted")
