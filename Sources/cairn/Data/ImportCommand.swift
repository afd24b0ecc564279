import ArgumentParser

/// `cairn import`: bring data from other tracking systems.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import experiments, runs and models from another tracking system.",
        subcommands: [ImportMLflowCommand.self]
    )
}
