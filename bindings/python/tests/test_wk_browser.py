"""A real login in a real browser: the example application ``examples/python/wk_login_app.py``
(Flask, ``ezla.wk``) on ``sp.localhost``, the simulator's login.gov.pl on ``wk.localhost``,
driven in headless Chromium through WebDriver (Debian ``chromium`` and ``chromium-driver``,
the ``selenium`` package).

The two are on different sites on purpose: login.gov.pl's POST of the artifact to the ACS is
then cross-site, as it is in production, and a ``SameSite=Lax`` cookie is not sent with it
(two ports of one host would be same-site and hide an application that keeps its login
state in such a cookie). Screenshots of each step are kept in
``$EZLA_TEST_ARTIFACTS/wk-browser/`` (default ``target/test-artifacts``).
"""

from __future__ import annotations

import os
import pathlib
import queue
import shutil
import subprocess
import sys
import threading
from typing import Iterator, List
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from ezla.testing import make_test_ca, make_test_doctor
from test_zus import simulator_binary

EXAMPLE = REPO / "examples" / "python" / "wk_login_app.py"
PASSWORD = "Test1234!"  # every test person's password in the simulator
KEY_PASSWORD = "klucze-SP-1"
ARTIFACTS = pathlib.Path(os.environ.get("EZLA_TEST_ARTIFACTS", REPO / "target" / "test-artifacts"))
WAIT = 30.0


def missing(message: str) -> None:
    if os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; EZLA_REQUIRE_TOOLS=1")
    pytest.skip(message)


def chromium_paths() -> tuple[str, str]:
    """The Chromium binary (the real one, not Debian's wrapper script) and chromedriver."""
    driver = shutil.which("chromedriver")
    browser = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"),
                                shutil.which("chromium-browser")) if p and os.access(p, os.X_OK)),
                   None)
    if not driver or not browser:
        missing("chromium and chromedriver are not installed (Debian: chromium chromium-driver)")
    assert driver and browser
    return browser, driver


class Process:
    """A child process whose standard output is read line by line in the background."""

    def __init__(self, args: List[str], env: dict) -> None:
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=env)
        self.lines: List[str] = []
        self._queue: "queue.Queue[str]" = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = WAIT) -> str:
        while True:
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"{text!r} never came; output: {self.lines}") from None
            if text in line:
                return line

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


