"""What the browser tests share: Debian's headless Chromium with its console log kept, and a
list of failed checks that ends the run with each one said."""

import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Checks:
    def __init__(self, page):
        self.page = page
        self.failures = []

    def __call__(self, condition, message):
        if not condition:
            self.failures.append(message)
            print(f"FAIL {self.page}:", message, file=sys.stderr)
        return condition

    def finish(self, summary):
        """Exits 1 after repeating every failure, else prints the summary."""
        if self.failures:
            for failure in self.failures:
                print(f"FAIL {self.page}:", failure, file=sys.stderr)
            sys.exit(1)
        print(f"{self.page}: {summary}")
