import Foundation

/// Cairn's cache folders: `$XDG_CACHE_HOME/cairn/NAME`, else `~/.cache/cairn/NAME` (downloaded
/// models, built Python environments).
public enum CacheFolder {
    /// The cache folder called `name`.
    public static func path(_ name: String) -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/cairn/" + name
    }
}
