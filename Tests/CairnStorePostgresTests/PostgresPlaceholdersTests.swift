import Testing

@testable import CairnStorePostgres

@Suite("Placeholder rewriting")
struct PostgresPlaceholdersTests {
    @Test(arguments: [
        ("SELECT 1", "SELECT 1", 0),
        ("SELECT * FROM t WHERE a = ? AND b IN (?, ?)", "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)", 3),
        ("SELECT '?', ? FROM t", "SELECT '?', $1 FROM t", 1),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
        (#"SELECT "odd?col" FROM t WHERE x = ?"#, #"SELECT "odd?col" FROM t WHERE x = $1"#, 1),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
        ("SELECT /* ? */ ?", "SELECT /* ? */ $1", 1),
        ("SELECT /*/ ? */ ?", "SELECT /*/ ? */ $1", 1),
        ("SELECT ?-?", "SELECT $1-$2", 2),
        ("SELECT 'ünï?cödé', ?", "SELECT 'ünï?cödé', $1", 1),
    ])
    func rewrites(sql: String, expected: String, count: Int) {
        let rewritten = PostgresPlaceholders.rewrite(sql)
        #expect(rewritten.text == expected)
        #expect(rewritten.count == count)
    }

    @Test func numbersPastNine() {
        let sql = Array(repeating: "?", count: 12).joined(separator: ",")
        let rewritten = PostgresPlaceholders.rewrite(sql)
        #expect(rewritten.text == (1...12).map { "$\($0)" }.joined(separator: ","))
        #expect(rewritten.count == 12)
    }
}
