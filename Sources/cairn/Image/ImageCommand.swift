import ArgumentParser

/// `cairn image`: OCI images of models and of Cairn's services, built without a container daemon.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build OCI images of models and Cairn services without a daemon, and push them to a registry.",
        subcommands: [ImageBuildCommand.self, ImagePushCommand.self])
}
