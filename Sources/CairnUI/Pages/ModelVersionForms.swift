import CairnCore

/// The editing forms of the model pages: aliases, stage and descriptions, each posting with the
/// browser's form token (see ``FormGuard``).
struct ModelVersionForms {
    let version: ModelVersion
    let browser: FormGuard.BrowserToken

    private var base: String { ModelLinks.version(version.name, version.version) }

    /// The aliases with remove buttons, a set-alias form and the stage transition form.
    func manage() -> Html {
        let aliases = Html.join(
            version.aliases.sorted().map { a in
                """
                <li><span class="alias">@\(a)</span> <form class="inline" method="post" action="\(base)/aliases/delete">\
                \(browser.field)<input type="hidden" name="alias" value="\(a)">\
                <button type="submit" class="small" aria-label="Remove alias \(a)">Remove</button></form></li>
                """
            })
        let stages = Html.join(
            ModelStage.allCases.map { s in
                let selected: Html = s == version.currentStage ? " selected" : ""
                return "<option value=\"\(s.rawValue)\"\(selected)>\(s.rawValue)</option>"
            })
        return """
            <section class="card"><h2>Manage</h2>
            <h3>Aliases</h3>
            \(version.aliases.isEmpty ? "<p class=\"empty\">No aliases.</p>" : "<ul class=\"plain\">\(aliases)</ul>" as Html)
            <form class="inline" method="post" action="\(base)/aliases">\(browser.field)
            <label for="alias">Alias</label>
            <input id="alias" name="alias" required maxlength="255" placeholder="e.g. champion">
            <button type="submit" class="small">Set alias</button>
            </form>
            <h3>Stage</h3>
            <form class="inline" method="post" action="\(base)/stage">\(browser.field)
            <label for="stage">Move to</label>
            <select id="stage" name="stage">\(stages)</select>
            <label class="check"><input type="checkbox" name="archive_existing" value="1"> \
            archive other versions in that stage</label>
            <button type="submit" class="small">Transition</button>
            </form>
            </section>
            """
    }

    /// A description editor posting to `action`.
    static func description(_ text: String?, action: String, browser: FormGuard.BrowserToken) -> Html {
        """
        <details class="describe"><summary>Edit description</summary>
        <form method="post" action="\(action)">\(browser.field)
        <label for="description">Description</label>
        <textarea id="description" name="description" rows="4">\(text ?? "")</textarea>
        <button type="submit" class="small">Save description</button>
        </form></details>
        """
    }
}