class Deployment:
    """The simulator on 127.0.0.1 (``wk.localhost`` in the browser) and the example
    application on ``sp.localhost``, its keys registered with the simulator."""

    def __init__(self, root: pathlib.Path) -> None:
        sim_binary = simulator_binary()
        self.state = root / "sim"
        self.sim = Process([str(sim_binary), "serve", "--state", str(self.state)], dict(os.environ))
        url = urlsplit(self.sim.wait_for("listening on").split("listening on", 1)[1].strip())
        assert url.scheme == "http" and url.hostname == "127.0.0.1", url
        self.sim_url = f"http://127.0.0.1:{url.port}"
        self.wk_url = f"http://wk.localhost:{url.port}"

        # The service provider's two P-256 keys, encrypted, with their certificates.
        keys = root / "keys"
        keys.mkdir()
        ca = make_test_ca("wk browser test SP CA")
        for name in ("sig", "enc"):
            identity = make_test_doctor(ca, surname=f"sp-{name}", key_type="p256")
            (keys / f"{name}.key.pem").write_bytes(
                identity.private_key.to_encrypted_pem(KEY_PASSWORD, iterations=2048))
            (keys / f"{name}.crt.pem").write_bytes(identity.certificate.to_pem())

        env = dict(os.environ, WK_KEY_PASSWORD=KEY_PASSWORD, PYTHONUNBUFFERED="1")
        self.app = Process([sys.executable, str(EXAMPLE), "--keys", str(keys),
                            "--wk-cert", str(self.state / "wk" / "idp.crt"),
                            "--environment", "simulator", "--wk-url", self.sim_url,
                            "--browser-wk-url", self.wk_url, "--port", "0",
                            "--store", str(root / "wk.sqlite")], env)
        line = self.app.wait_for("listening on")
        self.sp_url = line.split("listening on", 1)[1].split()[0].rstrip("/")
        assert self.sp_url.startswith("http://sp.localhost:"), line
        self.entity_id = f"{self.sp_url}/wk"
        added = subprocess.run(
            [str(sim_binary), "sp", "add", "--state", str(self.state),
             "--entity-id", self.entity_id, "--cert", str(keys / "sig.crt.pem"),
             "--enc-cert", str(keys / "enc.crt.pem"), "--acs", f"{self.sp_url}/acs"],
            capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        self.sim_binary = sim_binary

    def misbehave(self, case: str) -> None:
        done = subprocess.run(
            [str(self.sim_binary), "sp", "misbehave", "--state", str(self.state),
             "--entity-id", self.entity_id, "--case", case],
            capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        self.app.stop()
        self.sim.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    chromium_paths()  # skip before starting anything
    shutil.rmtree(ARTIFACTS / "wk-browser", ignore_errors=True)
    d = Deployment(tmp_path_factory.mktemp("wk-browser"))
    yield d
    d.stop()


@pytest.fixture
def chrome(tmp_path) -> Iterator[object]:
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
                 "--window-size=1000,800", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    session.set_page_load_timeout(WAIT)
    try:
        yield session
    finally:
        session.quit()


def shot(chrome, name: str) -> pathlib.Path:
    folder = ARTIFACTS / "wk-browser"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert chrome.save_screenshot(str(path)), path  # type: ignore[attr-defined]
    assert path.stat().st_size > 1000, path
    return path


def wait_for(chrome, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import TimeoutException

    try:
        return WebDriverWait(chrome, WAIT).until(
            EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        shot(chrome, "timeout")
        text = chrome.find_element(By.TAG_NAME, "body").text if chrome.page_source else ""
        raise AssertionError(f"{css} never appeared; at {chrome.current_url}: {text[:600]!r}"
                             ) from None


def start_login(chrome, d: Deployment, method: str) -> None:
    chrome.get(d.sp_url + "/")
    wait_for(chrome, "#login").click()
    # The auto-submitted AuthnRequest lands on login.gov.pl's page to choose how to log in.
    wait_for(chrome, f"#method-{method}").click()
    wait_for(chrome, f"#form-{method}")
    assert chrome.current_url.startswith(d.wk_url + "/"), chrome.current_url


def test_profil_zaufany_login_and_logout_across_sites(deployment, chrome):
    d = deployment
    chrome.get(d.sp_url + "/")
    button = wait_for(chrome, "#login")
    assert button.text == "Zaloguj przez login.gov.pl"
    shot(chrome, "1-sp-start")
    button.click()
    wait_for(chrome, "#method-pz")
    assert chrome.current_url.startswith(d.wk_url + "/"), chrome.current_url
    shot(chrome, "2-wk-choose-method")
    chrome.find_element("css selector", "#method-pz").click()
    wait_for(chrome, "#form-pz")
    chrome.find_element("name", "login").send_keys("roch.apitz")
    chrome.find_element("name", "password").send_keys(PASSWORD)
    shot(chrome, "3-wk-profil-zaufany")
    chrome.find_element("css selector", "#submit").click()

    # login.gov.pl POSTs the artifact to the ACS; the application resolves it and lands on /.
    wait_for(chrome, "#identity")
    assert chrome.current_url == d.sp_url + "/"
    assert chrome.find_element("css selector", "#name").text == "Roch Apitz"
    assert chrome.find_element("css selector", "#pesel").text == "87022243734"
    assert chrome.find_element("css selector", "#loa").text == "substantial"
    assert chrome.find_element("css selector", "#means").text == "pz.gov.pl"
    assert chrome.find_element("css selector", "#birth-date").text == "1987-02-22"
    print(f"screenshot: {shot(chrome, '4-sp-logged-in')}")

    # The POST to the ACS was cross-site: the Lax cookie set at /login did not come with it.
    acs = [line for line in d.app.lines if "acs: Sec-Fetch-Site" in line]
    assert acs and acs[-1].endswith("Sec-Fetch-Site=cross-site, login page cookie not sent"), acs
    # The session cookie is HttpOnly and SameSite=Lax, and the PESEL is not in any cookie.
    cookies = {c["name"]: c for c in chrome.get_cookies()}
    assert cookies["sid"]["httpOnly"] and cookies["sid"]["sameSite"] == "Lax"
    assert not any("87022243734" in c["value"] for c in cookies.values())

    chrome.find_element("css selector", "#logout").click()
    wait_for(chrome, "#login")
    assert not [line for line in d.app.lines if "was not ended" in line], d.app.lines
    # The session is gone in the application, and at login.gov.pl (logout answered Success).
    chrome.get(d.sp_url + "/")
    wait_for(chrome, "#login")


def test_wrong_password_and_unconfirmed_profile_get_their_pages(deployment, chrome):
    d = deployment
    start_login(chrome, d, "pz")
    chrome.find_element("name", "login").send_keys("anna.nowak")
    chrome.find_element("name", "password").send_keys("wrong")
    chrome.find_element("css selector", "#submit").click()
    wait_for(chrome, "#error-password")
    shot(chrome, "5-wk-wrong-password")

    start_login(chrome, d, "pz")
    chrome.find_element("name", "login").send_keys("piotr.zielinski")
    chrome.find_element("name", "password").send_keys(PASSWORD)
    chrome.find_element("css selector", "#submit").click()
    wait_for(chrome, "#error-unconfirmed")
    shot(chrome, "6-wk-unconfirmed")
    chrome.get(d.sp_url + "/")
    wait_for(chrome, "#login")  # nobody was logged in


def test_bank_login_then_a_wrapping_attack_is_refused_in_the_browser(deployment, chrome):
    from selenium.webdriver.support.ui import Select

    d = deployment
    start_login(chrome, d, "bank")
    Select(chrome.find_element("name", "bank")).select_by_value("mbank")
    Select(chrome.find_element("name", "user")).select_by_value("anna.nowak")
    chrome.find_element("css selector", "#submit").click()
    wait_for(chrome, "#identity")
    assert chrome.find_element("css selector", "#pesel").text == "90031512485"
    assert chrome.find_element("css selector", "#means").text == "mbank"
    chrome.find_element("css selector", "#logout").click()
    wait_for(chrome, "#login")

    # The next answer carries an XML Signature Wrapping attack (XSW3, inner layer): another
    # person's assertion beside the signed one. The application refuses it and logs no one in.
    d.misbehave("xsw3-inner")
    start_login(chrome, d, "bank")
    Select(chrome.find_element("name", "bank")).select_by_value("pkobp")
    Select(chrome.find_element("name", "user")).select_by_value("anna.nowak")
    chrome.find_element("css selector", "#submit").click()
    error = wait_for(chrome, "#error")
    assert error.text == "Logowanie nie powiodło się (SamlUnexpectedContent).", error.text
    shot(chrome, "7-sp-wrapping-refused")
    assert any("login refused" in line and "SamlUnexpectedContent" in line
               and "unexpected_content" in line
               for line in d.app.lines), d.app.lines
    chrome.get(d.sp_url + "/")
    wait_for(chrome, "#login")
