/// What an MLflow import brought over, what it found already there, and what it left out.
public struct ImportSummary: Sendable, Equatable {
    /// Imported and already-present counts of one kind of entity.
    public struct Count: Sendable, Equatable {
        /// What is counted (`experiments`, `runs`, `metric points`…).
        public var kind: String
        /// Written by this import.
        public var imported = 0
        /// Found in the target and left as it was.
        public var skipped = 0
    }

    /// A source table the import does not read, with its rows.
    public struct SkippedTable: Sendable, Equatable {
        /// The table (or folder) name.
        public var name: String
        /// Its rows.
        public var rows: Int
    }

    /// Per-kind counts, in import order.
    public var counts: [Count] = Self.kinds.map { Count(kind: $0) }
    /// Source tables Cairn does not model (traces, assessments…), with their row counts.
    public var skippedTables: [SkippedTable] = []
    /// Workspaces other than `default` found in the source; they are not imported.
    public var otherWorkspaces: [String] = []
    /// Artifact files copied into the destination.
    public var artifactFilesCopied = 0
    /// Recorded local artifact folders that did not exist (their URIs were still rewritten).
    public var artifactFoldersMissing = 0
    /// Remote artifact locations kept as recorded (nothing to copy from the local disk).
    public var artifactLocationsKeptRemote = 0
    /// Wall-clock seconds.
    public var seconds = 0.0

    /// The kinds counted, in order.
    public static let kinds = [
        "experiments", "runs", "params", "tags", "metric points", "dataset inputs", "logged models",
        "registered models", "model versions", "aliases",
    ]

    /// The count of one kind.
    public func count(_ kind: String) -> Count {
        counts.first { $0.kind == kind } ?? Count(kind: kind)
    }

    /// Adds to the count of one kind.
    mutating func add(_ kind: String, imported: Int = 0, skipped: Int = 0) {
        guard let i = counts.firstIndex(where: { $0.kind == kind }) else {
            counts.append(Count(kind: kind, imported: imported, skipped: skipped))
            return
        }
        counts[i].imported += imported
        counts[i].skipped += skipped
    }

    /// Records what copying one artifact folder did.
    mutating func add(_ outcome: ArtifactRelocator.Outcome) {
        artifactFilesCopied += outcome.files
        artifactFoldersMissing += outcome.missing
        artifactLocationsKeptRemote += outcome.remote
    }
}
