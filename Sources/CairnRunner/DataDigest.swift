import Crypto
import Foundation

/// Content digests of data files and folders, to detect later changes.
///
/// The digest of a folder is SHA-256 over its files in sorted relative-path order, each
/// contributing its path, a NUL byte, its content length and its content, so renames and
/// moves change the digest too. A single file hashes the same way with its own name.
public struct DataDigest: Sendable, Equatable {
    /// The absolute path that was hashed.
    public var path: String
    /// Hex SHA-256 over the whole tree.
    public var sha256: String
    /// Hex SHA-256 of each file, by relative path.
    public var files: [String: String]
    /// Total bytes hashed.
    public var bytes: Int64

    /// Hashes a file or a folder (recursively; hidden files included, symlinks followed).
    public static func compute(path: String) throws -> DataDigest {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir) else {
            throw RunnerError("Data path \(path) does not exist.")
        }
        var relatives: [String] = []
        if isDir.boolValue {
            let walker = FileManager.default.enumerator(atPath: absolute)
            while let item = walker?.nextObject() as? String {
                var sub: ObjCBool = false
                if FileManager.default.fileExists(atPath: absolute + "/" + item, isDirectory: &sub), !sub.boolValue {
                    relatives.append(item)
                }
            }
            relatives.sort()
        } else {
            relatives = [(absolute as NSString).lastPathComponent]
        }
        var tree = SHA256()
        var files: [String: String] = [:]
        var total: Int64 = 0
        for rel in relatives {
            let full = isDir.boolValue ? absolute + "/" + rel : absolute
            guard let handle = FileHandle(forReadingAtPath: full) else { throw RunnerError("Cannot read \(full).") }
            defer { try? handle.close() }
            var file = SHA256()
            var size: Int64 = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                file.update(data: chunk)
                size += Int64(chunk.count)
            }
            // Hash path, length and content for the tree digest (content re-read to keep memory flat).
            tree.update(data: Data(rel.utf8) + Data([0]) + Data(String(size).utf8) + Data([0]))
            try handle.seek(toOffset: 0)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { tree.update(data: chunk) }
            files[rel] = hex(file.finalize())
            total += size
        }
        return DataDigest(path: absolute, sha256: hex(tree.finalize()), files: files, bytes: total)
    }

    /// Files whose content differs, appeared or disappeared compared to `recorded`.
    public func changedFiles(since recorded: [String: String]) -> [String] {
        let keys = Set(files.keys).union(recorded.keys)
        return keys.filter { files[$0] != recorded[$0] }.sorted()
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
