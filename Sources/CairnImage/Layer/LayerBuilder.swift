import Foundation

/// Collects the entries of one image layer and writes them as a reproducible tar: every parent directory present,
/// entries sorted by path, one mtime, owners and modes as given (never the host's).
///
/// ```swift
/// var layer = LayerBuilder()
/// layer.addFile("etc/passwd", contents: Array("root:x:0:0::/:/sbin/nologin\n".utf8))
/// try layer.copyFile(from: "/usr/bin/env", to: "usr/bin/env")   // mode 0755: the host file is executable
/// let tar = try layer.tar(mtime: 0)
/// ```
public struct LayerBuilder: Sendable {
    /// Entries by normalised path; adding a path again replaces it.
    public private(set) var entries: [String: TarEntry] = [:]

    /// Creates an empty layer.
    public init() {}

    /// Adds (or replaces) an entry.
    public mutating func add(_ entry: TarEntry) {
        entries[entry.path] = entry
    }

    /// Adds a directory.
    public mutating func addDirectory(_ path: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0) {
        add(TarEntry(path: path, kind: .directory, mode: mode, uid: uid, gid: gid))
    }

    /// Adds a file with the given bytes.
    public mutating func addFile(_ path: String, contents: [UInt8], mode: UInt32 = 0o644) {
        add(TarEntry(path: path, kind: .file(contents), mode: mode))
    }

    /// Adds a symbolic link.
    public mutating func addSymlink(_ path: String, target: String) {
        add(TarEntry(path: path, kind: .symlink(target), mode: 0o777))
    }

    /// Copies a host file (following links) to `path` with `mode`, by default 0755 when the host file is executable
    /// by anyone, else 0644.
    public mutating func copyFile(from hostPath: String, to path: String, mode: UInt32? = nil) throws {
        let resolved = URL(fileURLWithPath: hostPath).resolvingSymlinksInPath().path
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw ImageError.unreadable(hostPath)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
        let hostMode = (attributes?[.posixPermissions] as? NSNumber)?.uint32Value ?? 0o644
        addFile(path, contents: [UInt8](data), mode: mode ?? (hostMode & 0o111 != 0 ? 0o755 : 0o644))
    }

    /// Copies a host folder's files (following links) under `path`, skipping names `skip` rejects.
    public mutating func copyTree(from hostDir: String, to path: String, skip: (String) -> Bool = { _ in false }) throws
    {
        let root = URL(fileURLWithPath: hostDir).resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw ImageError.unreadable(hostDir) }
        addDirectory(path)
        while let relative = walker.nextObject() as? String {
            if skip(relative) { continue }
            let full = root + "/" + relative
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                addDirectory(path + "/" + relative)
            } else {
                try copyFile(from: full, to: path + "/" + relative)
            }
        }
    }

    /// The entries with every missing parent directory added (0755, root), sorted by path.
    public func sortedEntries() -> [TarEntry] {
        var all = entries
        for path in entries.keys {
            var parts = path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                let parent = parts.joined(separator: "/")
                if all[parent] == nil { all[parent] = TarEntry(path: parent, kind: .directory, mode: 0o755) }
                parts = parts.dropLast()
            }
        }
        return all.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The layer as an uncompressed tar, every entry at `mtime`.
    public func tar(mtime: Int64) throws -> [UInt8] {
        var writer = TarWriter(mtime: mtime)
        for entry in sortedEntries() { try writer.append(entry) }
        return writer.finish()
    }
}
