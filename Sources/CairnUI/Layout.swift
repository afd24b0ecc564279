import CairnAuth

/// The page shell shared by every view: head, top navigation, breadcrumbs and main content.
enum Layout {
    /// The top-level section a page belongs to, highlighted in the navigation.
    enum Section {
        case experiments, models, none
    }

    /// Wraps `body` in a complete HTML document; without `navigation` (the sign-in page) the header
    /// shows only the name.
    static func page(
        title: String, section: Section, crumbs: [(String, String?)] = [], navigation: Bool = true, body: Html
    ) -> Html {
        let trail = Html.join(
            crumbs.enumerated().map { i, crumb in
                let sep: Html = i > 0 ? "<span aria-hidden=\"true\">/</span>" : ""
                if let href = crumb.1 { return "\(sep)<a href=\"\(href)\">\(crumb.0)</a>" }
                return "\(sep)<span aria-current=\"page\">\(crumb.0)</span>"
            })
        let expCurrent: Html = section == .experiments ? " aria-current=\"page\"" : ""
        let modCurrent: Html = section == .models ? " aria-current=\"page\"" : ""
        var account: Html = ""
        if let caller = Caller.current, case .session(let formToken) = caller.method {
            account = """
                <form class="account" method="post" action="/logout"><span>\(caller.username)</span>\
                <input type="hidden" name="\(FormGuard.fieldName)" value="\(formToken)">\
                <button type="submit">Sign out</button></form>
                """
        }
        let sections: Html =
            navigation
            ? """
            <nav aria-label="Sections">
            <a href="/"\(expCurrent)>Experiments</a>
            <a href="/models"\(modCurrent)>Models</a>
            </nav>
            """
            : ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Cairn</title>
            <link rel="stylesheet" href="\(Assets.stylePath)">
            <script src="\(Assets.scriptPath)" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="/"><span class="logo" aria-hidden="true">▲</span> Cairn</a>
            \(sections)
            \(account)
            </header>
            \(crumbs.isEmpty ? "" : "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\(trail)</nav>" as Html)
            <main id="main">
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// A status badge for runs, versions and models.
    static func badge(_ text: String) -> Html {
        "<span class=\"badge badge-\(text.lowercased())\">\(text)</span>"
    }
}
