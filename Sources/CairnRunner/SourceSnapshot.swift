import Foundation

/// The code a run executed: the git commit plus any uncommitted changes, so it can be rebuilt.
public struct SourceSnapshot: Sendable {
    /// The repository's top-level folder.
    public var root: String
    public var commit: String
    public var branch: String?
    public var remote: String?
    /// `git diff HEAD --binary`: staged and unstaged changes against the commit (empty when clean).
    public var diff: Data
    /// Untracked, non-ignored files (paths relative to `root`).
    public var untracked: [String]
    /// Untracked files skipped for being larger than ``maxUntrackedFileSize``.
    public var skippedUntracked: [String]

    /// Largest untracked file copied into the run.
    public static let maxUntrackedFileSize = 10 * 1024 * 1024

    /// Whether the working tree differs from the commit.
    public var isDirty: Bool { !diff.isEmpty || !untracked.isEmpty }

    /// Captures the repository containing `directory`; nil when it is not inside a git work tree
    /// (or the repository has no commit yet).
    public static func capture(in directory: String) -> SourceSnapshot? {
        guard let top = Shell.run(["git", "rev-parse", "--show-toplevel"], in: directory), top.status == 0,
            let head = Shell.run(["git", "rev-parse", "HEAD"], in: directory), head.status == 0
        else { return nil }
        let root = top.text
        let branch = Shell.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], in: root).flatMap {
            $0.status == 0 && $0.text != "HEAD" ? $0.text : nil
        }
        let remote = Shell.run(["git", "config", "--get", "remote.origin.url"], in: root).flatMap {
            $0.status == 0 && !$0.text.isEmpty ? $0.text : nil
        }
        let diff = Shell.run(["git", "diff", "HEAD", "--binary"], in: root)?.stdout ?? Data()
        let listed = Shell.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], in: root)?.stdout ?? Data()
        var untracked: [String] = []
        var skipped: [String] = []
        for entry in listed.split(separator: 0) {
            let path = String(decoding: entry, as: UTF8.self)
            let size =
                (try? FileManager.default.attributesOfItem(atPath: root + "/" + path)[.size] as? NSNumber)?
                .intValue ?? 0
            if size > maxUntrackedFileSize { skipped.append(path) } else { untracked.append(path) }
        }
        return SourceSnapshot(
            root: root, commit: head.text, branch: branch, remote: remote, diff: diff, untracked: untracked.sorted(),
            skippedUntracked: skipped.sorted())
    }

    /// Rebuilds the recorded source in `destination`: a detached worktree at the commit, the diff
    /// applied, and the untracked files copied from `untrackedFolder`.
    public static func rebuild(
        repository: String, commit: String, diff: Data?, untrackedFolder: String?, into destination: String
    ) throws {
        if FileManager.default.fileExists(atPath: destination) {
            throw RunnerError("The folder \(destination) already exists; choose another --workdir.")
        }
        guard let add = Shell.run(["git", "worktree", "add", "--detach", destination, commit], in: repository),
            add.status == 0
        else {
            throw RunnerError(
                "Could not check out commit \(commit) from \(repository): "
                    + (Shell.run(["git", "cat-file", "-t", commit], in: repository)?.status == 0
                        ? "git worktree failed." : "the commit is not in that repository."))
        }
        do {
            try fill(destination, commit: commit, diff: diff, untrackedFolder: untrackedFolder)
        } catch {
            removeWorktree(destination, repository: repository)
            throw error
        }
    }

    /// Removes a checkout made by ``rebuild(repository:commit:diff:untrackedFolder:into:)``, files and
    /// registration both, so `git worktree list` no longer shows it.
    public static func removeWorktree(_ path: String, repository: String) {
        _ = Shell.run(["git", "worktree", "remove", "--force", "--force", path], in: repository)
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        _ = Shell.run(["git", "worktree", "prune"], in: repository)
    }

    private static func fill(_ destination: String, commit: String, diff: Data?, untrackedFolder: String?) throws {
        if let diff, !diff.isEmpty {
            let patch = destination + "/.cairn-source.patch"
            try diff.write(to: URL(fileURLWithPath: patch))
            defer { try? FileManager.default.removeItem(atPath: patch) }
            guard let applied = Shell.run(["git", "apply", "--binary", "--whitespace=nowarn", patch], in: destination),
                applied.status == 0
            else { throw RunnerError("The recorded diff does not apply to commit \(commit).") }
        }
        if let untrackedFolder, FileManager.default.fileExists(atPath: untrackedFolder) {
            let walker = FileManager.default.enumerator(atPath: untrackedFolder)
            while let item = walker?.nextObject() as? String {
                var isDir: ObjCBool = false
                let source = untrackedFolder + "/" + item
                guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir), !isDir.boolValue else {
                    continue
                }
                let target = destination + "/" + item
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.copyItem(atPath: source, toPath: target)
            }
        }
    }
}

/// An error from the run machinery, with a message for the terminal.
public struct RunnerError: Error, CustomStringConvertible, Sendable {
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
