import Testing

@testable import CairnInference

@Test func tableKeepsColumnsInOrder() throws {
    let table = try Table(columns: [("a", .double([1, .nan])), ("b", .string(["x", "y"]))])
    #expect(table.rowCount == 2)
    #expect(table.names == ["a", "b"])
    #expect(table.column(named: "b") == .string(["x", "y"]))
    #expect(table.column(named: "c") == nil)
}

@Test func tableRefusesRaggedColumns() {
    #expect(throws: InferenceError.badInput("column 'b' has 1 values, expected 2")) {
        try Table(columns: [("a", .double([1, 2])), ("b", .int64([3]))])
    }
}
