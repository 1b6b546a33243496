"""Every keyword option of the public API is documented where `help()` shows it.

Each public function and method documents each of its options (a parameter with a default,
or a keyword-only one) in its docstring as a list entry::

    - name (type, default VALUE): what it means.

(`required` instead of a default for a keyword-only parameter without one). A class's
constructor options are documented in the class's docstring.
"""

from __future__ import annotations

import inspect
import re

import pytest

import ezla
import ezla.testing
import ezla.wk
import ezla.zus

ENTRY = re.compile(r"^- (?P<name>\w+) \((?P<spec>[^)]*)\): \S", re.M)


def _public_callables():
    seen = set()
    for module in (ezla, ezla.testing, ezla.zus, ezla.wk):
        # ezla.wk's names (Identity, Config, ...) are labelled with the module: ezla has an
        # Identity of its own.
        prefix = "wk." if module is ezla.wk else ""
        for bare in module.__all__:
            obj = getattr(module, bare)
            name = prefix + bare
            if id(obj) in seen or not callable(obj):
                continue
            seen.add(id(obj))
            if isinstance(obj, type):
                if issubclass(obj, BaseException):
                    continue  # exceptions document their constructor's fields as Attributes
                yield f"{name}()", obj, obj
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    member = getattr(obj, attr)
                    if callable(member):
                        yield f"{name}.{attr}", member, member
            else:
                yield name, obj, obj


def _options(obj):
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [
        p for p in signature.parameters.values()
        if p.name not in ("self", "cls")
        and (p.default is not inspect.Parameter.empty or p.kind is p.KEYWORD_ONLY)
    ]


def _render(default):
    if isinstance(default, str):
        return f'"{default}"'
    return repr(default)


CALLABLES = sorted((label, obj) for label, obj, _ in _public_callables())


def test_the_public_callables_are_found():
    labels = {label for label, _ in CALLABLES}
    for expected in ("sign_xades", "verify_xades", "Identity.from_pfx", "Zla.to_xml",
                     "ExternalSigner()", "make_test_doctor", "TestCa.issue_doctor",
                     "wk.ServiceProvider()", "wk.ServiceProvider.handle_artifact",
                     "wk.process_artifact_response", "make_wk_artifact_response"):
        assert expected in labels, expected


@pytest.mark.parametrize("label,obj", CALLABLES, ids=[label for label, _ in CALLABLES])
def test_every_keyword_option_is_documented(label, obj):
    options = _options(obj)
    if options is None:
        # Only a class that cannot be constructed from Python (made by ezla) has none.
        assert label.endswith("()"), f"{label} has no introspectable signature"
        with pytest.raises(TypeError):
            obj()
        return
    doc = inspect.getdoc(obj) or ""
    entries = {m["name"]: m["spec"] for m in ENTRY.finditer(doc)}
    missing = [p.name for p in options if p.name not in entries]
    assert not missing, f"{label}: options {missing} are not documented in:\n{doc}"
    known = set(inspect.signature(obj).parameters)
    stale = [name for name in entries if name not in known]
    assert not stale, f"{label}: documents {stale}, which it does not take"
    for p in options:
        spec = entries[p.name]
        if p.default is inspect.Parameter.empty:
            assert "required" in spec, f"{label}: {p.name} ({spec}) should say required"
        elif p.default is Ellipsis:
            assert "default " in spec, f"{label}: {p.name} ({spec}) has no default"
        else:
            want = f"default {_render(p.default)}"
            assert want in spec, f"{label}: {p.name} ({spec}) should say {want}"
