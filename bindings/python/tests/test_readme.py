"""The README's Python example runs as written (issue 18: it used undefined names)."""

from __future__ import annotations

import re
import sys

from conftest import REPO, run

README = REPO / "README.md"


def python_blocks() -> "list[str]":
    """The fenced ```python blocks of the README's `## Getting started in Python` section (its
    subsections included, up to the next `## ` heading)."""
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Getting started in Python\n")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else len(text)]
    return re.findall(r"^```python\n(.*?)^```$", section, flags=re.S | re.M)


def test_the_section_has_the_examples():
    blocks = python_blocks()
    assert len(blocks) >= 2, blocks
    assert "ezla.testing.make_test_ca()" in blocks[0]
    assert "ezla.sign_xades(document, doctor)" in blocks[-1]


def test_readme_python_example_runs_as_written(tmp_path):
    # Every block of the section, in order, in one fresh interpreter in an empty directory:
    # what a newcomer pasting them gets.
    script = tmp_path / "readme_example.py"
    script.write_text("\n".join(python_blocks()), encoding="utf-8")
    result = run([sys.executable, str(script)], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Anna Nowak" in result.stdout and "44051401359" in result.stdout, result.stdout


def test_readme_signing_example_needs_only_the_pfx_the_ca_and_the_document(tmp_path, ca):
    # The last block alone, with fixtures made here by the session's test CA: it uses no
    # name the first block defines.
    doctor = ca.issue_doctor("Ewa", "Kurek", "02070803628")
    (tmp_path / "lekarz.pfx").write_bytes(doctor.to_pfx("hasło", iterations=2048))
    (tmp_path / "ca.pem").write_bytes(ca.certificate.to_pem())
    (tmp_path / "zla.xml").write_bytes(b"<KEDU xmlns='http://www.zus.pl/2015/KED_ZLA_1'/>")
    script = tmp_path / "readme_sign.py"
    script.write_text(python_blocks()[-1], encoding="utf-8")
    result = run([sys.executable, str(script)], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ewa Kurek" in result.stdout and "02070803628" in result.stdout, result.stdout


def test_package_readme_example_runs_as_written(tmp_path):
    # The package's own README (what PyPI shows) has one example; it runs too.
    text = (REPO / "bindings" / "python" / "README.md").read_text(encoding="utf-8")
    [block] = re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)
    script = tmp_path / "package_readme.py"
    script.write_text(block, encoding="utf-8")
    result = run([sys.executable, str(script)], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("chain CN=Jan Kowalski"), result.stdout
