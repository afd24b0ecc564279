"""Edits a run and a model version through the web UI's own forms in headless Chromium.

Drives Chromium over its DevTools protocol (scripts/devtools.py, standard library only):
loads a page, fills a form's fields, submits it as a click would, waits for the redirected page and
checks its text. Saves a screenshot after each step in OUT_DIR.

Also turns on the auto-refresh of a RUNNING run's page and checks that the page reloads by itself
with the choice kept.

Usage: python3 scripts/ui_browser_edits.py BASE_URL OUT_DIR RUN_ID RUNNING_RUN_ID
"""

import json
import sys
from pathlib import Path

from devtools import Browser

BASE, OUT, RUN, LIVE = sys.argv[1].rstrip("/"), Path(sys.argv[2]), sys.argv[3], sys.argv[4]


def main():
    failures = []
    with Browser(BASE, OUT) as page:
        def step(name, path, form, fields, expected):
            page.open(path)
            page.submit(form, fields)
            html = page.text()
            page.screenshot(name)
            missing = [e for e in expected if e not in html]
            print(("FAIL " if missing else "ok   ") + name + (": missing " + repr(missing) if missing else ""))
            if missing:
                failures.append(name)

        run = "/runs/" + RUN
        step("edit-rename", run, f'form[action="{run}/rename"]', {"name": "renamed <baseline>"},
             ["<h1>renamed &lt;baseline&gt;"])
        step("edit-tag", run, "form.tag-form", {"key": "reviewed", "value": "yes & kept"},
             ['<th scope="row">reviewed</th><td>yes &amp; kept</td>'])
        step("edit-note", run, f'form[action="{run}/note"]', {"note": "Diverged after step 40.\nKept for reference."},
             ['<div class="note">Diverged after step 40.\nKept for reference.</div>'])
        step("edit-delete", run, f'form[action="{run}/delete"]', {}, ["This run is deleted", "Restore run"])
        step("edit-restore", run, f'form[action="{run}/restore"]', {}, ["Delete run"])
        version = "/models/digits-clf/versions/1"
        step("edit-alias", version, f'form[action="{version}/aliases"]', {"alias": "stable"}, ["@stable"])
        step("edit-remove-alias", version, f'form[action="{version}/aliases/delete"]', {}, ["@stable"])
        step("edit-stage", version, f'form[action="{version}/stage"]', {"stage": "Staging"}, [">Staging</span>"])
        step("edit-description", version, f'form[action="{version}/description"]',
             {"description": "Reviewed <ok>"}, ['<p class="muted">Reviewed &lt;ok&gt;</p>'])
        if "@champion" in page.text():
            print("FAIL edit-remove-alias: @champion still shown")
            failures.append("edit-remove-alias")

        # Auto-refresh: tick the box on a RUNNING run's page; the page reloads within 15 s by itself
        # and the box is still ticked after the reload.
        page.open("/runs/" + LIVE)
        page.eval("document.getElementById('autorefresh').click(); window.__cairnOld = true; 'ok'")
        try:
            page.wait_loaded(tries=500)
            kept = page.eval("document.getElementById('autorefresh').checked")
            ok = kept is True
        except RuntimeError:
            ok = False
        print(("ok   " if ok else "FAIL ") + "auto-refresh")
        if not ok:
            failures.append("auto-refresh")
    print(json.dumps({"failures": failures}))
    sys.exit(1 if failures else 0)


main()
