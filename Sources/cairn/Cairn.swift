import ArgumentParser
import CairnServer
import Foundation

/// The `cairn` command-line tool.
@main
struct Cairn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract:
            "Cairn: experiment tracking, reproducible runs and sweeps, a model registry, model serving with "
            + "rollouts (native XGBoost, LightGBM and ONNX runtimes), container images and Kubernetes manifests, "
            + "drift monitoring with alerts, and a speech pipeline in one binary.",
        discussion: """
            The tracking server speaks the MLflow REST API: point the mlflow client at it with \
            MLFLOW_TRACKING_URI=http://127.0.0.1:5000 and existing training scripts work unchanged.
            """,
        version: cairnVersion,
        subcommands: [
            ServerCommand.self, RunCommand.self, ReproduceCommand.self, SweepCommand.self, BestCommand.self,
            RunsCommand.self, ModelsCommand.self, ServeCommand.self, PredictCommand.self,
            RolloutCommand.self, ImageCommand.self, K8sCommand.self, DriftCommand.self, ProfileCommand.self,
            DriftStreamCommand.self, MonitorCommand.self,
            VADCommand.self, ASRCommand.self, SpeechCommand.self, DBCommand.self, ImportCommand.self,
            UsersCommand.self, TokensCommand.self, AuditCommand.self,
        ]
    )

    /// Parses and runs the command, first catching a misspelt `--option` (input checks would otherwise
    /// report on the arguments it left behind).
    static func main() async {
        // Output to a reader that went away (`| head`) is dropped by Console, not fatal.
        signal(SIGPIPE, SIG_IGN)
        if let problem = UnknownOptions.message(for: Array(CommandLine.arguments.dropFirst()), root: Cairn.self) {
            Console.err("Error: \(problem)\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
