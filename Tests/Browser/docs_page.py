"""/docs in headless Chromium, as a reader meets it.

Fails on any script error or Content-Security-Policy violation in the browser console, and
unless every operation of the served OpenAPI document is rendered with an example, every
link to a schema leads to one, enumerations are listed, and a link opens what it names.
Run by scripts/browser-test (AUTHZ_BASE: the server; AUTHZ_KEY: the platform admin's key).
"""

import json
import os
import sys
import urllib.request

from chromium import Checks, browser

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["AUTHZ_BASE"]
check = Checks("/docs")






def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def main():
    with urllib.request.urlopen(BASE + "/openapi.json") as response:
        document = json.load(response)
    operations = sum(len(methods) for methods in document["paths"].values())
    with urllib.request.urlopen(BASE + "/docs") as response:
        policy = response.headers.get("Content-Security-Policy", "")
    check("'unsafe-inline'" not in policy and "script-src 'sha256-" in policy, f"/docs is not under a strict policy: {policy}")

    driver = browser()
    try:
        driver.get(BASE + "/docs")
        try:
            WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-operations"))
        except Exception:
            check(False, "the page never finished rendering")
        rendered = driver.find_element(By.TAG_NAME, "body").get_attribute("data-operations")
        check(rendered == str(operations), f"rendered {rendered} of {operations} operations")
        details = driver.find_elements(By.CSS_SELECTOR, "details.operation")
        check(len(details) == operations, f"{len(details)} operation sections for {operations} operations")
        examples = driver.find_elements(By.CSS_SELECTOR, "details.operation pre.example")
        check(len(examples) == operations, f"{len(examples)} examples for {operations} operations")
        empty = [e.get_attribute("textContent") for e in examples if not e.get_attribute("textContent").startswith("curl -X ")]
        check(not empty, f"examples that are not a curl command: {empty[:3]}")
        # Every schema link has its schema on the page.
        targets = {e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "details.schema")}
        check(len(targets) == len(document["components"]["schemas"]), "not every schema is rendered")
        links = {a.get_attribute("hash")[1:] for a in driver.find_elements(By.CSS_SELECTOR, 'a[href^="#schema-"]')}
        check(links and links <= targets, f"schema links without a schema: {sorted(links - targets)[:5]}")
        page = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent")
        check('one of "validation_error"' in page, "the error codes enumeration is not listed")
        check("curl -X POST \"$API/v1/authz/check\"" in page, "no example for the check route")
        # Following a link opens the schema it names.
        driver.get(BASE + "/docs#schema-CheckResult")
        opened = driver.execute_script("return document.getElementById('schema-CheckResult').open")
        check(opened is True, "a link to a schema does not open it")
        # Readable on a phone: nothing wider than the screen but the code blocks, which scroll.
        driver.set_window_size(375, 800)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 400, f"at 375 px wide the page is {width} px wide")
        errors = console_errors(driver)
        check(not errors, f"browser console errors: {errors}")
    finally:
        driver.quit()

    check.finish(f"{operations} operations rendered in Chromium, no script errors")


main()
