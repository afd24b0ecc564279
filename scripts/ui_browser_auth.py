"""Checks the web UI of a `cairn server --auth` in headless Chromium: sign-in, sessions, CSRF refusal
and pages filtered by permission.

Seeds the server over the REST API with Basic credentials: the administrator (CAIRN_ADMIN_USERNAME,
default admin, and CAIRN_ADMIN_PASSWORD) creates the users ana and bo; ana creates two experiments
(a run in the first), a registered model with a version, and denies bo the second experiment. Then,
in Chromium (scripts/devtools.py): pages redirect to the sign-in page; a wrong password is refused
with 401; bo lands on the page he asked for; the lists show only what bo may read and hide the
actions he may not take; the denied experiment is a 403 page; bo's rename and delete posts on ana's
experiment are refused (403) and change nothing; posts without the session's form token are refused;
the session cookie is HttpOnly and SameSite=Strict; signing out ends the session for good. Finally
ana signs in and sees the actions bo did not.

Prints one line per check, then {"checks": N, "failures": [...]} as the last line.

Usage: CAIRN_ADMIN_PASSWORD=… python3 scripts/ui_browser_auth.py BASE_URL OUT_DIR
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from devtools import Browser

BASE, OUT = sys.argv[1].rstrip("/"), Path(sys.argv[2])
ADMIN = (os.environ.get("CAIRN_ADMIN_USERNAME") or "admin", os.environ["CAIRN_ADMIN_PASSWORD"])
ANA = ("ana", "ana-password-1")
BO = ("bo", "bo-password-1")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(method, path, body=None, user=None, headers=None):
    """Sends one request without following redirects; returns (status, headers, text)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if user is not None:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode())
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def api(user, method, endpoint, body=None, version="2.0"):
    status, _, text = request(method, f"/api/{version}/mlflow/{endpoint}", body, user)
    if status != 200:
        raise RuntimeError(f"{method} {endpoint} as {user[0]}: {status} {text}")
    return json.loads(text) if text else {}


def seed():
    for name, password in (ANA, BO):
        api(ADMIN, "POST", "users/create", {"username": name, "password": password})
    shared = api(ANA, "POST", "experiments/create", {"name": "Ana shared"})["experiment_id"]
    private = api(ANA, "POST", "experiments/create", {"name": "Ana private"})["experiment_id"]
    run = api(ANA, "POST", "runs/create", {"experiment_id": shared, "run_name": "ana-run", "start_time": 1})
    run_id = run["run"]["info"]["run_id"]
    private_run = api(ANA, "POST", "runs/create", {"experiment_id": private, "run_name": "secret", "start_time": 1})
    api(ANA, "POST", "registered-models/create", {"name": "ana-model"})
    api(ANA, "POST", "model-versions/create", {"name": "ana-model", "source": f"runs:/{run_id}/model",
                                               "run_id": run_id})
    api(ANA, "POST", "users/permissions/grant", {"username": "bo", "resource_type": "experiment",
                                                 "resource_id": private, "permission": "DENY"}, version="3.0")
    return shared, private, run_id, private_run["run"]["info"]["run_id"]


