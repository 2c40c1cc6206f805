"""/graphql in a real browser with no network: headless Chromium loads GraphiQL (bundled by
`unionaid assets build`, never from a CDN) and the offline console, and runs a query through
each UI. CI installs Chromium and builds the bundle; elsewhere the test says what is missing."""

import json
import os
import shutil
import urllib.parse

import pytest

from tests.server import Server
from unionaid.core import ui

CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
QUERY = "{ districts { code name } }"


def need(condition: bool, reason: str) -> None:
    if not condition:
        if CI:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need(
        bool(CHROMIUM and DRIVER),
        "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
    )
    with Server(tmp_path_factory.mktemp("browser"), "--demo") as process:
        seen = process.up()  # bounded: a server that never comes up fails here
        token = None
        for line in seen:
            if line.strip().startswith("city_admin") and "Bearer" in line:
                token = line.split("Bearer ")[1].split('"')[0]
        assert token, "no demo token printed"
        yield process.base, token


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        # Every request that is not to this machine goes to a closed port: no network at all.
        "--proxy-server=http://127.0.0.1:9",  # loopback is never proxied
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP reports go there
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for_text(driver, css: str, text: str, seconds: int = 30) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, css).text
    )
    return driver.find_element(By.CSS_SELECTOR, css).text


def refused_by_policy(driver) -> list[str]:
    """What the page's Content-Security-Policy blocked (Chromium logs each refusal)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def only_local(driver, base: str) -> list[str]:
    names = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [n for n in names if not n.startswith(base)]


def test_graphiql_renders_and_runs_a_query_offline(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    need(ui.graphiql_built(), "the GraphiQL bundle is not built (unionaid assets build)")
    base, token = server
    headers = json.dumps({"Authorization": f"Bearer {token}"})
    browser.get(f"{base}/graphql?" + urllib.parse.urlencode({"query": QUERY, "headers": headers}))
    wait_for_text(browser, ".graphiql-container", "Headers")
    browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    result = wait_for_text(browser, ".result-window", "320206")
    assert "惠山区" in result and "errors" not in result
    assert only_local(browser, base) == []
    assert refused_by_policy(browser) == []
    shot = os.environ.get("UNIONAID_SCREENSHOT_DIR", str(tmp_path))
    assert browser.save_screenshot(os.path.join(shot, "graphiql.png"))


def test_the_offline_console_runs_a_query(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, token = server
    browser.get(f"{base}/graphql?console")
    browser.find_element(By.ID, "token").send_keys(token)
    query = browser.find_element(By.ID, "query")
    query.clear()
    query.send_keys(QUERY)
    browser.find_element(By.ID, "run").click()
    result = wait_for_text(browser, "#result", "320206")
    assert json.loads(result)["data"]["districts"][0]["code"]
    assert only_local(browser, base) == []
    assert refused_by_policy(browser) == []
    shot = os.environ.get("UNIONAID_SCREENSHOT_DIR", str(tmp_path))
    assert browser.save_screenshot(os.path.join(shot, "console.png"))
