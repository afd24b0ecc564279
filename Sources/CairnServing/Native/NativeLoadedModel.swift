import CairnCore
import CairnInference
import CairnServingCore
import Dispatch

/// A model evaluated by ``CairnInference`` behind the ``LoadedModel`` protocol: converts request
/// frames to tables the way the signature types them, and the output to MLflow's JSON.
final class NativeLoadedModel: LoadedModel {
    let model: any NativeModel
    let signature: ModelSignature
    let details: [(String, String)]
    let loadSeconds: Double
    let offloadRows: Int
    private let tables: TableBuilder

    init(model: any NativeModel, signature: ModelSignature, loadSeconds: Double, offloadRows: Int) {
        self.model = model
        self.signature = signature
        self.loadSeconds = loadSeconds
        self.offloadRows = offloadRows
        tables = TableBuilder(signature: signature, modelInputs: model.inputNames, inputCount: model.inputCount)
        details = [("runtime", "native"), ("flavors", model.flavor)] + model.details
    }

    func predict(_ request: ScoringRequest) async throws -> Predictions {
        if let params = request.params, params != .null, params != .object([:]) {
            throw ScoringError.badRequest(
                "The native \(model.flavor) runtime takes no inference params; serve the model with --runtime python to pass them."
            )
        }
        let table = try tables.table(for: request.input)
        let model = model
        let run: @Sendable () throws -> Predictions = {
            do {
                return try model.predict(table).predictions()
            } catch let error as InferenceError {
                switch error {
                case .badInput(let message): throw ScoringError.badRequest(message)
                case .unsupported(let message): throw ScoringError(status: 500, message)
                }
            }
        }
        guard table.rowCount >= offloadRows else { return try run() }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try run() }) }
        }
    }

    func shutdown() async {}
}
