import CairnCore
import CairnServingCore
import Foundation

/// The request MLflow saves with a model (`serving_input_example.json`), used to warm a freshly
/// loaded model before it takes traffic.
enum ServingExample {
    static func load(folder: String) -> ScoringRequest? {
        guard let data = FileManager.default.contents(atPath: folder + "/serving_input_example.json") else {
            return nil
        }
        return try? ScoringRequestParser.parseJSON(Array(data))
    }
}
