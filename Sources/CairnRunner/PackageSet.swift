/// The packages of a Python environment, read from `pip freeze` output.
///
/// ```swift
/// let recorded = PackageSet(freeze: "numpy==2.4.6\nscikit-learn==1.9.1\n")
/// recorded["Scikit_Learn"]   // "==1.9.1" (names compare as PEP 503 normalises them)
/// ```
public struct PackageSet: Sendable, Equatable {
    /// One `pip freeze` line.
    public struct Requirement: Sendable, Equatable {
        /// The name as written.
        public var name: String
        /// The PEP 503 normalised name (lower case, runs of `-_.` as one `-`).
        public var key: String
        /// `1.9.1` for `==` pins; the whole specifier otherwise (`@ file:///…`, `-e …`).
        public var version: String
        /// The line as `pip install -r` reads it.
        public var line: String
        /// Whether pip can install it from an index or a wheel folder (a `name==version` pin).
        public var isPinned: Bool
    }

    /// Requirements by normalised name.
    public private(set) var requirements: [String: Requirement] = [:]

    /// Reads `pip freeze` output; comments and blank lines are skipped.
    public init(freeze: String) {
        for raw in freeze.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("-e ") || line.hasPrefix("--editable") {
                let target = line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line
                let name = target.split(separator: "#egg=").last.map(String.init) ?? target
                add(Requirement(name: name, key: Self.normalise(name), version: line, line: line, isPinned: false))
            } else if let range = line.range(of: "==") {
                let name = String(line[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                let version = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                add(Requirement(name: name, key: Self.normalise(name), version: version, line: line, isPinned: true))
            } else if let at = line.range(of: " @ ") {
                let name = String(line[..<at.lowerBound])
                add(
                    Requirement(
                        name: name, key: Self.normalise(name),
                        version: String(line[at.lowerBound...]).trimmingCharacters(
                            in: .whitespaces), line: line, isPinned: false))
            } else {
                add(Requirement(name: line, key: Self.normalise(line), version: "", line: line, isPinned: false))
            }
        }
    }

    private mutating func add(_ r: Requirement) { requirements[r.key] = r }

    /// The version (or specifier) of a package, by any spelling of its name.
    public subscript(name: String) -> String? { requirements[Self.normalise(name)]?.version }

    /// Every requirement, by normalised name.
    public var sorted: [Requirement] { requirements.values.sorted { $0.key < $1.key } }

    /// PEP 503 name normalisation.
    public static func normalise(_ name: String) -> String {
        var out = ""
        var lastWasSeparator = false
        for c in name.lowercased() {
            if c == "-" || c == "_" || c == "." {
                if !lastWasSeparator { out.append("-") }
                lastWasSeparator = true
            } else {
                out.append(c)
                lastWasSeparator = false
            }
        }
        return out
    }
}

/// How a Python environment differs from the one a run recorded.
public struct EnvironmentDiff: Sendable, Equatable {
    /// A package whose version changed.
    public struct Change: Sendable, Equatable {
        public var name: String
        public var recorded: String
        public var current: String
    }

    /// `3.11.7 → 3.12.1` when the interpreter version changed.
    public var python: (recorded: String, current: String)?
    public var changed: [Change] = []
    /// Packages only the current environment has.
    public var added: [PackageSet.Requirement] = []
    /// Packages only the recorded environment had.
    public var removed: [PackageSet.Requirement] = []

    public static func == (a: EnvironmentDiff, b: EnvironmentDiff) -> Bool {
        a.python?.recorded == b.python?.recorded && a.python?.current == b.python?.current && a.changed == b.changed
            && a.added == b.added && a.removed == b.removed
    }

    /// Compares a recorded environment with the current one.
    public init(
        recordedPython: String?, currentPython: String?, recorded: PackageSet, current: PackageSet
    ) {
        if let r = recordedPython, let c = currentPython, r != c { python = (r, c) }
        for r in recorded.sorted {
            if let c = current.requirements[r.key] {
                if c.version != r.version {
                    changed.append(Change(name: r.name, recorded: r.version, current: c.version))
                }
            } else {
                removed.append(r)
            }
        }
        added = current.sorted.filter { recorded.requirements[$0.key] == nil }
    }

    /// Whether nothing differs.
    public var isEmpty: Bool { python == nil && changed.isEmpty && added.isEmpty && removed.isEmpty }

    /// Packages that differ in any way.
    public var packageCount: Int { changed.count + added.count + removed.count }

    /// One line per difference: `scikit-learn 1.9.1 → 1.10.0`, `+ rich 13.0.0`, `- tqdm 4.66.0`.
    public var lines: [String] {
        var out: [String] = []
        if let python { out.append("Python \(python.recorded) → \(python.current)") }
        out += changed.map { "\($0.name) \($0.recorded) → \($0.current)" }
        out += removed.map { "- \($0.name) \($0.version) (recorded, not installed now)" }
        out += added.map { "+ \($0.name) \($0.version) (installed now, not recorded)" }
        return out
    }
}
