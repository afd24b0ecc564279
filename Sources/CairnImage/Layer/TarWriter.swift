/// Writes a POSIX tar archive (ustar headers, PAX extended headers for names and link targets that do not fit)
/// in the order entries are given, with one fixed modification time: the bytes depend only on the entries.
///
/// ```swift
/// var tar = TarWriter(mtime: 0)
/// try tar.append(TarEntry(path: "app", kind: .directory, mode: 0o755))
/// try tar.append(TarEntry(path: "app/hello.txt", kind: .file(Array("hi\n".utf8)), mode: 0o644))
/// let bytes = tar.finish()   // ends with two zero blocks
/// ```
public struct TarWriter: Sendable {
    /// The errors a tar archive can refuse.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path is empty or has a `..` component.
        case badPath(String)
        /// The file is larger than a ustar size field holds (8 GiB).
        case tooLarge(String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .badPath(let p): "Cannot put '\(p)' in an image layer: paths must be relative and without '..'."
            case .tooLarge(let p): "'\(p)' is larger than 8 GiB, which a tar entry cannot hold."
            }
        }
    }

    /// Modification time of every entry, in seconds since 1970.
    public let mtime: Int64
    /// The archive written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates a writer whose entries all carry `mtime`.
    public init(mtime: Int64) {
        self.mtime = max(0, mtime)
    }

    static let block = 512
    static let maxSize = 0o77777777777

    /// Appends one entry: its header (and a PAX header first when needed), then its content padded to 512 bytes.
    public mutating func append(_ entry: TarEntry) throws(Failure) {
        let path = entry.path
        guard !path.isEmpty, !path.split(separator: "/").contains("..") else { throw .badPath(path) }
        guard entry.size <= Self.maxSize else { throw .tooLarge(path) }
        let name = entry.kind == .directory ? path + "/" : path
        let link: String = if case .symlink(let target) = entry.kind { target } else { "" }
        let split = Self.splitName(Array(name.utf8))
        var pax: [(String, String)] = []
        if split == nil { pax.append(("path", name)) }
        if link.utf8.count > 100 { pax.append(("linkpath", link)) }
        if !pax.isEmpty {
            var records: [UInt8] = []
            for (key, value) in pax { records += Self.paxRecord(key, value) }
            let leaf = name.split(separator: "/").last.map(String.init) ?? "entry"
            let paxName = Array(("PaxHeaders/" + leaf).utf8.prefix(100))
            bytes += header(
                name: paxName, prefix: [], mode: 0o644, uid: 0, gid: 0, size: records.count, type: UInt8(ascii: "x"),
                link: [])
            appendPadded(records)
        }
        let (prefix, short) = split ?? ([], Array(name.utf8.suffix(100)))
        let type: UInt8 =
            switch entry.kind {
            case .file: UInt8(ascii: "0")
            case .directory: UInt8(ascii: "5")
            case .symlink: UInt8(ascii: "2")
            }
        bytes += header(
            name: short, prefix: prefix, mode: entry.mode, uid: entry.uid, gid: entry.gid, size: entry.size,
            type: type, link: Array(link.utf8.prefix(100)))
        if case .file(let content) = entry.kind { appendPadded(content) }
    }

    /// Ends the archive with two zero blocks and returns it.
    public mutating func finish() -> [UInt8] {
        bytes += [UInt8](repeating: 0, count: 2 * Self.block)
        return bytes
    }

    private mutating func appendPadded(_ content: [UInt8]) {
        bytes += content
        let rest = content.count % Self.block
        if rest != 0 { bytes += [UInt8](repeating: 0, count: Self.block - rest) }
    }

    /// Splits a name into the ustar prefix (≤155 bytes) and name (≤100 bytes) fields at a `/`; nil when it cannot.
    static func splitName(_ name: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if name.count <= 100 { return ([], name) }
        guard name.count <= 256 else { return nil }
        let slash = UInt8(ascii: "/")
        // The prefix ends at a slash that is not the last byte (a directory's trailing slash stays in the name).
        for i in stride(from: min(155, name.count - 2), through: 1, by: -1) where name[i] == slash {
            let rest = Array(name[(i + 1)...])
            if rest.count <= 100 && !rest.isEmpty { return (Array(name[..<i]), rest) }
            break
        }
        return nil
    }

    /// One PAX record: `"<len> key=value\n"`, where `len` counts the whole record including its own digits.
    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return Array((String(length) + body).utf8)
    }

    private func header(
        name: [UInt8], prefix: [UInt8], mode: UInt32, uid: Int, gid: Int, size: Int, type: UInt8, link: [UInt8]
    ) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: Self.block)
        func put(_ field: [UInt8], at offset: Int) {
            for (i, b) in field.enumerated() { h[offset + i] = b }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(Int(mode & 0o7777), width: 8), at: 100)
        put(octal(uid, width: 8), at: 108)
        put(octal(gid, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(Int(mtime), width: 12), at: 136)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        h[156] = type
        put(link, at: 157)
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(octal(0, width: 8), at: 329)
        put(octal(0, width: 8), at: 337)
        put(prefix, at: 345)
        let sum = h.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148)
        return h
    }
}
