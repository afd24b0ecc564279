/// The opt-in auto-refresh of pages that show RUNNING runs: a checkbox the page script remembers in
/// local storage and acts on by reloading the page every ``seconds`` seconds.
enum AutoRefresh {
    /// Seconds between reloads.
    static let seconds = 15

    /// The checkbox, shown only on pages with a RUNNING run.
    static let toggle: Html = """
        <p class="autorefresh small"><label><input type="checkbox" id="autorefresh" \
        data-autorefresh="\(seconds)"> Refresh every \(seconds) s while runs are running</label></p>
        """
}
