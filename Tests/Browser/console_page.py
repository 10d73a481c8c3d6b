"""/console in headless Chromium, as an admin and an invitee meet it.

The platform admin signs in with its API key, creates an organization and a team, invites two
people (one onto the team); each accepts through the link, signed in with a JWT from the
configured issuer; the admin changes a role, adds a member to the team, creates, rotates,
disables and revokes an organization key. The viewer sees no admin action, and a request it
forges with its own credential is refused by the API. Fails on any script error or
Content-Security-Policy violation in the browser console; saves a screenshot of every page
under .build/console-screenshots/. Run by scripts/browser-test (AUTHZ_BASE: the server;
AUTHZ_KEY: the platform admin's key; AUTHZ_JWT_ISSUER and AUTHZ_JWT_SECRET: its JWT issuer).
"""

import base64
import hashlib
import hmac
import json
import os
import re
import sys
import time
import urllib.request

from chromium import Checks, browser

from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["AUTHZ_BASE"]
ADMIN_KEY = os.environ["AUTHZ_KEY"]
ISSUER = os.environ["AUTHZ_JWT_ISSUER"]
SECRET = os.environ["AUTHZ_JWT_SECRET"]
SHOTS = os.path.join(".build", "console-screenshots")
check = Checks("/console")
expected_console_errors = []




def api(method, path, body=None):
    """The API with the admin's key, for what the test sets up outside the browser."""
    request = urllib.request.Request(
        BASE + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]


def jwt(subject, email, name):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).rstrip(b"=").decode()

    claims = {"iss": ISSUER, "sub": subject, "email": email, "email_verified": True, "name": name, "exp": int(time.time()) + 3600}
    signing_input = part({"alg": "HS256", "typ": "JWT"}) + "." + part(claims)
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def until(driver, condition):
    """Waits for `condition`, through the re-renders that replace the elements it reads."""
    return WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(condition)




class Console:
    def __init__(self, driver):
        self.driver = driver
        self.ready = 0
        self.shots = 0

    def wait(self):
        """Until the page the last navigation or action started has rendered."""
        def rendered(d):
            value = d.find_element(By.ID, "main").get_attribute("data-ready")
            return value and int(value) > self.ready and d.find_element(By.ID, "main").get_attribute("aria-busy") is None

        WebDriverWait(self.driver, 15).until(rendered)
        self.ready = int(self.driver.find_element(By.ID, "main").get_attribute("data-ready"))
        self.errors()

    def errors(self):
        for entry in self.driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            if any(expected in entry["message"] for expected in expected_console_errors):
                continue
            check(False, f"browser console error: {entry['message']}")

    def go(self, hash_):
        # A fresh load each time (the same URL with only a fragment would not reload).
        self.loads = getattr(self, "loads", 0) + 1
        self.load(BASE + f"/console?load={self.loads}" + hash_)

    def load(self, url):
        self.driver.get(url)
        self.ready = 0  # a new document counts its renderings from 1
        self.wait()

    def shot(self, name):
        self.shots += 1
        self.driver.save_screenshot(os.path.join(SHOTS, f"{self.shots:02d}-{name}.png"))

    def heading(self):
        return self.driver.find_element(By.CSS_SELECTOR, "main h1").text

    def field(self, label, within=None):
        """The control a visible label names (labels are how people find fields)."""
        for element in (within or self.driver).find_elements(By.CSS_SELECTOR, "main label" if within is None else "label"):
            if element.text == label and element.is_displayed():
                return self.driver.find_element(By.ID, element.get_attribute("for"))
        raise AssertionError(f"no field labelled {label!r} on {self.heading()!r}")

    def submit(self, label, navigates=True):
        buttons = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main button[type=submit]") if b.text == label and b.is_displayed()]
        if not check(buttons, f"no {label!r} button on {self.heading()!r}"):
            return
        buttons[0].click()
        if navigates:
            self.wait()
        else:
            WebDriverWait(self.driver, 15).until(lambda d: buttons[0].text == label and buttons[0].is_enabled())
            self.errors()

    def sign_in(self, credential):
        self.driver.execute_script("sessionStorage.clear()")
        self.go("#/sign-in")
        self.field("API key or JWT").send_keys(credential)
        self.submit("Sign in")

    def sign_out(self):
        self.driver.find_element(By.ID, "sign-out").click()
        self.wait()
        check(self.heading() == "Sign in", "signing out does not lead to the sign-in page")
        check(self.driver.execute_script("return sessionStorage.getItem('authz.credential')") is None, "signing out leaves the credential")

    def row(self, text):
        for row in self.driver.find_elements(By.CSS_SELECTOR, "main tbody tr"):
            if text in row.text:
                return row
        raise AssertionError(f"no row with {text!r} on {self.heading()!r}")

    def click_in(self, row, action, confirm=None, prompt=None):
        row.find_element(By.CSS_SELECTOR, f'button[data-action="{action}"]').click()
        if confirm is not None or prompt is not None:
            alert = WebDriverWait(self.driver, 5).until(lambda d: d.switch_to.alert)
            if prompt is not None:
                alert.send_keys(prompt)
            alert.accept()

    def secret(self):
        element = WebDriverWait(self.driver, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, "main [data-secret]"))
        return element.text


