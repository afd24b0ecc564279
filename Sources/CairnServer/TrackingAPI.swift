import CairnAuth
import CairnCore
import CairnStore

/// The MLflow tracking endpoints as plain functions from request fields to JSON bytes.
///
/// Routing, body decoding and error rendering live in ``buildApplication(configuration:store:)``;
/// these functions only validate and call the store.
struct TrackingAPI: Sendable {
    let store: any MetadataStore
    /// Permission checks, search narrowing, creator grants and the audit log.
    let access: ResourceGuard

    /// Creates the API over a store; `auth` nil serves everyone (no `--auth`).
    init(store: any MetadataStore, auth: AuthService? = nil) {
        self.store = store
        self.access = ResourceGuard(auth: auth, store: store)
    }

    static let empty: [UInt8] = Array("{}".utf8)

    /// Serialises an object written by `body`; `capacity` is the expected size, for large replies.
    static func json(capacity: Int = 256, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.object(body)
        return w.bytes
    }

    /// How an endpoint words an out-of-range `max_results`; the reference server's texts differ per endpoint.
    enum MaxResultsWording {
        /// "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"
        /// (experiments and runs search; too-large values as in ``tooLarge``).
        case search(tooLarge: TooLarge)
        /// The same with a final period (metric history).
        case history
        /// "max_results must be between 1 and N." (the bulk-interval sampler).
        case between
        /// "Invalid value for max_results. It must be a positive integer, but got 0" (model versions).
        case modelVersions

        /// How a value above the limit is reported.
        enum TooLarge {
            /// "… supplied. It must be at most N"
            case atMost
            /// The generic type-hint message quoting the value as sent.
            case typeHint
        }
    }

    /// Reads `max_results` with a default and an upper bound, with the endpoint's error texts.
    static func maxResults(
        _ p: RequestParams, default def: Int, limit: Int, wording: MaxResultsWording, name: String = "max_results"
    ) throws(MlflowError) -> Int {
        guard let n = try p.int64(name) else { return def }
        let seeDocs = " See the API docs for more information about request parameters."
        if n <= 0 || n > Int64(limit) {
            switch wording {
            case .between: throw .invalid("max_results must be between 1 and \(limit)." + seeDocs)
            case .modelVersions where n <= 0:
                throw .invalid("Invalid value for max_results. It must be a positive integer, but got \(n)")
            case .history where n <= 0:
                throw .invalid("Invalid value \(n) for parameter '\(name)' supplied. It must be a positive integer.")
            case .search where n <= 0:
                throw .invalid("Invalid value \(n) for parameter '\(name)' supplied. It must be a positive integer")
            case .search(.atMost):
                throw .invalid("Invalid value \(n) for parameter '\(name)' supplied. It must be at most \(limit)")
            case .search(.typeHint), .modelVersions, .history:
                throw p.typeError(name)
            }
        }
        return Int(n)
    }

    /// Writes `next_page_token` only when another page exists.
    static func writeToken(_ w: inout JSONWriter, _ next: Int?) {
        if let next { w.field("next_page_token", PageToken.encode(offset: next)) }
    }
}
