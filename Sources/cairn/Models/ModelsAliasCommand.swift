import ArgumentParser
import CairnCore

/// `cairn models alias NAME ALIAS VERSION`.
struct ModelsAliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Point an alias (e.g. champion) at a model version, moving it if it exists.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "Registered model name.")
    var name: String

    @Argument(help: "Alias to set.")
    var alias: String

    @Argument(help: "Version number the alias points at.")
    var version: Int64

    func validate() throws {
        do {
            try RegistryValidation.alias(alias)
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        }
        guard version > 0 else { throw ValidationError("VERSION must be a positive integer.") }
    }

    func run() async throws {
        try await reportingErrors {
            try await options.client().setAlias(name: name, alias: alias, version: version)
            print("\(name)@\(alias) -> version \(version)")
        }
    }
}