def main():
    shared, private, run_id, private_run = seed()
    results = []

    def check(name, ok, detail=""):
        results.append((name, bool(ok)))
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))

    def has_form(html, action):
        return f'action="{action}"' in html

    with Browser(BASE, OUT) as page:
        page.call("Network.enable")

        # Signed out, pages send the browser to the sign-in page and remember where it was going.
        page.open("/")
        check("auth-redirect", page.path() == "/login?next=/" and has_form(page.text(), "/login"),
              f"landed on {page.path()}")
        page.screenshot("auth-login")

        page.open("/models/ana-model")
        check("auth-redirect-next", page.path() == "/login?next=/models/ana-model", f"landed on {page.path()}")
        page.submit('form[action="/login"]', {"username": "bo", "password": "not-his-password"})
        html = page.text()
        check("auth-wrong-password",
              page.status() == 401 and 'class="error"' in html and "Invalid username or password." in html
              and 'name="next" value="/models/ana-model"' in html,
              f"status {page.status()}")
        page.screenshot("auth-login-error")

        page.submit('form[action="/login"]', {"username": BO[0], "password": BO[1]})
        check("auth-sign-in-lands-on-next", page.path() == "/models/ana-model" and page.status() == 200,
              f"landed on {page.path()} with {page.status()}")
        html = page.text()
        check("auth-header-account",
              '<form class="account" method="post" action="/logout"><span>bo</span>' in html and ">Sign out</button>" in html,
              "no account form with bo and Sign out")

        cookies = {c["name"]: c for c in page.call("Network.getCookies", urls=[BASE + "/"])["cookies"]}
        session = cookies.get("cairn_session")
        check("auth-cookie-flags",
              session is not None and session["httpOnly"] and session.get("sameSite") == "Strict"
              and not session["secure"] and "cairn_session" not in (page.eval("document.cookie") or ""),
              f"cookie {session}")

        # Actions bo may not take (he holds READ on ana's model) are not offered.
        model_actions = [a for a in ("/models/ana-model/description",) if has_form(html, a)]
        page.open("/models/ana-model/versions/1")
        version = "/models/ana-model/versions/1"
        html = page.text()
        model_actions += [a for a in (f"{version}/description", f"{version}/aliases", f"{version}/stage")
                          if has_form(html, a)]
        check("auth-model-actions-hidden", page.status() == 200 and "Trained by run" in html and not model_actions,
              f"forms shown: {model_actions}")
        page.screenshot("auth-model-version-bo")

        # Lists show what bo may read and hide what he may not change.
        page.open("/")
        html = page.text()
        check("auth-list-filtered", "Ana shared" in html and "Ana private" not in html,
              "expected Ana shared and not Ana private")
        shown = [a for a in (f"/experiments/{shared}/rename", f"/experiments/{shared}/delete") if has_form(html, a)]
        check("auth-list-actions-hidden", not shown and has_form(html, "/experiments"), f"forms shown: {shown}")
        page.screenshot("auth-experiments-bo")

        page.open(f"/runs/{run_id}")
        html = page.text()
        shown = [a for a in ("rename", "delete", "note", "tags") if has_form(html, f"/runs/{run_id}/{a}")]
        check("auth-run-actions-hidden", page.status() == 200 and "ana-run" in html and not shown,
              f"status {page.status()}, forms shown: {shown}")

        page.open(f"/experiments/{private}")
        denied = page.status() == 403 and "Permission denied" in page.text()
        page.screenshot("auth-denied")
        page.open(f"/runs/{private_run}")
        check("auth-denied-pages", denied and page.status() == 403, f"run page status {page.status()}")

        # bo's own posts with his session's form token, for actions he may not take: refused, nothing changes.
        page.open("/")
        token = page.eval("document.querySelector('input[name=form_token]').value")
        page.post(f"/experiments/{shared}/rename", {"form_token": token, "name": "bo was here"})
        renamed = page.status()
        page.open("/")
        page.post(f"/experiments/{shared}/delete", {"form_token": token})
        deleted = page.status()
        experiment = api(ANA, "GET", f"experiments/get?experiment_id={shared}")["experiment"]
        check("auth-forbidden-posts-refused",
              renamed == 403 and deleted == 403 and experiment["name"] == "Ana shared"
              and experiment["lifecycle_stage"] == "active",
              f"rename {renamed}, delete {deleted}, experiment {experiment}")

        # Cross-site request forgery: a post without the session's form token is refused, with it the
        # same post goes through.
        page.open("/")
        page.post("/experiments", {"form_token": "0" * 32, "name": "bo forged"})
        wrong = page.status()
        page.open("/")
        page.post("/experiments", {"name": "bo forged"})
        missing = page.status()
        forged = request("GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=bo+forged", user=BO)[0]
        page.open("/")
        page.post("/experiments", {"form_token": token, "name": "bo own"})
        created = page.status() == 200 and page.path().startswith("/experiments/") and "<h1>bo own" in page.text()
        check("auth-csrf-refused", wrong == 403 and missing == 403 and forged == 404 and created,
              f"wrong token {wrong}, missing token {missing}, forged lookup {forged}, with token created={created}")

        # Signing out ends the session: the browser drops the cookie and the old cookie is dead.
        old = session["value"] if session else ""
        page.open("/")
        page.submit("form.account", {})
        after = {c["name"] for c in page.call("Network.getCookies", urls=[BASE + "/"])["cookies"]}
        signed_out = page.path() == "/login" and "cairn_session" not in after
        page.call("Network.setCookie", name="cairn_session", value=old, url=BASE + "/", httpOnly=True,
                  sameSite="Strict")
        page.open("/")
        browser_refused = page.path() == "/login?next=/"
        status, headers, _ = request("GET", "/", headers={"Cookie": "cairn_session=" + old})
        check("auth-sign-out",
              signed_out and browser_refused and status == 303 and headers.get("Location") == "/login?next=/",
              f"signed out {signed_out}, old cookie in browser refused {browser_refused}, by curl {status}")

        # ana, who holds MANAGE on what she created, is offered the actions bo was not.
        page.open("/login?next=/")
        page.submit('form[action="/login"]', {"username": ANA[0], "password": ANA[1]})
        html = page.text()
        wanted = [f"/experiments/{shared}/rename", f"/experiments/{shared}/delete", f"/experiments/{private}/rename"]
        page.screenshot("auth-experiments-ana")
        page.open("/models/ana-model/versions/1")
        version_html = page.text()
        missing_forms = [a for a in wanted if not has_form(html, a)] + [
            a for a in (f"{version}/aliases", f"{version}/stage", f"{version}/description")
            if not has_form(version_html, a)]
        check("auth-owner-actions-shown", "<span>ana</span>" in html and "Ana private" in html and not missing_forms,
              f"missing forms: {missing_forms}")

    failures = [name for name, ok in results if not ok]
    print(json.dumps({"checks": len(results), "failures": failures}))
    sys.exit(1 if failures else 0)


main()
