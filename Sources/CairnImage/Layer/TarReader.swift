/// Reads the entry list of a tar (ustar, PAX `x` records and GNU long names), for looking inside a base image's
/// layers; the bytes of an entry are the slice of the tar its `data` range names.
///
/// ```swift
/// let entries = try TarReader.entries(Gzip.decompress(layerBlob))
/// let passwd = entries.first { $0.path == "etc/passwd" }.map { tar[$0.data] }
/// ```
public enum TarReader {
    /// One header read back.
    public struct Entry: Sendable, Equatable {
        /// The path, normalised like ``TarEntry`` paths (no leading `/` or `./`, no trailing `/`).
        public var path: String
        /// The ustar type flag (`0` file, `5` directory, `2` symlink, `1` hard link).
        public var type: UInt8
        /// The link target for links.
        public var linkTarget: String
        /// Where the entry's bytes are in the tar.
        public var data: Range<Int>

        /// Whether the entry is a regular file.
        public var isFile: Bool { type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") }
        /// Whether the entry is a symbolic link.
        public var isSymlink: Bool { type == UInt8(ascii: "2") }
        /// Whether the entry is a directory.
        public var isDirectory: Bool { type == UInt8(ascii: "5") }
    }

    /// Every entry of `tar` in order; PAX and GNU long-name records are applied to the entry that follows them.
    public static func entries(_ tar: [UInt8]) throws(ImageError) -> [Entry] {
        var result: [Entry] = []
        var offset = 0
        var longPath: String?
        var longLink: String?
        while offset + 512 <= tar.count {
            let header = tar[offset..<(offset + 512)]
            if !header.contains(where: { $0 != 0 }) { break }
            guard let size = number(tar, offset + 124, 12), size >= 0, offset + 512 + size <= tar.count else {
                throw .malformed("tar header at byte \(offset) has a bad size")
            }
            let type = tar[offset + 156]
            let data = (offset + 512)..<(offset + 512 + size)
            switch type {
            case UInt8(ascii: "x"):
                for (key, value) in paxRecords(tar[data]) {
                    if key == "path" { longPath = value }
                    if key == "linkpath" { longLink = value }
                }
            case UInt8(ascii: "L"):
                longPath = text(tar[data])
            case UInt8(ascii: "K"):
                longLink = text(tar[data])
            case UInt8(ascii: "g"):
                break
            default:
                var name = text(tar[(offset)..<(offset + 100)])
                let magic = text(tar[(offset + 257)..<(offset + 262)])
                let prefix = magic == "ustar" ? text(tar[(offset + 345)..<(offset + 500)]) : ""
                if !prefix.isEmpty { name = prefix + "/" + name }
                result.append(
                    Entry(
                        path: TarEntry.normalize(longPath ?? name), type: type,
                        linkTarget: longLink ?? text(tar[(offset + 157)..<(offset + 257)]), data: data))
                longPath = nil
                longLink = nil
            }
            offset += 512 + (size + 511) / 512 * 512
        }
        return result
    }

    /// A NUL-terminated header field as text.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal header field, or a base-256 one (high bit set on the first byte).
    static func number(_ tar: [UInt8], _ at: Int, _ length: Int) -> Int? {
        let field = tar[at..<(at + length)]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x7F)
            for byte in field.dropFirst() { value = value << 8 | Int(byte) }
            return value
        }
        let digits = text(field).filter { $0 != " " }
        return digits.isEmpty ? 0 : Int(digits, radix: 8)
    }

    /// `LENGTH key=value\n` records of a PAX extended header.
    static func paxRecords(_ bytes: ArraySlice<UInt8>) -> [(String, String)] {
        var records: [(String, String)] = []
        var rest = bytes[...]
        while let space = rest.firstIndex(of: UInt8(ascii: " ")),
            let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)), length > 0,
            rest.startIndex + length <= rest.endIndex
        {
            let record = rest[(space + 1)..<(rest.startIndex + length)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
                var value = record[(equals + 1)...]
                if value.last == UInt8(ascii: "\n") { value = value.dropLast() }
                records.append((key, String(decoding: value, as: UTF8.self)))
            }
            rest = rest[(rest.startIndex + length)...]
        }
        return records
    }
}
