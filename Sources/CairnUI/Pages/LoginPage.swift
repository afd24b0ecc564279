/// The sign-in form: a centred card with the labels above the fields and a failed attempt's reason above them.
enum LoginPage {
    /// Renders the form; `message` explains a failed attempt and `username` keeps what was typed.
    static func render(next: String, message: String?, username: String = "") -> Html {
        let notice: Html = message.map { "<p class=\"error\" role=\"alert\" id=\"login-error\">\($0)</p>" } ?? ""
        let described: Html = message == nil ? "" : " aria-describedby=\"login-error\""
        // After a failed attempt the name is kept and the password field gets the focus.
        let nameFocus: Html = username.isEmpty ? " autofocus" : ""
        let passwordFocus: Html = username.isEmpty ? "" : " autofocus"
        return Layout.page(
            title: "Sign in", section: .none, navigation: false,
            body: """
                <section class="card login" aria-labelledby="login-title">
                <h1 id="login-title">Sign in to Cairn</h1>
                \(notice)
                <form method="post" action="/login"\(described)>
                <input type="hidden" name="next" value="\(next)">
                <label for="login-username">User name</label>
                <input id="login-username" name="username" value="\(username)" autocomplete="username" \
                spellcheck="false" required\(nameFocus)>
                <label for="login-password">Password</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" \
                required\(passwordFocus)>
                <button type="submit">Sign in</button>
                </form>
                </section>
                """)
    }
}
