import Testing

@testable import CairnCore

@Suite("Runs filter grammar")
struct RunFilterTests {
    @Test func parsesMetricParamAndTagClauses() throws {
        let f = try RunFilter(parsing: "metrics.acc > 0.9 and params.lr = '0.01' AND tags.team != \"core\"")
        #expect(
            f.clauses == [
                RunFilterClause(field: .metric("acc"), comparator: .greater, value: .number(0.9)),
                RunFilterClause(field: .param("lr"), comparator: .equal, value: .string("0.01")),
                RunFilterClause(field: .tag("team"), comparator: .notEqual, value: .string("core")),
            ])
    }

    @Test(arguments: [
        ("metric.a = 1", RunField.metric("a")),
        ("param.a = '1'", .param("a")),
        ("parameters.a = '1'", .param("a")),
        ("tag.a = '1'", .tag("a")),
        ("attribute.status = 'FINISHED'", .attribute(.status)),
        ("attr.run_name = 'x'", .attribute(.runName)),
        ("run.run_id = 'x'", .attribute(.runId)),
        ("status = 'FINISHED'", .attribute(.status)),
        ("created > 5", .attribute(.startTime)),
        ("`Run name` = 'x'", .attribute(.runName)),
        ("datasets.digest = 'abc'", .dataset(.digest)),
    ])
    func resolvesEntityAliases(filter: String, field: RunField) throws {
        #expect(try RunFilter(parsing: filter).clauses.first?.field == field)
    }

    @Test func quotedKeysMayContainSpacesAndDots() throws {
        let f = try RunFilter(parsing: "metrics.`my metric` >= 1 and tags.\"mlflow.runName\" LIKE 'a%'")
        #expect(f.clauses[0].field == .metric("my metric"))
        #expect(f.clauses[1].field == .tag("mlflow.runName"))
        #expect(f.clauses[1].comparator == .like)
    }

    @Test func dottedKeysKeepTheRestAfterTheFirstDot() throws {
        #expect(try RunFilter(parsing: "params.model.depth = '3'").clauses[0].field == .param("model.depth"))
    }

    @Test func inListOnlyForRunId() throws {
        let f = try RunFilter(parsing: "attributes.run_id IN ('a', 'b')")
        #expect(f.clauses[0].value == .list(["a", "b"]))
        #expect(f.clauses[0].comparator == .in)
        #expect(throws: MlflowError.self) { try RunFilter(parsing: "attributes.run_name IN ('a')") }
    }

    @Test func nullChecksOnParamsAndTags() throws {
        let f = try RunFilter(parsing: "params.x IS NULL and tags.y is not null")
        #expect(f.clauses.map(\.comparator) == [.isNull, .isNotNull])
        #expect(throws: MlflowError.self) { try RunFilter(parsing: "metrics.x IS NULL") }
    }

    @Test func rejectsOr() {
        #expect(throws: MlflowError.invalid("Invalid clause(s) in filter string: 'OR'. Only 'AND' is supported.")) {
            try RunFilter(parsing: "metrics.a > 1 OR metrics.b > 2")
        }
    }

    @Test func rejectsUnquotedStrings() throws {
        let error = #expect(throws: MlflowError.self) { try RunFilter(parsing: "params.a = abc") }
        #expect(error?.message.contains("not quoted") == true)
    }

    @Test func rejectsNonNumericMetricValue() throws {
        let error = #expect(throws: MlflowError.self) { try RunFilter(parsing: "metrics.a > 'x'") }
        #expect(error?.message.contains("Expected numeric value type for metric") == true)
    }

    @Test(arguments: [
        "metrics.a >", "metrics.a 1", "foo.a = '1'", "attributes.nope = '1'", "params.a LIKE", "params.a = '1' AND",
        "metrics.a > 1 metrics.b > 2", "params.a = 'unterminated", "(metrics.a > 1)", "params.a ~ '1'",
    ])
    func rejectsMalformedFilters(filter: String) {
        #expect(throws: MlflowError.self) { try RunFilter(parsing: filter) }
    }

    @Test func emptyFilterHasNoClauses() throws {
        #expect(try FilterParser.parse("   ").isEmpty)
    }

    @Test func negativeAndExponentNumbers() throws {
        let f = try RunFilter(parsing: "metrics.a > -1.5e-3")
        #expect(f.clauses[0].value == .number(-1.5e-3))
    }

    @Test func orderByParsing() throws {
        #expect(
            try RunOrderClause.parseRun("metrics.acc DESC") == RunOrderClause(field: .metric("acc"), ascending: false))
        #expect(
            try RunOrderClause.parseRun("start_time") == RunOrderClause(field: .attribute(.startTime), ascending: true))
        #expect(
            try RunOrderClause.parseRun("params.`a b` asc") == RunOrderClause(field: .param("a b"), ascending: true))
        #expect(throws: MlflowError.self) { try RunOrderClause.parseRun("metrics.acc sideways") }
        #expect(throws: MlflowError.self) { try RunOrderClause.parseRun("nope.x") }
    }

    @Test func experimentFilterAndOrder() throws {
        let f = try ExperimentFilter(parsing: "name LIKE 'rec%' and tags.team = 'a' and creation_time > 5")
        #expect(f.clauses.map(\.field) == [.name, .tag("team"), .creationTime])
        #expect(throws: MlflowError.self) { try ExperimentFilter(parsing: "metrics.a > 1") }
        #expect(try ExperimentOrderClause.parseExperiment("name DESC") == .init(field: .name, ascending: false))
    }

    @Test func loggedModelFilter() throws {
        let f = try LoggedModelFilter(parsing: "name = 'model' and metrics.acc >= 0.5 and params.x = '1'")
        #expect(f.clauses.map(\.field) == [.attribute(.name), .metric("acc"), .param("x")])
        #expect(throws: MlflowError.self) { try LoggedModelFilter(parsing: "metrics.acc = 'x'") }
    }
}

@Suite struct RunFilterTextTests {
    @Test(arguments: [
        "tags.`cairn.sweep.id` = 'a1b2'",
        "params.`lr` = 'it''s'",
        "metrics.`acc` > 0.5 AND attributes.status = 'FINISHED'",
        "attributes.run_id IN ('a', 'b')",
        "params.`p` IS NULL",
    ])
    func roundTrips(text: String) throws {
        let filter = try RunFilter(parsing: text)
        #expect(try RunFilter(parsing: filter.text) == filter)
    }

    @Test func hostileValuesStayValues() throws {
        let filter = RunFilter.tags([("k`x", "v' or 1=1 --\\"), ("mlflow.parentRunId", "abc")])
        let parsed = try RunFilter(parsing: filter.text)
        #expect(parsed == filter)
    }
}
