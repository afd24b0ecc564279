/// The sign-in form.
enum LoginPage {
    /// Renders the form; `message` explains a failed attempt.
    static func render(next: String, message: String?) -> Html {
        let notice: Html = message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return Layout.page(
            title: "Sign in", section: .none,
            body: """
                <section class="card login">
                <h1>Sign in</h1>
                \(notice)
                <form method="post" action="/login">
                <input type="hidden" name="next" value="\(next)">
                <label>User name <input name="username" autocomplete="username" required autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button>
                </form>
                </section>
                """)
    }
}
