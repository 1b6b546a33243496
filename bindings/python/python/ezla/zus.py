"""The ZUS channel (*kanał gabinetowy*): log in, look up, issue e-ZLA certificates to ZUS.

:class:`Client` talks to ZUS's SOAP service (or to the ``ezla-sim`` simulator) over TLS,
HTTP/1.1 and Basic authentication. It logs in with the doctor's key, renews a session ZUS
drops, and records every document it sends in a journal (a SQLite file) before sending, so
that a send whose outcome is unknown is settled by :meth:`Client.reconcile` and never sent
twice. The GIL is released while it talks to ZUS and signs, so it can serve a Django or
FastAPI view from a thread pool.

>>> import ezla, ezla.zus
>>> identity = ezla.Identity.from_file("doctor.pfx", "hasło")              # doctest: +SKIP
>>> with ezla.zus.Client(url, ca_pem=ca, journal="journal.sqlite") as zus:  # doctest: +SKIP
...     report = zus.issue(ezla.Zla.from_json(text), identity)
...     for doc in report.documents:
...         print(doc.kind, doc.seria_numer, len(doc.upp))

Errors: :class:`ezla.ZusError` for what ZUS refused (``.zus_code``, ``.zus_text``,
``.problems``), :class:`ezla.TransportError` (an ``OSError``) when ZUS could not be reached.
"""

from ezla._ezla import BladWalidacji, IssuedCertificate, IssueReport, Receipted
from ezla._ezla import ZusClient as Client

__all__ = [
    "Client",
    "IssueReport",
    "IssuedCertificate",
    "Receipted",
    "BladWalidacji",
]
