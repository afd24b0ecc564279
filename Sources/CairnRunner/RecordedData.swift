import Foundation

/// A dataset a run recorded by digest, and how `cairn reproduce` finds, verifies and places it again.
///
/// Data usually lives outside git (`data/` in `.gitignore`), so a rebuilt checkout does not contain it.
/// ``locate(gitRoot:rebuilt:override:)`` picks where the bytes are: the copy inside the rebuilt
/// checkout when the commit tracks it, else an explicit override, else the recorded location.
/// ``place(from:into:)`` then makes those bytes available at the same relative path inside the rebuilt
/// checkout, so the command finds them where it found them the first time.
public struct RecordedData: Sendable, Equatable {
    /// The absolute path hashed by the original run.
    public var path: String
    /// The recorded SHA-256 of each file, by path relative to ``path``.
    public var files: [String: String]

    /// Creates a record.
    public init(path: String, files: [String: String]) {
        self.path = path
        self.files = files
    }

    /// Where the data of a reproduction comes from, and where the command expects it.
    public struct Location: Sendable, Equatable {
        /// The folder or file whose bytes are verified and used.
        public var source: String
        /// The path inside the rebuilt checkout the data must appear at, when it differs from `source`.
        public var target: String?
    }

    /// The path of the data relative to the original repository root, when it lives inside it.
    public func relativePath(toRepository root: String) -> String? {
        func inside(_ path: String, _ root: String) -> String? {
            let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
            guard path.hasPrefix(trimmed + "/") else { return nil }
            return String(path.dropFirst(trimmed.count + 1))
        }
        // git reports the root with links resolved; the data path keeps the spelling it was given.
        return inside(path, root)
            ?? inside(
                URL(fileURLWithPath: path).resolvingSymlinksInPath().path,
                URL(fileURLWithPath: root).resolvingSymlinksInPath().path)
    }

    /// Chooses where to read the data from for a reproduction.
    ///
    /// - Parameters:
    ///   - gitRoot: the original repository root, when the run recorded one.
    ///   - rebuilt: the rebuilt checkout of that repository, when there is one.
    ///   - override: a path given by the user (`--data PATH`) that replaces the recorded location.
    public func locate(gitRoot: String?, rebuilt: String?, override: String?) -> Location {
        var inCheckout: String?
        if let relative = gitRoot.flatMap({ relativePath(toRepository: $0) }), let rebuilt {
            inCheckout = rebuilt + "/" + relative
        }
        if override == nil, let inCheckout, FileManager.default.fileExists(atPath: inCheckout) {
            // Tracked by the commit: the checkout already holds the recorded version.
            return Location(source: inCheckout, target: nil)
        }
        let source = override.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? path
        return Location(source: source, target: inCheckout)
    }

    /// Files whose bytes differ from the record (changed, added or gone); `["(missing) PATH"]` when the
    /// data cannot be read at all.
    public func changedFiles(at source: String) -> [String] {
        guard let digest = try? DataDigest.compute(path: source) else { return ["(missing) " + source] }
        if files.isEmpty { return [] }
        // A single recorded file is keyed by its own name; compare by content when the name differs.
        if digest.files.count == 1, files.count == 1, let now = digest.files.values.first,
            let then = files.values.first
        {
            return now == then ? [] : [digest.files.keys.first ?? source]
        }
        return digest.changedFiles(since: files)
    }

    /// Makes the data at `source` appear at `target` as real files: hard links where the file system
    /// allows, copies elsewhere. Removing the checkout afterwards never removes the originals, and git
    /// sees an ordinary (usually ignored) folder rather than a symbolic link.
    public static func place(from source: String, into target: String) throws {
        let fm = FileManager.default
        // An override replaces whatever the commit tracks there; only the rebuilt checkout is touched.
        if (try? fm.attributesOfItem(atPath: target)) != nil { try fm.removeItem(atPath: target) }
        try fm.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: source, isDirectory: &isDir) else {
            throw RunnerError("Data path \(source) does not exist.")
        }
        guard isDir.boolValue else {
            try linkOrCopy(source, target)
            return
        }
        try fm.createDirectory(atPath: target, withIntermediateDirectories: false)
        let walker = fm.enumerator(atPath: source)
        while let item = walker?.nextObject() as? String {
            var sub: ObjCBool = false
            guard fm.fileExists(atPath: source + "/" + item, isDirectory: &sub) else { continue }
            if sub.boolValue {
                try fm.createDirectory(atPath: target + "/" + item, withIntermediateDirectories: true)
            } else {
                try linkOrCopy(source + "/" + item, target + "/" + item)
            }
        }
    }

    /// Pairs `--data PATH` overrides with recorded datasets: one override for one dataset, else by the
    /// last path component (`--data /mnt/new/train` replaces the dataset recorded as `…/train`).
    public static func match(overrides: [String], to records: [RecordedData]) throws -> [String?] {
        var result = [String?](repeating: nil, count: records.count)
        if overrides.isEmpty { return result }
        if records.count == 1, overrides.count == 1 { return [overrides[0]] }
        func name(_ path: String) -> String {
            (URL(fileURLWithPath: path).standardizedFileURL.path as NSString).lastPathComponent
        }
        for override in overrides {
            guard let index = records.indices.first(where: { name(records[$0].path) == name(override) }) else {
                let names = records.map { name($0.path) }.joined(separator: ", ")
                throw RunnerError("--data \(override) matches none of the recorded datasets (\(names)).")
            }
            result[index] = override
        }
        return result
    }

    private static func linkOrCopy(_ from: String, _ to: String) throws {
        let real = URL(fileURLWithPath: from).resolvingSymlinksInPath().path
        if link(real, to) == 0 { return }
        try FileManager.default.copyItem(atPath: real, toPath: to)
    }
}
