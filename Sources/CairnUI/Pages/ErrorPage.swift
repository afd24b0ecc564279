import CairnCore

/// The page shown for a bad request, an unknown id or a server failure.
enum ErrorPage {
    /// Renders an error with its title and message.
    static func render(status: Int, message: String) -> Html {
        let title =
            switch status {
            case 404: "Not found"
            case 400: "Bad request"
            case 401: "Not signed in"
            case 403: "Not allowed"
            case 429: "Too many attempts"
            default: "Something went wrong"
            }
        return Layout.page(
            title: title, section: .none,
            body: """
                <section class="card error-page" role="alert">
                <h1>\(title) <span class="muted">(\(status))</span></h1>
                <p class="error-message">\(message)</p>
                <p><a href="/">Back to experiments</a></p>
                </section>
                """)
    }
}
