import CairnCore

/// The editing forms of the run page: rename, delete or restore, the note and the tags. Every form
/// posts with the browser's form token (see ``FormGuard``); a form the viewer may not use is left out.
struct RunEditForms {
    let run: Run
    let browser: FormGuard.BrowserToken
    /// Whether the viewer may rename the run and edit its note and tags.
    var canUpdate = true
    /// Whether the viewer may delete and restore the run.
    var canDelete = true

    private var base: String { "/runs/" + QueryString.encode(run.info.runId) }

    /// Rename and delete/restore, shown under the title.
    func actions() -> Html {
        let info = run.info
        guard canUpdate || canDelete else { return "" }
        let lifecycle: Html =
            !canDelete
            ? ""
            : info.lifecycleStage == .deleted
                ? """
                <form method="post" action="\(base)/restore">\(browser.field)\
                <button type="submit" class="small">Restore run</button></form>
                """
                : """
                <form method="post" action="\(base)/delete" data-confirm="Delete run \(info.runName)?">\(browser.field)\
                <button type="submit" class="danger small">Delete run</button></form>
                """
        let rename: Html =
            !canUpdate
            ? ""
            : """
            <details class="rename"><summary>Rename</summary>
            <form method="post" action="\(base)/rename">\(browser.field)
            <label for="run-name">New name</label>
            <input id="run-name" name="name" value="\(info.runName)" required maxlength="250">
            <button type="submit" class="small">Save</button>
            </form>
            </details>
            """
        return """
            <div class="actions">
            \(rename)
            \(lifecycle)
            </div>
            """
    }

    /// The note (MLflow's `mlflow.note.content` tag), shown and edited in place.
    func note() -> Html {
        let text = run.tags.first { $0.key == RunActions.noteTag }?.value ?? ""
        let shown: Html = text.isEmpty ? "<p class=\"empty\">No note.</p>" : "<div class=\"note\">\(text)</div>"
        guard canUpdate else { return text.isEmpty ? "" : "<section class=\"card\"><h2>Note</h2>\(shown)</section>" }
        return """
            <section class="card"><h2>Note</h2>\(shown)
            <details><summary>\(text.isEmpty ? "Add a note" : "Edit the note")</summary>
            <form method="post" action="\(base)/note">\(browser.field)
            <label for="run-note">Note</label>
            <textarea id="run-note" name="note" rows="5">\(text)</textarea>
            <button type="submit" class="small">Save note</button>
            </form></details>
            </section>
            """
    }

    /// The user tags with remove buttons, and a form to set one.
    func tags() -> Html {
        let shown = run.tags.filter { !$0.key.hasPrefix("mlflow.") }.sorted { $0.key < $1.key }
        let rows = Html.join(
            shown.map { t -> Html in
                canUpdate
                    ? """
                    <tr><th scope="row">\(t.key)</th><td>\(t.value)</td><td>\
                    <form method="post" action="\(base)/tags/delete">\(browser.field)\
                    <input type="hidden" name="key" value="\(t.key)">\
                    <button type="submit" class="small" aria-label="Remove tag \(t.key)">Remove</button></form></td></tr>
                    """
                    : "<tr><th scope=\"row\">\(t.key)</th><td>\(t.value)</td></tr>"
            })
        let table: Html =
            shown.isEmpty ? "<p class=\"empty\">None.</p>" : "<table class=\"grid kv\"><tbody>\(rows)</tbody></table>"
        guard canUpdate else { return "<section class=\"card\"><h2>Tags</h2>\(table)</section>" }
        return """
            <section class="card"><h2>Tags</h2>\(table)
            <form class="inline tag-form" method="post" action="\(base)/tags">\(browser.field)
            <label for="tag-key">Key</label><input id="tag-key" name="key" required maxlength="250">
            <label for="tag-value">Value</label><input id="tag-value" name="value">
            <button type="submit" class="small">Set tag</button>
            </form>
            </section>
            """
    }
}