def main():
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        os.remove(os.path.join(SHOTS, old))
    with urllib.request.urlopen(BASE + "/console") as response:
        headers = response.headers
        page = response.read().decode()
    policy = headers.get("Content-Security-Policy", "")
    check("script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, f"/console's policy is not strict: {policy}")
    check(headers.get("X-Frame-Options") == "DENY" and headers.get("Referrer-Policy") == "no-referrer", "/console may be framed or sends a referrer")
    check("<script src=" in page and "<script>" not in page and not re.search(r"\son[a-z]+=", page), "the console page has inline script")

    driver = browser()
    console = Console(driver)
    try:
        console.go("")
        check(console.heading() == "Sign in", "an anonymous visit does not ask to sign in")
        console.shot("sign-in")
        console.field("API key or JWT").send_keys("authz_not_a_real_key")
        expected_console_errors.append("/v1/me - Failed to load resource: the server responded with a status of 401")
        console.submit("Sign in", navigates=False)
        check("was not accepted" in driver.find_element(By.CSS_SELECTOR, "main .field-error").text, "a wrong key's error is not shown next to its field")
        console.sign_in(ADMIN_KEY)
        check(console.heading() == "Organizations", f"signing in leads to {console.heading()!r}")
        console.shot("organizations")
        # A personal key, from the navigation.
        driver.find_element(By.LINK_TEXT, "My API keys").click()
        console.wait()
        console.field("Name").send_keys("laptop")
        console.field("Scopes (optional)").send_keys("organization.read")
        console.submit("Create key", navigates=False)
        check(console.secret().startswith("azk_") and "organization.read" in console.row("laptop").text, "a personal key is not created")
        console.shot("personal-keys")
        driver.find_element(By.LINK_TEXT, "Organizations").click()
        console.wait()
        console.field("Name").send_keys("Console Co")
        console.submit("Create")
        check(console.heading() == "Console Co", "creating an organization does not open it")
        organization = driver.current_url.split("#/organizations/")[1].split("/")[0]
        console.shot("organization-members")

        console.go(f"#/organizations/{organization}/teams")
        console.field("Name").send_keys("Red")
        console.submit("Create team")
        check(console.heading() == "Red", "creating a team does not open it")
        team = driver.current_url.split("#/teams/")[1]
        console.shot("team")

        # The API's field errors appear next to their fields.
        console.go(f"#/organizations/{organization}/invitations")
        console.field("Email").send_keys("not-an-email")
        expected_console_errors.append("/v1/invitations - Failed to load resource: the server responded with a status of 400")
        console.submit("Invite", navigates=False)
        error = driver.find_element(By.ID, console.field("Email").get_attribute("aria-describedby")).text
        check(error == "is not an email address" and console.field("Email").get_attribute("aria-invalid") == "true", f"the email's error reads {error!r}")
        console.field("Email").clear()
        console.field("Email").send_keys("alice@example.com")
        Select(console.field("Role")).select_by_value("member")
        Select(console.field("Team (optional)")).select_by_visible_text("Red")
        Select(console.field("Team role")).select_by_value("member")
        console.submit("Invite", navigates=False)
        alice_link = console.secret()
        check(alice_link.startswith(BASE + "/console#/accept/"), f"the accept link is {alice_link!r}")
        console.shot("invitation-created")
        console.field("Email").clear()
        console.field("Email").send_keys("bob@example.com")
        Select(console.field("Role")).select_by_value("viewer")
        Select(console.field("Team (optional)")).select_by_visible_text("No team")
        console.submit("Invite", navigates=False)
        bob_link = console.secret()
        check(bob_link != alice_link, "the second invitation shows the first one's link")
        check("alice@example.com" in console.row("alice@example.com").text and "pending" in console.row("bob@example.com").text, "the invitations are not listed as pending")
        console.sign_out()

        # Alice opens her link, signs in with a JWT, accepts.
        console.load(alice_link)
        check(console.heading() == "Sign in", "the accept link does not ask to sign in first")
        console.field("API key or JWT").send_keys(jwt("alice", "alice@example.com", "Alice Example"))
        console.submit("Sign in")
        check(console.heading() == "Accept an invitation", f"after signing in the invitee sees {console.heading()!r}")
        console.shot("accept")
        console.submit("Accept invitation")
        check(console.heading() == "Console Co", f"after accepting the invitee sees {console.heading()!r}, not the organization joined")
        check("Your role: member" in driver.find_element(By.CSS_SELECTOR, "main").text, "the joined organization does not show the invitee's role")
        console.go("#/")
        check(console.heading() == "Organizations" and "Console Co" in console.row("Console Co").text, "after accepting the organization is not listed")
        console.sign_out()

        console.load(bob_link)
        console.field("API key or JWT").send_keys(jwt("bob", "bob@example.com", "Bob Viewer"))
        console.submit("Sign in")
        console.submit("Accept invitation")
        bob_credential = driver.execute_script("return sessionStorage.getItem('authz.credential')")
        console.sign_out()

        # The admin: members with names, emails, roles and teams; a role changed.
        console.sign_in(ADMIN_KEY)
        console.go(f"#/organizations/{organization}/members")
        alice = console.row("alice@example.com")
        check("Alice Example" in alice.text and "Red (member)" in alice.text and "member" in alice.text, f"Alice's row says {alice.text!r}")
        Select(alice.find_element(By.CSS_SELECTOR, "select")).select_by_value("admin")
        console.click_in(alice, "change-role")
        console.wait()
        check(console.row("alice@example.com").find_element(By.CSS_SELECTOR, "td[data-role]").text == "admin", "the role change does not show")
        console.shot("members")

        # Bob joins the team; the organization is renamed and back.
        console.go(f"#/teams/{team}")
        Select(console.field("Member")).select_by_visible_text("Bob Viewer <bob@example.com>")
        Select(console.field("Team role")).select_by_value("member")
        console.submit("Add to team")
        check("Bob Viewer" in console.row("bob@example.com").text, "the team does not list its new member")
        console.go(f"#/organizations/{organization}")
        driver.find_element(By.CSS_SELECTOR, "main details summary").click()
        console.field("New name").clear()
        console.field("New name").send_keys("Console Company")
        console.submit("Rename")
        check(console.heading() == "Console Company", "the rename does not show")
        # A third invitation, revoked.
        console.go(f"#/organizations/{organization}/invitations")
        console.field("Email").send_keys("carol@example.com")
        console.submit("Invite", navigates=False)
        console.secret()
        console.click_in(console.row("carol@example.com"), "revoke-invitation", confirm=True)
        until(driver, lambda d: "revoked" in console.row("carol@example.com").text)
        Select(driver.find_element(By.ID, "invitation-filter")).select_by_value("revoked")
        shown = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "main tbody tr")]
        check(len(shown) == 1 and "carol@example.com" in shown[0], f"the revoked invitations are {shown}")
        # A second team, renamed and deleted.
        console.go(f"#/organizations/{organization}/teams")
        console.field("Name").send_keys("Blue")
        console.submit("Create team")
        driver.find_element(By.CSS_SELECTOR, "main details summary").click()
        console.field("New name").clear()
        console.field("New name").send_keys("Navy")
        console.submit("Rename team")
        check(console.heading() == "Navy", "the team rename does not show")
        driver.find_element(By.CSS_SELECTOR, 'main button[data-action="delete-team"]').click()
        WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert).accept()
        console.wait()
        teams_left = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "main tbody tr")]
        check(len(teams_left) == 1 and "Red" in teams_left[0], f"after deleting Navy the teams are {teams_left}")

        # Organization keys: created (shown once), rotated with a grace period, disabled, revoked.
        console.go(f"#/organizations/{organization}/keys")
        console.field("Name").send_keys("ci")
        Select(console.field("Role")).select_by_value("member")
        console.field("Scopes (optional)").send_keys("job.read job.create")
        driver.execute_script("arguments[0].value = '2099-12-31'", console.field("Expires (optional)"))
        console.submit("Create key", navigates=False)
        first = console.secret()
        check("2099" in console.row("ci").text, "the key's expiry does not show")
        check(first.startswith("azk_"), f"the new key reads {first!r}")
        console.shot("key-created")
        console.click_in(console.row("ci"), "rotate", prompt="60")
        until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "main [data-secret]").text != first)
        rotated = console.secret()
        check(rotated.startswith("azk_") and rotated != first, "rotating does not show the new key")
        until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "main tbody tr")) == 2)
        replaced = driver.find_elements(By.CSS_SELECTOR, "main tbody tr")[0]
        check("rotating" in replaced.text and not replaced.find_elements(By.CSS_SELECTOR, 'button[data-action="rotate"]'),
              "a key already rotated is offered another rotation")
        console.click_in(driver.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1], "disable", confirm=True)
        until(driver, lambda d: "disabled" in d.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1].text)
        console.click_in(driver.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1], "enable")
        until(driver, lambda d: "active" in d.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1].text)
        console.click_in(driver.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1], "revoke", confirm=True)
        until(driver, lambda d: "revoked" in d.find_elements(By.CSS_SELECTOR, "main tbody tr")[-1].text)
        console.errors()
        console.shot("keys")

        # Usage to chart: one job through the API, run to its end.
        job = api("POST", "/v1/jobs", {"organization_id": organization, "provider": "echo", "input": {"text": "for the chart"}})["id"]
        for _ in range(100):
            if api("GET", f"/v1/jobs/{job}")["status"] == "succeeded":
                break
            time.sleep(0.1)

        # The audit log, as sentences with names; filtered by action.
        console.go(f"#/organizations/{organization}/audit")
        changed = [row.text for row in driver.find_elements(By.CSS_SELECTOR, 'main tr[data-action="member.role_changed"]')]
        check(any("changed the role of member Alice Example" in text and "admin" in text for text in changed), f"the role change reads {changed}")
        console.field("Action").send_keys("member.role_changed")
        console.submit("Show", navigates=False)
        actions = {row.get_attribute("data-action") for row in driver.find_elements(By.CSS_SELECTOR, "main tbody tr")}
        check(actions == {"member.role_changed"}, f"filtered by action, the log shows {actions}")
        console.shot("audit")

        # The access explorer: a decision with its reason, who holds a permission, what a member may do.
        console.go(f"#/organizations/{organization}/access")
        sections = driver.find_elements(By.CSS_SELECTOR, "main section.card")
        Select(console.field("Member", sections[0])).select_by_visible_text("Alice Example <alice@example.com>")
        Select(console.field("Permission", sections[0])).select_by_value("team.update")
        Select(console.field("Resource", sections[0])).select_by_visible_text("Team Red")
        console.submit("Check", navigates=False)
        verdict = driver.find_element(By.ID, "decision").text
        check(verdict.startswith("Allowed: Alice Example holds admin on organization Console Company"), f"the decision reads {verdict!r}")
        check(driver.find_elements(By.CSS_SELECTOR, "main details ol li"), "the decision has no trace")
        Select(console.field("Member", sections[0])).select_by_visible_text("Bob Viewer <bob@example.com>")
        console.submit("Check", navigates=False)
        until(driver, lambda d: d.find_element(By.ID, "decision").text.startswith("Denied"))
        verdict = driver.find_element(By.ID, "decision").text
        check("maintainer on team Red" in verdict and "admin on organization Console Company" in verdict, f"the denial reads {verdict!r}")
        Select(console.field("Permission", sections[1])).select_by_value("team.update")
        Select(console.field("Resource", sections[1])).select_by_visible_text("Team Red")
        console.submit("Look up", navigates=False)
        holders = driver.find_element(By.ID, "holders").text.splitlines()
        check("Alice Example" in holders and "platform admin" in holders and "Bob Viewer" not in holders, f"team.update on Red is held by {holders}")
        Select(console.field("Member", sections[2])).select_by_visible_text("Bob Viewer <bob@example.com>")
        console.submit("Show", navigates=False)
        abilities = driver.find_element(By.ID, "abilities").text.splitlines()
        check("organization.read" in abilities and "member.manage" not in abilities, f"the viewer may {abilities}")
        console.shot("access")

        console.go(f"#/organizations/{organization}/usage")
        chart = driver.find_elements(By.CSS_SELECTOR, "main svg.chart text")
        check(any(t.text == "echo" for t in chart), "the usage chart has no bar for the echo provider")
        console.shot("usage")
        Select(console.field("Group by")).select_by_value("day")
        console.submit("Show", navigates=False)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        check(any(t.text == today for t in driver.find_elements(By.CSS_SELECTOR, "main svg.chart text")), "usage by day has no bar for today")
        console.sign_out()

        # The viewer: no admin action anywhere; a forged request is refused by the API.
        console.sign_in(bob_credential)
        console.go(f"#/organizations/{organization}")
        tabs = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".tabs a")]
        check(not {"Invitations", "API keys", "Audit log", "Access", "Usage"} & set(tabs), f"a viewer is offered {tabs}")
        check(not driver.find_elements(By.CSS_SELECTOR, "main button, main details"), "a viewer is offered an action on the members page")
        console.shot("viewer")
        console.go(f"#/organizations/{organization}/teams")
        check(not driver.find_elements(By.CSS_SELECTOR, "main form"), "a viewer is offered to create a team")
        console.go(f"#/teams/{team}")
        check(not driver.find_elements(By.CSS_SELECTOR, "main button, main form"), "a viewer is offered an action on a team")
        expected_console_errors.append("/v1/organizations/" + organization + " - Failed to load resource: the server responded with a status of 403")
        status = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            fetch('/v1/organizations/' + arguments[0], {method: 'PATCH', headers: {'Authorization': 'Bearer ' + sessionStorage.getItem('authz.credential'),
                'Content-Type': 'application/json'}, body: JSON.stringify({name: 'Taken over'})}).then(r => done(r.status), e => done(String(e)));
            """,
            organization,
        )
        check(status == 403, f"a viewer's forged rename answered {status}")

        console.sign_out()

        # The admin removes Bob and hands the organization to Alice.
        console.sign_in(ADMIN_KEY)
        console.go(f"#/organizations/{organization}/members")
        console.click_in(console.row("bob@example.com"), "remove", confirm=True)
        until(driver, lambda d: "bob@example.com" not in d.find_element(By.CSS_SELECTOR, "main tbody").text)
        console.sign_out()
        # Alice, an admin, is offered only the roles she may grant, and nothing on the owner.
        console.sign_in(jwt("alice", "alice@example.com", "Alice Example"))
        console.go(f"#/organizations/{organization}/members")
        offered = [o.get_attribute("value") for o in console.row("alice@example.com").find_elements(By.CSS_SELECTOR, "select option")]
        check(offered == ["admin", "member", "viewer"], f"an admin is offered the roles {offered}")
        check(not console.row("platform admin").find_elements(By.CSS_SELECTOR, "select, button"), "an admin is offered an action on the owner")
        console.sign_out()
        console.sign_in(ADMIN_KEY)
        console.go(f"#/organizations/{organization}/members")
        console.click_in(console.row("alice@example.com"), "transfer", confirm=True)
        until(driver, lambda d: console.row("alice@example.com").find_element(By.CSS_SELECTOR, "td[data-role]").text == "owner")

        # Readable at 375 px: nothing wider than the screen.
        driver.set_window_size(375, 800)
        for hash_ in (f"#/organizations/{organization}/members", f"#/teams/{team}"):
            console.go(hash_)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            check(width <= 380, f"{hash_} at 375 px is {width} px wide")
        console.shot("narrow")
        console.errors()
    finally:
        driver.quit()

    check.finish(f"sign-in, organization, team, invitations accepted by JWT, roles, keys, audit log, access, usage, a viewer; {console.shots} screenshots in {SHOTS}")


main()
