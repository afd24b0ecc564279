/// One entry of an image layer: a regular file, a directory or a symbolic link at a path inside the image.
public struct TarEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        /// A regular file with these bytes.
        case file([UInt8])
        /// A directory.
        case directory
        /// A symbolic link to this target.
        case symlink(String)
    }

    /// The path inside the image, relative to `/` and without a trailing slash (`app/cairn`).
    public var path: String
    /// The entry's kind and content.
    public var kind: Kind
    /// Permission bits (`0o755`, `0o1777`).
    public var mode: UInt32
    /// Owner user id.
    public var uid: Int
    /// Owner group id.
    public var gid: Int

    /// Creates an entry; `path` is normalised (no leading `/` or `./`, no trailing `/`).
    public init(path: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0) {
        self.path = TarEntry.normalize(path)
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
    }

    /// `path` without leading `/` or `./` and without trailing `/`.
    public static func normalize(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("/") || p.hasPrefix("./") { p = p.hasPrefix("/") ? p.dropFirst() : p.dropFirst(2) }
        while p.hasSuffix("/") { p = p.dropLast() }
        return String(p)
    }

    /// The size of the content: the file's bytes, 0 for directories and links.
    public var size: Int {
        if case .file(let bytes) = kind { return bytes.count }
        return 0
    }
}
