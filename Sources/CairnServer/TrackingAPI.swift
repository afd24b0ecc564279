import CairnCore
import CairnStore

/// The MLflow tracking endpoints as plain functions from request fields to JSON bytes.
///
/// Routing, body decoding and error rendering live in ``buildApplication(configuration:store:)``;
/// these functions only validate and call the store.
struct TrackingAPI: Sendable {
    let store: any MetadataStore

    static let empty: [UInt8] = Array("{}".utf8)

    /// Serialises an object written by `body`.
    static func json(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.object(body)
        return w.bytes
    }

    /// Reads `max_results` with a default and an upper bound.
    static func maxResults(
        _ p: RequestParams, default def: Int, limit: Int, name: String = "max_results"
    ) throws(MlflowError) -> Int {
        guard let n = try p.int64(name) else { return def }
        if n <= 0 {
            throw .invalid("Invalid value \(n) for parameter '\(name)' supplied. It must be a positive integer.")
        }
        if n > Int64(limit) {
            throw .invalid(
                "Invalid value \(n) for parameter '\(name)' supplied. It must be at most \(limit), but got value \(n)")
        }
        return Int(n)
    }

    /// Writes `next_page_token` only when another page exists.
    static func writeToken(_ w: inout JSONWriter, _ next: Int?) {
        if let next { w.field("next_page_token", PageToken.encode(offset: next)) }
    }
}
