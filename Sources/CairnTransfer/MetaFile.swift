import Foundation
import Yams

/// One `meta.yaml` of MLflow's file store, read by key.
struct MetaFile {
    /// The file, for messages.
    let path: String
    private let root: Node

    /// Reads and parses `path`; a missing or malformed file is an error naming it.
    init(path: String) throws(TransferError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw .conflict("Cannot read \(path).") }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .conflict("\(path) is not valid YAML: \(error)")
        }
        guard let node, node.mapping != nil else { throw .conflict("\(path) holds no YAML mapping.") }
        root = node
    }

    /// A text value; nil when absent or null.
    func text(_ key: String) -> String? {
        guard let node = root[key], node.null == nil else { return nil }
        return node.string
    }

    /// A required text value.
    func require(_ key: String) throws(TransferError) -> String {
        guard let value = text(key) else { throw .conflict("\(path) has no '\(key)'.") }
        return value
    }

    /// An integer value written as a number or as quoted digits; nil when absent or null.
    func int(_ key: String) -> Int64? { text(key).flatMap { Int64($0) } }

    /// A mapping of text values (tags, aliases); empty when absent.
    func pairs(_ key: String) -> [KeyValuePair] {
        guard let mapping = root[key]?.mapping else { return [] }
        return mapping.compactMap { k, v in
            guard let key = k.string else { return nil }
            return KeyValuePair(key: key, value: v.null == nil ? v.string ?? "" : "")
        }
    }

    /// A key and its value from a mapping.
    struct KeyValuePair: Equatable {
        var key: String
        var value: String
    }
}
