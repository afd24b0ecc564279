import ArgumentParser
import CairnCore

/// `cairn models stage NAME VERSION STAGE [--archive-existing]`.
struct ModelsStageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Move a model version to a stage: None, Staging, Production or Archived.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "Registered model name.")
    var name: String

    @Argument(help: "Version number.")
    var version: Int64

    @Argument(help: "Target stage (case-insensitive).")
    var stage: String

    @Flag(help: "Archive the versions currently in the target stage (Staging or Production only).")
    var archiveExisting = false

    func validate() throws {
        guard let s = ModelStage(caseInsensitive: stage) else {
            throw ValidationError("STAGE must be one of None, Staging, Production, Archived.")
        }
        if archiveExisting && !(s == .staging || s == .production) {
            throw ValidationError("--archive-existing only applies to Staging and Production.")
        }
        guard version > 0 else { throw ValidationError("VERSION must be a positive integer.") }
    }

    func run() async throws {
        try await reportingErrors {
            let v = try await options.client().transitionStage(
                name: name, version: version, stage: ModelStage(caseInsensitive: stage)!,
                archiveExisting: archiveExisting)
            if options.json {
                printJSON(JSONWriter.encode(v))
            } else {
                print("\(name) version \(v.version) is now in \(v.currentStage.rawValue)")
            }
        }
    }
}
