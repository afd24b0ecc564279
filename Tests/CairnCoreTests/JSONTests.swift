import Testing

@testable import CairnCore

@Suite("JSON reading and writing")
struct JSONTests {
    @Test func parsesNestedDocuments() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2.5, "x", true, null], "b": {"c": 9007199254740993}}"#)
        #expect(
            v
                == .object([
                    "a": .array([.int(1), .double(-2.5), .string("x"), .bool(true), .null]),
                    "b": .object(["c": .int(9_007_199_254_740_993)]),
                ]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONParser.parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#)
        #expect(v == .string("a\"b\\c\né😀"))
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{'a':1}", "-", "[1] x", "\"\u{01}\""])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test func writesNonFiniteDoublesAsStrings() {
        var w = JSONWriter()
        w.array { w in
            w.value(Double.nan)
            w.value(Double.infinity)
            w.value(-Double.infinity)
            w.value(1.5)
        }
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"["NaN","Infinity","-Infinity",1.5]"#)
    }

    @Test func omitsUnsetOptionalFields() {
        let info = RunInfo(
            runId: "r", runName: "n", experimentId: "1", userId: "", status: .running, startTime: 5, endTime: nil,
            artifactUri: "a", lifecycleStage: .active)
        let text = String(decoding: JSONWriter.encode(info), as: UTF8.self)
        #expect(!text.contains("end_time"))
        #expect(text.contains(#""start_time":5"#))
    }

    @Test func escapesControlCharacters() throws {
        var w = JSONWriter()
        w.value("a\u{01}\"\t")
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == #""a\u0001\"\t""#)
        #expect(try JSONParser.parse(text) == .string("a\u{01}\"\t"))
    }

    @Test func writesPlainAndUnicodeStringsAndIntegerExtremes() throws {
        var w = JSONWriter()
        w.array { w in
            w.value("plain-key_1")
            w.value("naïve ✓ 数据")
            w.value("back\\slash")
            w.value(Int64.min)
            w.value(Int64.max)
            w.value(Int64(0))
            w.value(Int64(-42))
        }
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(
            text == #"["plain-key_1","naïve ✓ 数据","back\\slash",-9223372036854775808,9223372036854775807,0,-42]"#)
        #expect(
            try JSONParser.parse(text)
                == .array([
                    .string("plain-key_1"), .string("naïve ✓ 数据"), .string("back\\slash"),
                    .int(-9_223_372_036_854_775_808), .int(9_223_372_036_854_775_807), .int(0), .int(-42),
                ]))
    }

    @Test func pageTokensRoundTrip() throws {
        #expect(try PageToken.decode(PageToken.encode(offset: 1234)) == 1234)
        #expect(PageToken.encode(offset: 1) == "eyJvZmZzZXQiOiAxfQ==")
        #expect(try PageToken.decode(nil) == 0)
        #expect(throws: MlflowError.self) { try PageToken.decode("!!notbase64") }
        #expect(throws: MlflowError.self) { try PageToken.decode(Base64.encode(Array("[1]".utf8))) }
    }
}
