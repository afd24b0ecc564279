import CairnServingCore
import Synchronization

/// A loaded model in one deployment role, with a count of the requests it is answering (so a
/// replaced version can drain before it is shut down).
public final class ModelSlot: Sendable {
    /// Which model and version.
    public let model: FetchedModel
    /// The loaded model.
    public let runtime: any LoadedModel
    /// primary, canary or shadow.
    public let role: PredictionRecord.Role
    let inFlight = Atomic<Int>(0)

    public init(model: FetchedModel, runtime: any LoadedModel, role: PredictionRecord.Role) {
        self.model = model
        self.runtime = runtime
        self.role = role
    }

    /// `name/version`.
    public var label: String { model.label }
    /// The runtime serving it (`native` or `python`).
    public var runtimeName: String { runtime.details.first { $0.0 == "runtime" }?.1 ?? "python" }

    /// Waits until no request is in flight, then shuts the model down.
    func drainAndShutdown() async {
        while inFlight.load(ordering: .acquiring) > 0 { try? await Task.sleep(for: .milliseconds(20)) }
        await runtime.shutdown()
    }
}
