import ArgumentParser

/// `cairn speech`: the edge side of the speech pipeline.
struct SpeechCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speech",
        abstract: "Edge speech pipeline: clip speech out of a stream and transcribe it with a recognition service.",
        subcommands: [SpeechStreamCommand.self]
    )
}
