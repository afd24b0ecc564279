import ArgumentParser

/// `cairn models`: the model registry from the command line.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Work with the model registry of a running tracking server.",
        subcommands: [
            ModelsListCommand.self, ModelsShowCommand.self, ModelsRegisterCommand.self, ModelsAliasCommand.self,
            ModelsStageCommand.self, ModelsDownloadCommand.self,
        ]
    )
}
