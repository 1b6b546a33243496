"""Hostile input reaches the Python API as a clean EzlaError, never a dead interpreter.

Each input runs in a child interpreter: before the parser and the XPath evaluator were
bounded, the deep-nesting inputs overflowed the stack and killed the process outright, which
no ``pytest.raises`` can catch.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent(
    r"""
    import json, sys
    import ezla

    DS = "http://www.w3.org/2000/09/xmldsig#"
    F2 = "http://www.w3.org/2002/06/xmldsig-filter2"

    def signed_with_xpath(expression):
        # A signature whose reference carries an XPath Filter 2.0 expression: the
        # verifier reads (parses) it before anything else is checked.
        return (
            '<r><ds:Signature xmlns:ds="' + DS + '"><ds:SignedInfo>'
            '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
            '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
            '<ds:Reference URI=""><ds:Transforms>'
            '<ds:Transform Algorithm="' + F2 + '"><x:XPath xmlns:x="' + F2 + '" Filter="subtract">'
            + expression +
            '</x:XPath></ds:Transform></ds:Transforms>'
            '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
            '<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>'
            '<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature></r>'
        ).encode()

    n = 200_000
    cases = {
        "deep xpath": signed_with_xpath("(" * n + "1" + ")" * n),
        "deep xpath predicates": signed_with_xpath("a[" * 20_000 + "1" + "]" * 20_000),
        "deep elements": ("<a>" * n + "</a>" * n).encode(),
        "huge attribute count": ("<r" + "".join(f' a{i}=""' for i in range(n)) + "/>").encode(),
        "many namespaces": ("<r" + "".join(f' xmlns:p{i}="u{i}"' for i in range(n)) + "/>").encode(),
        "surrogate reference": b"<r>&#xD800;</r>",
    }
    out = {}
    for name, doc in cases.items():
        for fn in (ezla.verify_xmldsig, ezla.verify_xades, ezla.check_zla):
            try:
                fn(doc)
                out[f"{name}/{fn.__name__}"] = "accepted"
            except ezla.EzlaError as e:
                out[f"{name}/{fn.__name__}"] = [type(e).__name__, e.name, len(str(e))]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def outcomes() -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300
    )
    # A stack overflow kills the child with SIGSEGV/SIGABRT: a negative return code.
    assert proc.returncode == 0, f"child died ({proc.returncode}): {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    "case, name",
    [
        ("deep xpath", "XmlLimitExceeded"),
        ("deep xpath predicates", "XmlLimitExceeded"),
        ("deep elements", "XmlLimitExceeded"),
        ("huge attribute count", "XmlLimitExceeded"),
        ("many namespaces", "XmlLimitExceeded"),
        ("surrogate reference", "XmlMalformed"),
    ],
)
def test_hostile_input_is_a_clean_error(outcomes: dict, case: str, name: str) -> None:
    for fn in ("verify_xmldsig", "verify_xades"):
        result = outcomes[f"{case}/{fn}"]
        assert result != "accepted", f"{case} accepted by {fn}"
        cls, code_name, length = result
        assert code_name == name, f"{case}/{fn}: {result}"
        assert length < 500, f"{case}/{fn}: a {length}-character message"
    # The e-ZLA checker refuses it too (it may say so as a malformed document).
    assert outcomes[f"{case}/check_zla"] != "accepted"
