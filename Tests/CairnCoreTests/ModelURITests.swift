import Testing

@testable import CairnCore

@Suite("Model URIs and registry rules")
struct ModelURITests {
    @Test(arguments: [
        ("models:/churn/3", ModelURI.version(name: "churn", version: 3)),
        ("models:/churn@champion", .alias(name: "churn", alias: "champion")),
        ("models:/churn/Production", .stage(name: "churn", stage: .production)),
        ("models:/churn/staging", .stage(name: "churn", stage: .staging)),
        ("models:/churn/latest", .latest(name: "churn")),
        ("models:/m-0123abcd", .loggedModel(id: "m-0123abcd")),
        ("runs:/abc123/model", .run(runId: "abc123", path: "model")),
        ("runs:/abc123/nested/dir/", .run(runId: "abc123", path: "nested/dir")),
        ("runs:/abc123", .run(runId: "abc123", path: "")),
    ])
    func parses(text: String, expected: ModelURI) throws {
        #expect(try ModelURI(parsing: text) == expected)
    }

    @Test(arguments: [
        "models:/", "models:/churn/0", "models:/churn/Prod", "models:/a/b/c", "s3://x", "runs:/", "churn",
    ])
    func rejects(text: String) {
        #expect(throws: MlflowError.self) { try ModelURI(parsing: text) }
    }

    @Test func roundTripsDescription() throws {
        for text in ["models:/churn/3", "models:/churn@champion", "models:/churn/Production", "runs:/r/model"] {
            #expect(try ModelURI(parsing: text).description == text)
        }
    }

    @Test func aliasRules() throws {
        try RegistryValidation.alias("champion")
        try RegistryValidation.alias("v1-candidate")
        #expect(throws: MlflowError.invalid("'latest' alias name (case insensitive) is reserved.")) {
            try RegistryValidation.alias("LaTeSt")
        }
        #expect(throws: MlflowError.invalid("Version alias name 'v12' is reserved.")) {
            try RegistryValidation.alias("v12")
        }
        #expect(throws: MlflowError.self) { try RegistryValidation.alias("has space") }
    }

    @Test func registryFilters() throws {
        let f = try ModelVersionFilter(parsing: "name = 'a' and run_id IN ('x', 'y') and version_number > 1")
        #expect(f.clauses.map(\.field) == [.name, .runId, .versionNumber])
        #expect(throws: MlflowError.self) { try ModelVersionFilter(parsing: "version_number > 'x'") }
        let r = try RegisteredModelFilter(parsing: "name LIKE 'c%' and tags.team != 'x'")
        #expect(r.clauses.map(\.field) == [.name, .tag("team")])
        #expect(try RegisteredModelOrder(parsing: "timestamp DESC") == .lastUpdated(ascending: false))
        #expect(throws: MlflowError.self) { try RegisteredModelOrder(parsing: "creation_timestamp") }
    }
}
