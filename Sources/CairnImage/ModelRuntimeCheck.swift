import CairnInference
import Foundation
import Yams

/// Decides whether a model folder can be served by a native runtime (no Python in the image) or needs Python.
public enum ModelRuntimeCheck {
    /// `native` when one of the model's flavors loads natively, else `python`.
    public static func runtime(folder: String) -> String {
        guard let data = FileManager.default.contents(atPath: folder + "/MLmodel"),
            let yaml = try? Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any],
            let flavors = yaml["flavors"] as? [String: Any]
        else { return "python" }
        for flavor in NativeFlavor.supported {
            guard let raw = flavors[flavor] as? [String: Any] else { continue }
            var settings: [String: String] = [:]
            for (k, v) in raw where !(v is [Any] || v is [String: Any]) { settings[k] = "\(v)" }
            let read: (String) throws -> [UInt8] = { relative in
                guard !relative.contains(".."), let d = FileManager.default.contents(atPath: folder + "/" + relative)
                else { throw ImageError.unreadable(relative) }
                return [UInt8](d)
            }
            if (try? NativeFlavor.load(flavor: flavor, settings: settings, read: read)) != nil { return "native" }
        }
        return "python"
    }
}
