"""lxml (libxml2) parse + canonicalization throughput on the benchmark document.

Run: python benches/compare/c14n_lxml.py   (needs `pip install lxml`)
Prints MiB/s for parse+C14N 1.0 and parse+exclusive C14N, and for C14N of a parsed tree,
to put beside `cargo bench -p ezla-benches --bench c14n`.
"""
import sys
import time

from lxml import etree

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gen_doc import namespaced_document  # noqa: E402

DOC = namespaced_document(1 << 20).encode()
MIB = len(DOC) / (1 << 20)


def rate(fn, seconds=3.0):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    per = (time.perf_counter() - start) / n
    return MIB / per, per * 1000


def parse_c14n(exclusive):
    def run():
        tree = etree.fromstring(DOC, etree.XMLParser(remove_blank_text=False)).getroottree()
        tree.write_c14n(_Sink(), exclusive=exclusive, with_comments=False)
    return run


class _Sink:
    def write(self, b):
        pass


parsed = etree.fromstring(DOC).getroottree()
print(f"document: {len(DOC)} bytes, lxml {etree.LXML_VERSION}, libxml2 {etree.LIBXML_VERSION}")
for name, fn in [
    ("parse", lambda: etree.fromstring(DOC)),
    ("parse+inclusive", parse_c14n(False)),
    ("parse+exclusive", parse_c14n(True)),
    ("inclusive (parsed)", lambda: parsed.write_c14n(_Sink(), exclusive=False, with_comments=False)),
    ("exclusive (parsed)", lambda: parsed.write_c14n(_Sink(), exclusive=True, with_comments=False)),
]:
    mibs, ms = rate(fn)
    print(f"lxml {name:20s} {mibs:7.1f} MiB/s  {ms:7.2f} ms")
