import ArgumentParser
import CairnServer

/// The `cairn` command-line tool.
@main
struct Cairn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract:
            "Cairn: experiment tracking, reproducible runs and sweeps, a model registry, drift monitoring and a speech "
            + "pipeline in one binary.",
        discussion: """
            The tracking server speaks the MLflow REST API: point the mlflow client at it with \
            MLFLOW_TRACKING_URI=http://127.0.0.1:5000 and existing training scripts work unchanged.
            """,
        version: cairnVersion,
        subcommands: [
            ServerCommand.self, RunCommand.self, ReproduceCommand.self, SweepCommand.self, BestCommand.self,
            RunsCommand.self, ModelsCommand.self, DriftCommand.self, ProfileCommand.self, DriftStreamCommand.self,
            VADCommand.self, ASRCommand.self, SpeechCommand.self,
        ]
    )
}
