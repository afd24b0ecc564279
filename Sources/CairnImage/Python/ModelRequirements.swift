import CairnCore
import Foundation

/// The pip requirements of an MLflow model: its `requirements.txt` and the pip entries of `python_env.yaml`'s
/// `dependencies` that are not that file again.
public struct ModelRequirements: Sendable, Equatable {
    /// The model folder (pip reads `-r`/`-c` lines relative to it).
    public var folder: String
    /// `requirements.txt` as written.
    public var text: String
    /// Further requirement lines from `python_env.yaml`.
    public var extra: [String]

    /// Creates the requirements.
    public init(folder: String, text: String, extra: [String]) {
        self.folder = folder
        self.text = text
        self.extra = extra
    }

    /// `sha256:…` of what is installed: the file's lines and the extra lines, trimmed, comments and blanks dropped.
    public var digest: Digest {
        Digest(of: Array(normalizedLines.joined(separator: "\n").utf8))
    }

    /// The requirement lines, in order.
    public var normalizedLines: [String] {
        (text.split(whereSeparator: \.isNewline).map(String.init) + extra).compactMap { line in
            let bare = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = bare.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// Reads the requirements of the model in `folder`.
    public static func read(folder: String, model: String) throws -> ModelRequirements {
        guard let data = FileManager.default.contents(atPath: folder + "/requirements.txt") else {
            throw ImageError.invalid(
                "The model \(model) has no requirements.txt, so there is nothing to install into the image: pass "
                    + "--no-install-requirements to use the base as it is.")
        }
        let env = FileManager.default.contents(atPath: folder + "/python_env.yaml")
        return ModelRequirements(
            folder: folder, text: String(decoding: data, as: UTF8.self),
            extra: env.map { pipDependencies(yaml: String(decoding: $0, as: UTF8.self)) } ?? [])
    }

    /// The items of the top-level `dependencies:` list of a `python_env.yaml`, without `-r requirements.txt`.
    public static func pipDependencies(yaml: String) -> [String] {
        var inList = false
        var items: [String] = []
        for raw in yaml.split(whereSeparator: \.isNewline) {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if !line.hasPrefix(" ") && !line.hasPrefix("-") {
                inList = trimmed == "dependencies:"
                continue
            }
            guard inList, trimmed.hasPrefix("- ") else { continue }
            var item = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if item.count >= 2, let q = item.first, q == "\"" || q == "'", item.last == q {
                item = String(item.dropFirst().dropLast())
            }
            let words = item.split(separator: " ", omittingEmptySubsequences: true)
            if words.count == 2, words[0] == "-r", words[1] == "requirements.txt" { continue }
            items.append(item)
        }
        return items
    }
}
