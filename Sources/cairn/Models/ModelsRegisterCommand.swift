import ArgumentParser
import CairnClient
import CairnCore

/// `cairn models register runs:/RUN_ID/model --name NAME [--alias A]`.
struct ModelsRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a logged model as a new version of a registered model.",
        discussion: """
            MODEL_URI is runs:/<run_id>/<artifact_path> (the name given to log_model) or models:/m-<id>. \
            The registered model is created if it does not exist yet.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The model to register: runs:/<run_id>/<path> or models:/m-<id>.")
    var modelUri: String

    @Option(help: "Registered model name.")
    var name: String

    @Option(help: "Also point this alias at the new version.")
    var alias: String?

    func validate() throws {
        do {
            try RegistryValidation.modelName(name)
            if let alias { try RegistryValidation.alias(alias) }
            switch try ModelURI(parsing: modelUri) {
            case .run, .loggedModel: break
            default: throw ValidationError("MODEL_URI must be runs:/<run_id>/<path> or models:/m-<id>.")
            }
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        }
    }

    func run() async throws {
        try await reportingErrors {
            let version = try await options.client().register(modelUri: modelUri, name: name, alias: alias)
            let source = version.source
            if options.json {
                printJSON(JSONWriter.encode(version))
            } else {
                print(
                    "Registered \(name) version \(version.version) from \(source)"
                        + (alias.map { " (alias \($0))" } ?? ""))
            }
        }
    }
}
