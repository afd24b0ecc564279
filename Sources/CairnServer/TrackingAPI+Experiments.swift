import CairnCore
import CairnStore
import Foundation

extension TrackingAPI {
    func createExperiment(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        try Validation.experimentName(name)
        let tags = try p.keyValues("tags")
        for t in tags { try Validation.experimentTag(t) }
        if let given = try p.string("artifact_location") {
            try ModelVersionSource.refuseHostAddressed(given, field: "artifact_location")
            // A proxied location must stay inside the artifact root, or its artifacts could never be served.
            if let proxied = ArtifactPath.proxyRelativePath(given) { _ = try ArtifactPath.segments(proxied) }
        }
        let location = try p.string("artifact_location").map { given in
            given.isEmpty
                ? given
                : ArtifactLocation.resolve(given, workingDirectory: FileManager.default.currentDirectoryPath)
        }
        let id = try await store.createExperiment(name: name, artifactLocation: location, tags: tags)
        try await access.created(GrantKey(.experiment, id))
        return Self.json { $0.field("experiment_id", id) }
    }

    func getExperiment(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("experiment_id")
        let e = try await store.getExperiment(id: id)
        return Self.json { $0.field("experiment", e) }
    }

    func getExperimentByName(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("experiment_name")
        guard let e = try await store.getExperiment(name: name) else {
            throw MlflowError.notFound("Could not find experiment with name '\(name)'")
        }
        return Self.json { $0.field("experiment", e) }
    }

    func searchExperiments(_ p: RequestParams) async throws -> [UInt8] {
        // The reference reads an absent max_results as 0 and refuses it.
        let max = try Self.maxResults(p, default: 0, limit: Limits.searchRunsMax, wording: .search(tooLarge: .atMost))
        if max == 0 {
            throw MlflowError.invalid(
                "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer")
        }
        let viewType =
            try p.viewType("view_type") ?? .activeOnly
        let filterText = try p.string("filter") ?? ""
        let filter = filterText.isBlank ? nil : try ExperimentFilter(parsing: filterText)
        var orderBy: [ExperimentOrderClause] = []
        try Validation.orderByCount(try p.strings("order_by").count)
        for o in try p.strings("order_by") { orderBy.append(try .parseExperiment(o)) }
        let offset = try PageToken.decode(try p.string("page_token"))
        var query = ExperimentQuery(
            filter: filter, viewType: viewType, maxResults: max, orderBy: orderBy, offset: offset)
        query.visible = try await access.visibility(.experiment)
        let page = try await store.searchExperiments(query)
        return Self.json { w in
            if !page.items.isEmpty { w.field("experiments", page.items) }
            Self.writeToken(&w, page.nextOffset)
        }
    }

    func updateExperiment(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("experiment_id")
        let newName = try p.requiredString("new_name")
        try Validation.experimentName(newName)
        try await store.renameExperiment(id: id, newName: newName)
        return Self.empty
    }

    func deleteExperiment(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteExperiment(id: try p.requiredString("experiment_id"))
        return Self.empty
    }

    func restoreExperiment(_ p: RequestParams) async throws -> [UInt8] {
        try await store.restoreExperiment(id: try p.requiredString("experiment_id"))
        return Self.empty
    }

    func setExperimentTag(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("experiment_id")
        // An absent value is the empty string, as in the reference.
        let tag = KeyValue(try p.requiredString("key"), try p.string("value") ?? "")
        try Validation.experimentTag(tag)
        try await store.setExperimentTag(id: id, tag: tag)
        return Self.empty
    }

    func deleteExperimentTag(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteExperimentTag(id: try p.requiredString("experiment_id"), key: try p.requiredString("key"))
        return Self.empty
    }
}

extension String {
    /// Whether the string is empty or only whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
