import Testing

@testable import CairnCore

@Suite struct GraphQLSelectionTests {
    @Test func parsesNestedSelectionsAliasesAndSkipsArgumentsAndDirectives() throws {
        let fields = try GraphQLSelection.parse(
            """
            # the run page
            query GetRun($data: MlflowGetRunInput!) @component(name: "MLflow.Run") {
              mlflowGetRun(input: $data) {
                apiError { code }
                run { info { runUuid, id: runName } __typename }
              }
            }
            """)
        #expect(
            fields == [
                GraphQLSelection(
                    name: "mlflowGetRun",
                    children: [
                        GraphQLSelection(name: "apiError", children: [GraphQLSelection(name: "code")]),
                        GraphQLSelection(
                            name: "run",
                            children: [
                                GraphQLSelection(
                                    name: "info",
                                    children: [
                                        GraphQLSelection(name: "runUuid"),
                                        GraphQLSelection(name: "runName", responseKey: "id"),
                                    ]),
                                GraphQLSelection(name: "__typename"),
                            ]),
                    ])
            ])
    }

    @Test func picksTheNamedOperation() throws {
        let text = "query A { a } query B { b }"
        #expect(try GraphQLSelection.parse(text, operationName: "B").map(\.name) == ["b"])
        #expect(throws: MlflowError.self) { try GraphQLSelection.parse(text) }
        #expect(throws: MlflowError.self) { try GraphQLSelection.parse(text, operationName: "C") }
    }

    @Test(arguments: ["{ a { b }", "query { a(x: 1 }", "{ ...F }", "subscription { a }", "{ a: }"])
    func refusesWhatItCannotAnswer(text: String) {
        #expect(throws: MlflowError.self) { try GraphQLSelection.parse(text) }
    }

    @Test func projectsOnlyTheSelectedFields() throws {
        let value = GraphValue.object(
            typeName: "T",
            fields: [
                "a": .int64(5), "b": .number(.nan), "c": .list([.object(typeName: "U", fields: ["x": .string("y")])]),
            ])
        let fields = try GraphQLSelection.parse("{ a b missing c { x __typename } __typename }")
        var w = JSONWriter()
        value.write(selecting: fields, to: &w)
        #expect(
            String(decoding: w.bytes, as: UTF8.self)
                == #"{"a":"5","b":null,"missing":null,"c":[{"x":"y","__typename":"U"}],"__typename":"T"}"#)
    }
}
