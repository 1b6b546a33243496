"""login.gov.pl (Węzeł Krajowy): log people in with Profil Zaufany, e-dowód, mObywatel or
their bank, as a SAML 2.0 service provider.

:class:`Config` says who we are at login.gov.pl (entity ID, ACS URL, our signing and
encryption keys with their certificates) and pins login.gov.pl's signing certificates.
:class:`ServiceProvider` runs the flow: :meth:`ServiceProvider.login` gives the signed
AuthnRequest as an auto-submitting HTML form; login.gov.pl sends the browser back to the ACS
with ``SAMLart`` and ``RelayState``; :meth:`ServiceProvider.handle_artifact` resolves the
artifact over SOAP, checks both signatures with the pinned certificates only, decrypts the
assertion (ECDH-ES with login.gov.pl's length-prefixed ConcatKDF, AES key wrap, AES-GCM),
checks it and returns the :class:`Identity`. Pending requests and used artifacts and
assertions live in a store: give ``store="wk.sqlite"`` so that every worker process of the
application (gunicorn with four workers, say) shares it and a replayed artifact is refused
by all of them. The GIL is released while it signs, decrypts and talks to login.gov.pl.

>>> import ezla, ezla.wk
>>> config = ezla.wk.Config(                                            # doctest: +SKIP
...     "integration", "https://sp.example/wk", "https://sp.example/wk/acs",
...     signing_key=sig_key, signing_certificate=sig_cert,
...     encryption_key=enc_key, encryption_certificate=enc_cert,
...     wk_certificates=[wk_cert], provider_name="sp_example")
>>> sp = ezla.wk.ServiceProvider(config, store="/var/lib/app/wk.sqlite")  # doctest: +SKIP
>>> login = sp.login()                      # send login.html_form to the browser  # doctest: +SKIP
>>> person = sp.handle_artifact(form["SAMLart"], form["RelayState"])     # doctest: +SKIP
>>> person.pesel, person.given_name, person.loa                          # doctest: +SKIP

*Sans-IO*: :func:`authn_request` and :func:`process_artifact_response` do the same work
without a transport or a store.

Errors: :class:`ezla.SamlError` for a check that failed (``.check``; for a refusal by
login.gov.pl ``.status_code``, ``.second_status_code``, ``.status_message``),
:class:`ezla.InvalidSignature` for a signature that does not verify with the pinned
certificate, :class:`ezla.TransportError` (an ``OSError``) when login.gov.pl cannot be
reached.
"""

from ezla._ezla import WkConfig as Config
from ezla._ezla import WkIdentity as Identity
from ezla._ezla import WkLogin as Login
from ezla._ezla import WkServiceProvider as ServiceProvider
from ezla._ezla import wk_authn_request as authn_request
from ezla._ezla import wk_process_artifact_response as process_artifact_response

__all__ = [
    "Config",
    "ServiceProvider",
    "Login",
    "Identity",
    "authn_request",
    "process_artifact_response",
]
