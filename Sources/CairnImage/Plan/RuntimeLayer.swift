import Foundation

/// The layer every Cairn image starts with: users and groups, `/tmp`, the non-root home, and executables under
/// `/app` together with the dynamic loader and the shared libraries they need (at the paths the loader resolved them
/// from, so the binary runs unchanged), or nothing more for static binaries.
public enum RuntimeLayer {
    /// `/etc/passwd` with root and the non-root user.
    public static let passwd = """
        root:x:0:0:root:/root:/sbin/nologin
        nonroot:x:\(ImagePlan.nonRootID):\(ImagePlan.nonRootID):nonroot:/home/nonroot:/sbin/nologin

        """
    /// `/etc/group` with root and the non-root group.
    public static let group = """
        root:x:0:
        nonroot:x:\(ImagePlan.nonRootID):

        """

    /// The layer with `executables` (host path → name under `/app`) and their run-time libraries.
    /// `libraries` lists the loader and libraries to copy (from ``BinaryDependencies/resolve(binary:)``): at their
    /// own paths, or flat in the folder `under` (for images on a base that has its own C library). `users: false`
    /// leaves `/etc/passwd` and `/etc/group` to a base image.
    public static func build(
        executables: [(host: String, name: String)], libraries: [String], under: String? = nil, users: Bool = true
    ) throws -> LayerBuilder {
        var layer = LayerBuilder()
        if users {
            layer.addFile("etc/passwd", contents: Array(passwd.utf8))
            layer.addFile("etc/group", contents: Array(group.utf8))
        }
        layer.addDirectory("tmp", mode: 0o1777)
        layer.addDirectory("home/nonroot", mode: 0o755, uid: ImagePlan.nonRootID, gid: ImagePlan.nonRootID)
        layer.addDirectory("app")
        for (host, name) in executables {
            try layer.copyFile(from: host, to: "app/" + name, mode: 0o755)
        }
        for library in libraries {
            let target = under.map { $0 + "/" + (library as NSString).lastPathComponent } ?? library
            try layer.copyFile(from: library, to: target, mode: isLoader(library) ? 0o755 : nil)
        }
        return layer
    }

    /// Where libraries go on a base image.
    public static let libraryFolder = "app/lib"

    /// Whether a path is the dynamic loader (`ld-linux-x86-64.so.2`, `ld-linux-aarch64.so.1`).
    public static func isLoader(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("ld-linux")
    }

    /// The environment every image gets.
    public static let baseEnvironment = [
        "PATH=/app:/usr/local/bin:/usr/bin:/bin", "HOME=/home/nonroot", "TMPDIR=/tmp",
    ]
}
