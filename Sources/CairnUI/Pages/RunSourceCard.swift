import CairnCore

/// The "Source" card of a run page: commit, branch, repository, command, the diff artifact and
/// the `cairn reproduce` command to copy.
enum RunSourceCard {
    /// Tags that may hold the command line, in order of preference.
    static let commandTags = ["cairn.command", "cairn.source.command", "mlflow.source.command"]
    /// Tags that may name the artifact holding the uncommitted diff.
    static let diffTags = ["cairn.source.diff", "cairn.diff"]

    /// The tag `cairn reproduce` needs: the command `cairn run` executed.
    static let reproducibleTag = "cairn.command"

    /// The `cairn reproduce` command to copy, only for runs that carry what it needs; for other runs,
    /// what is missing.
    static func reproduceLine(run: Run, tags: [String: String]) -> Html {
        guard tags[reproducibleTag] != nil else {
            return """
                <p class="muted" id="reproduce-missing">Not reproducible with <code>cairn reproduce</code>: \
                this run was not started by <code>cairn run</code>, so it has no recorded command \
                (tag <code>\(reproducibleTag)</code>)\(tags["mlflow.source.git.commit"] == nil ? ", commit or data digests" : " or data digests").</p>
                """
        }
        let reproduce = "cairn reproduce " + run.info.runId
        return """
            <p class="copy-line"><label for="reproduce">Reproduce</label>
            <input id="reproduce" class="mono" readonly value="\(reproduce)">
            <button type="button" class="small" data-copy="reproduce">Copy</button></p>
            """
    }

    static func render(run: Run, tags: [String: String], diffArtifact: String? = nil) -> Html {
        var facts: Html = ""
        func fact(_ label: String, _ value: Html?) {
            guard let value else { return }
            facts += "<dt>\(label)</dt><dd>\(value)</dd>"
        }
        fact("Commit", tags["mlflow.source.git.commit"].map { "<code>\($0)</code>" as Html })
        fact("Branch", tags["mlflow.source.git.branch"].map { "\($0)" as Html })
        fact("Repository", tags["mlflow.source.git.repoURL"].map { "<span class=\"wrap\">\($0)</span>" as Html })
        fact("Source", tags["mlflow.source.name"].map { "<span class=\"wrap\">\($0)</span>" as Html })
        fact("Source type", tags["mlflow.source.type"].map { "\($0)" as Html })
        if let command = commandTags.lazy.compactMap({ tags[$0] }).first {
            fact("Command", "<code class=\"wrap\">\(command)</code>")
        }
        fact("Working directory", tags["cairn.workdir"].map { "<code class=\"wrap\">\($0)</code>" as Html })
        fact("Seed", tags["cairn.seed"].map { "\($0)" as Html })
        let diff = diffTags.lazy.compactMap { tags[$0] }.first ?? diffArtifact
        if let diff {
            let href = QueryString.url("/runs/" + run.info.runId + "/artifacts", [("path", diff)])
            fact("Uncommitted diff", "<a href=\"\(href)\">\(diff)</a>")
        }
        return """
            <section class="card"><h2>Source</h2>
            \(facts.raw.isEmpty ? "<p class=\"empty\">No source recorded.</p>" : "<dl class=\"facts\">\(facts)</dl>" as Html)
            \(reproduceLine(run: run, tags: tags))
            </section>
            """
    }
}
