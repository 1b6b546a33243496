"""The benchmark document, byte for byte the same as `ezla_benches::namespaced_document`."""


def namespaced_document(target_bytes: int) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           '<k:Batch xmlns:k="http://www.zus.pl/2015/KED_ZLA_1" xmlns="http://example.org/default" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="urn:example:meta" wersja="1">\n']
    size = sum(len(s.encode()) for s in out)
    i = 0
    while size < target_bytes:
        item = (f'  <k:Item id="i{i}" m:seq="{i}" kolejnosc="{i % 2}" xsi:type="k:ZLA">\n'
                f'    <Name lang="pl">Pacjent {i} &amp; s-ka &lt;test&gt; ąęśćż</Name>\n'
                f'    <m:Note m:kind="a" b="x">   spaced\ttext   </m:Note>\n'
                f'    <!-- item {i} -->\n'
                f'    <Empty/>\n'
                f'  </k:Item>\n')
        out.append(item)
        size += len(item.encode())
        i += 1
    out.append('</k:Batch>\n')
    return "".join(out)
