"""The simulated PUE ZUS in a real browser: a doctor logs in through the simulator's
login.gov.pl, applies for the "certyfikat z ZUS", downloads the ``.pfx`` once (a second try is
refused) and cancels it — headless Chromium through WebDriver (Debian ``chromium`` and
``chromium-driver``, the ``selenium`` package), against ``ezla-sim serve``.

Screenshots of each step are kept in ``$EZLA_TEST_ARTIFACTS/pue-browser/`` (default
``target/test-artifacts``). The pages and their ids are described in ``docs/pue.md``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import time
import urllib.request
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from test_wk_browser import ARTIFACTS, PASSWORD, WAIT, Process, chromium_paths, missing
from test_zus import simulator_binary

DOCTOR = "lekarz.nowak"  # the seeded login.gov.pl user who is the seed's doctor (NPWZ 5425740)
DOCTOR_PESEL = "02271409867"
CERT_PASSWORD = "Certyfikat-2026!"
FOLDER = ARTIFACTS / "pue-browser"


class Simulator:
    """``ezla-sim serve`` on 127.0.0.1 with a fresh state directory."""

    def __init__(self, root: pathlib.Path) -> None:
        self.state = root / "sim"
        self.process = Process([str(simulator_binary()), "serve", "--state", str(self.state)],
                               dict(os.environ))
        url = urlsplit(self.process.wait_for("listening on").split("listening on", 1)[1].strip())
        assert url.scheme == "http" and url.hostname == "127.0.0.1", url
        self.base = f"http://127.0.0.1:{url.port}"

    def stop(self) -> None:
        self.process.stop()


@pytest.fixture(scope="module")
def simulator(tmp_path_factory) -> Iterator[Simulator]:
    chromium_paths()  # skip before starting anything
    shutil.rmtree(FOLDER, ignore_errors=True)
    sim = Simulator(tmp_path_factory.mktemp("pue-browser"))
    yield sim
    sim.stop()


@pytest.fixture
def downloads(tmp_path) -> pathlib.Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def chrome(tmp_path, downloads) -> Iterator[object]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed (scripts/requirements-test.txt)")
    browser, driver = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
                 "--window-size=1100,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    session.set_page_load_timeout(WAIT)
    # Headless Chromium takes the download folder from the DevTools protocol.
    session.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield session
    finally:
        session.quit()


def shot(chrome, name: str) -> pathlib.Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}.png"
    assert chrome.save_screenshot(str(path)), path  # type: ignore[attr-defined]
    assert path.stat().st_size > 1000, path
    return path


def wait_for(chrome, css: str):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(chrome, WAIT).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        shot(chrome, "timeout")
        text = chrome.find_element(By.TAG_NAME, "body").text if chrome.page_source else ""
        raise AssertionError(f"{css} never appeared; at {chrome.current_url}: {text[:600]!r}"
                             ) from None


def downloaded_file(folder: pathlib.Path) -> pathlib.Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == ".pfx"]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no .pfx downloaded into {folder}: {list(folder.iterdir())}")


def test_apply_download_once_and_cancel_in_the_browser(simulator, chrome, downloads):
    from selenium.webdriver.support.ui import Select

    sim = simulator
    chrome.get(sim.base + "/pue/")
    button = wait_for(chrome, "#login")
    assert button.text == "Zaloguj przez login.gov.pl"
    shot(chrome, "1-pue-start")
    button.click()

    # The auto-submitted AuthnRequest lands on login.gov.pl's choice; Profil Zaufany.
    wait_for(chrome, "#method-pz").click()
    wait_for(chrome, "#form-pz")
    chrome.find_element("name", "login").send_keys(DOCTOR)
    chrome.find_element("name", "password").send_keys(PASSWORD)
    shot(chrome, "2-login-gov-pl-profil-zaufany")
    chrome.find_element("css selector", "#submit").click()

    # Back at PUE through the ACS: the certificates section of a doctor, nothing issued yet.
    wait_for(chrome, "#apply")
    assert chrome.current_url == sim.base + "/pue/certyfikaty", chrome.current_url
    assert DOCTOR_PESEL in chrome.find_element("css selector", "#doctor").text
    assert chrome.find_elements("css selector", "#no-certificates")
    assert chrome.find_element("css selector", "#capslock-reminder").is_displayed()
    cookies = {c["name"]: c for c in chrome.get_cookies()}
    assert cookies["pue_session"]["httpOnly"] and cookies["pue_session"]["sameSite"] == "Lax"
    shot(chrome, "3-pue-certificates-empty")

    # Every problem at once; what was typed (but no password) comes back.
    chrome.find_element("name", "email").send_keys("anna.nowak@example")
    chrome.find_element("name", "phone").send_keys("22 123 45 67")
    chrome.find_element("name", "password").send_keys("Ab1")
    chrome.find_element("name", "password2").send_keys("Ab2")
    # The strength hints follow the typing (advice only: ZUS requires the length).
    met = {k: chrome.find_element("css selector", f"#hint-{k}").get_attribute("data-met")
           for k in ("lower", "upper", "digit", "special")}
    assert met == {"lower": "yes", "upper": "yes", "digit": "yes", "special": "no"}, met
    chrome.find_element("css selector", "#apply").click()
    wait_for(chrome, "#errors")
    for field in ("email", "phone", "password", "password2"):
        assert chrome.find_elements("css selector", f"#error-{field}"), field
    assert chrome.find_element("name", "phone").get_attribute("value") == "22 123 45 67"
    assert chrome.find_element("name", "password").get_attribute("value") == ""
    shot(chrome, "4-pue-application-errors")

    email = chrome.find_element("name", "email")
    email.clear()
    email.send_keys("anna.nowak@example.pl")
    phone = chrome.find_element("name", "phone")
    phone.clear()
    phone.send_keys("512 345 678")
    chrome.find_element("name", "password").send_keys(CERT_PASSWORD)
    assert chrome.find_element("css selector", "#hint-special").get_attribute("data-met") == "yes"
    chrome.find_element("name", "password2").send_keys(CERT_PASSWORD)
    chrome.find_element("css selector", "#apply").click()
    serial = wait_for(chrome, "#issued-serial").text
    assert serial and all(c in "0123456789ABCDEF" for c in serial), serial
    assert chrome.find_element("css selector", f"#status-{serial}").get_attribute(
        "data-status") == "waiting"
    assert chrome.find_elements("css selector", "#renewal-refused")
    shot(chrome, "5-pue-issued")

    # The one download, with the application password.
    chrome.find_element("css selector", f"#download-password-{serial}").send_keys(CERT_PASSWORD)
    chrome.find_element("css selector", f"#download-button-{serial}").click()
    pfx = downloaded_file(downloads)
    data = pfx.read_bytes()
    assert pfx.name == f"certyfikat-ZUS-{serial}.pfx", pfx.name
    assert data[:1] == b"\x30" and len(data) > 1500, len(data)
    if shutil.which("openssl"):
        opened = subprocess.run(
            ["openssl", "pkcs12", "-in", str(pfx), "-passin", f"pass:{CERT_PASSWORD}",
             "-nokeys", "-clcerts"], capture_output=True, text=True, timeout=60)
        assert opened.returncode == 0, opened.stderr
        assert f"PNOPL-{DOCTOR_PESEL}" in opened.stdout, opened.stdout
    chrome.get(sim.base + "/pue/certyfikaty")
    status = wait_for(chrome, f"#status-{serial}")
    assert status.get_attribute("data-status") == "downloaded", status.text
    assert not chrome.find_elements("css selector", f"#download-{serial}")
    shot(chrome, "6-pue-downloaded")

    # A second download (the form is gone; the same POST by hand) is refused, saying when.
    chrome.execute_script(
        "const f = document.createElement('form'); f.method = 'post';"
        "f.action = arguments[0]; const i = document.createElement('input');"
        "i.name = 'password'; i.value = arguments[1]; f.appendChild(i);"
        "document.body.appendChild(f); f.submit();",
        f"/pue/certyfikaty/{serial}/pobierz", CERT_PASSWORD)
    refused = wait_for(chrome, "#already-downloaded")
    assert "tylko raz" in refused.text, refused.text
    shot(chrome, "7-pue-second-download-refused")

    # Cancelled for a compromised key: at once on the CRL.
    chrome.get(sim.base + "/pue/certyfikaty")
    Select(wait_for(chrome, f"#reason-{serial}")).select_by_value("keyCompromise")
    shot(chrome, "8-pue-cancel")
    chrome.find_element("css selector", f"#cancel-button-{serial}").click()
    wait_for(chrome, "#cancelled")
    assert chrome.find_element("css selector", "#cancelled-serial").text == serial
    assert chrome.find_element("css selector", "#cancelled-reason").text == "keyCompromise"
    shot(chrome, "9-pue-cancelled")
    chrome.get(sim.base + "/pue/certyfikaty")
    assert wait_for(chrome, f"#status-{serial}").get_attribute("data-status") == "cancelled"
    assert not chrome.find_elements("css selector", "#renewal-refused")  # may apply again
    with urllib.request.urlopen(sim.base + "/pue/crl", timeout=WAIT) as answer:
        assert answer.headers["Content-Type"] == "application/pkix-crl"
        crl = answer.read()
    if shutil.which("openssl"):
        text = subprocess.run(["openssl", "crl", "-inform", "DER", "-noout", "-text"],
                              input=crl, capture_output=True, timeout=60)
        assert text.returncode == 0, text.stderr
        listing = text.stdout.decode()
        assert f"Serial Number: {serial}" in listing and "Key Compromise" in listing, listing
