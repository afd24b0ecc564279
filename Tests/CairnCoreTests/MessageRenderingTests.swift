import Testing

@testable import CairnCore

@Suite struct MessageRenderingTests {
    @Test(arguments: [
        (JSONValue.string("foo"), "\"foo\""), (.int(5), "5"), (.double(1.0), "1.0"), (.double(1e20), "1e+20"),
        (.double(1.5e-5), "1.5e-05"), (.bool(true), "true"), (.null, "null"),
        (.array([.string("x"), .int(1)]), "[\"x\",1]"),
        (.object(["b": .int(1), "a": .string("é")]), "{\"a\":\"\\u00e9\",\"b\":1}"),
    ])
    func rendersAsCompactSortedJSON(value: JSONValue, expected: String) {
        #expect(value.messageRendering == expected)
    }
}
