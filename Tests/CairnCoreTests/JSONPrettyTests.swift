import Testing

@testable import CairnCore

@Suite("Pretty-printed JSON")
struct JSONPrettyTests {
    @Test func indentsNestedValuesTwoSpacesWithSpacedColons() {
        var w = JSONWriter()
        w.object { w in
            w.key("a")
            w.array { w in
                w.value(Int64(1))
                w.object { w in w.field("b", true) }
            }
            w.field("c", "x")
        }
        let expected = """
            {
              "a" : [
                1,
                {
                  "b" : true
                }
              ],
              "c" : "x"
            }
            """
        #expect(String(decoding: w.prettyBytes, as: UTF8.self) == expected)
    }

    @Test func leavesStringsAndEmptyContainersAlone() throws {
        var w = JSONWriter()
        w.object { w in
            w.field("s", #"{a: [1, 2]} "quoted" \ end"#)
            w.key("empty")
            w.array { _ in }
            w.key("none")
            w.object { _ in }
        }
        let pretty = w.prettyBytes
        let text = String(decoding: pretty, as: UTF8.self)
        #expect(text.contains(#""s" : "{a: [1, 2]} \"quoted\" \\ end""#))
        #expect(text.contains(#""empty" : [],"#))
        #expect(text.contains(#""none" : {}"#))
        // The same document as the compact text.
        #expect(try JSONParser.parse(pretty) == JSONParser.parse(w.bytes))
    }
}
