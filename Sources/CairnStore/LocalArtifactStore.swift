import CairnCore
import Foundation

/// An entry of an artifact directory listing.
public struct ArtifactEntry: Sendable, Equatable {
    /// The name (or path relative to the listed root, depending on the caller).
    public var path: String
    public var isDirectory: Bool
    /// Size in bytes; nil for directories.
    public var size: Int64?
}

/// Artifacts kept in a folder on the local disk (the server's `--artifacts-destination`).
///
/// Every path is validated by ``ArtifactPath`` and resolved below ``root``; nothing is ever
/// read, written, listed or deleted outside it. Symbolic links inside the folder are followed only
/// while their target stays inside the root: ``resolve(_:)`` returns the real path (no link left in
/// its existing part) or refuses with `Invalid path`, so every caller opens what was checked.
public struct LocalArtifactStore: Sendable {
    /// The absolute root folder, with symbolic links resolved.
    public let root: String

    /// Creates the store, creating the root folder if needed.
    public init(root: String) throws {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        self.root = Self.realPath(absolute) ?? absolute
    }

    /// Maps an `mlflow-artifacts:` URI to a path relative to the root, or nil for other schemes.
    public static func proxiedPath(_ uri: String) -> String? { ArtifactPath.proxyRelativePath(uri) }

    /// The absolute file path for a validated relative path ("" is the root), with every symbolic
    /// link in its existing part resolved; refuses a path that would lead outside the root.
    public func resolve(_ relative: String) throws(MlflowError) -> String {
        let segments = try ArtifactPath.segments(relative)
        let path = segments.isEmpty ? root : root + "/" + segments.joined(separator: "/")
        guard path.utf8.count < Self.maxPathBytes else {
            throw MlflowError.invalid("Invalid path: the artifact path is too long.")
        }
        return try confined(path)
    }

    /// Longest absolute path the file system accepts (`PATH_MAX`).
    static let maxPathBytes = Int(PATH_MAX)

    /// `path` with its longest existing prefix replaced by that prefix's real path, when it lies inside
    /// the root; the missing rest is appended unchanged.
    private func confined(_ path: String) throws(MlflowError) -> String {
        var existing = path
        var missing: [Substring] = []
        var info = stat()
        while existing != root, lstat(existing, &info) != 0 {
            let slash = existing.lastIndex(of: "/") ?? existing.startIndex
            missing.insert(existing[existing.index(after: slash)...], at: 0)
            existing = String(existing[..<slash])
        }
        // A dangling link has no real path: refused like a link that leaves the root.
        guard let real = Self.realPath(existing), real == root || real.hasPrefix(root + "/") else {
            throw ArtifactPath.invalid
        }
        return missing.isEmpty ? real : real + "/" + missing.joined(separator: "/")
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What is at a path: nil when nothing, else whether it is a directory.
    public func kind(_ absolute: String) -> Bool? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir) else { return nil }
        return isDir.boolValue
    }

    /// Lists one directory level, sorted by name. A missing path or a file lists as empty.
    public func list(_ relative: String) throws(MlflowError) -> [ArtifactEntry] {
        let dir = try resolve(relative)
        guard kind(dir) == true, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            return []
        }
        return names.sorted().compactMap { name in
            if name.hasPrefix(".cairn-upload-") { return nil }
            // A link whose target leaves the root is not listed; one that stays inside lists as its target.
            guard let full = try? confined(dir + "/" + name),
                let attrs = try? FileManager.default.attributesOfItem(atPath: full)
            else { return nil }
            let isDir = (attrs[.type] as? FileAttributeType) == .typeDirectory
            let size = (attrs[.size] as? NSNumber)?.int64Value
            return ArtifactEntry(path: name, isDirectory: isDir, size: isDir ? nil : size)
        }
    }

    /// Prepares to write `relative`: creates parent folders and returns the final path and a
    /// temporary path in the same folder to stream into before an atomic rename.
    public func prepareUpload(_ relative: String) throws(MlflowError) -> (final: String, temporary: String) {
        let final = try resolve(relative)
        guard final != root else { throw ArtifactPath.invalid }
        if kind(final) == true {
            throw MlflowError.invalid("Cannot upload to '\(relative)': it is an existing directory.")
        }
        let parent = (final as NSString).deletingLastPathComponent
        do {
            if kind(parent) == false {
                throw MlflowError.invalid("Cannot upload to '\(relative)': a parent path is a file.")
            }
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch let e as MlflowError {
            throw e
        } catch {
            throw MlflowError.invalid("Cannot create the folder for '\(relative)': a parent path is a file.")
        }
        let temporary = parent + "/.cairn-upload-" + Identifiers.hex32()
        return (final, temporary)
    }

    /// Atomically moves a finished upload into place.
    public func commitUpload(temporary: String, final: String) throws {
        if rename(temporary, final) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw MlflowError(.internalError, "Could not store the artifact (errno \(code)).")
        }
    }

    /// Deletes a file or folder (recursively). Deleting a missing path is not an error.
    public func delete(_ relative: String) throws(MlflowError) {
        let path = try resolve(relative)
        guard path != root else { throw MlflowError.invalid("Refusing to delete the artifact root.") }
        if kind(path) != nil {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw MlflowError(.internalError, "Could not delete '\(relative)'.")
            }
        }
    }
}
