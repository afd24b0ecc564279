import CairnStoreSQL
import CairnStoreSQLite
import Testing

/// Forwards everything but ``SQLSession/forEachRow(_:_:)``, so that the protocol's default reader runs.
struct ForwardingConnection: SQLSession {
    let base: any SQLSession
    var dialect: SQLDialect { base.dialect }
    func execute(_ statement: SQLStatement) throws -> Int { try base.execute(statement) }
    func forEach(_ statement: SQLStatement, _ body: (SQLRow) throws -> Void) throws {
        try base.forEach(statement, body)
    }
    func insertMany(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        try base.insertMany(into: table, columns: columns, rows: rows, suffix: suffix)
    }
}

/// What one reader makes of the sample row, getter by getter (a failure becomes its message).
struct Readout: Equatable, Sendable {
    var values: [SQLValue] = []
    var nulls: [Bool] = []
    var typed: [String] = []
}

@Suite("Reading rows column by column")
struct SQLRowReaderTests {
    static let query: SQLStatement = "SELECT i, r, whole, t, n, b FROM sample ORDER BY i"

    /// Reads every row with every getter through `forEachRow` of `connection`.
    static func readout(_ connection: any SQLSession) throws -> Readout {
        var out = Readout()
        func note(_ read: () throws -> String) {
            do { out.typed.append(try read()) } catch { out.typed.append("error: \(error)") }
        }
        try connection.forEachRow(query) { row in
            for i in 0..<6 {
                out.values.append(try row.value(i))
                out.nulls.append(try row.isNull(i))
                note { String(try row.int64(i)) }
                note { String(try row.double(i)) }
                note { try row.string(i) }
                note { String(describing: try row.optionalString(i)) }
                note { String(describing: try row.optionalInt64(i)) }
            }
            note { String(try row.int64(6)) }
        }
        return out
    }

    static func database() async throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(inMemory: ())
        try await db.write { s in
            try s.execute("CREATE TABLE sample (i INTEGER, r REAL, whole REAL, t TEXT, n TEXT, b BLOB)")
            try s.execute("INSERT INTO sample VALUES (-7, 0.1, 3.0, 'héllo, \"world\"', NULL, x'00ff')")
            try s.execute("INSERT INTO sample VALUES (9007199254740993, -1e300, 2.5, '', 'x', NULL)")
        }
        return db
    }

    @Test func sqliteReaderReadsWhatTheGeneralPathReads() async throws {
        let db = try await Self.database()
        let direct = try await db.read { s in try Self.readout(s) }
        let general = try await db.read { s in try Self.readout(ForwardingConnection(base: s)) }
        #expect(direct == general)
        #expect(direct.values.count == 12)
    }

    @Test func typedGettersDecodeAndRefuseWrongTypes() async throws {
        let db = try await Self.database()
        let out = try await db.read { s in try Self.readout(s) }
        // Row 1: i, r, whole, t, n, b; five typed readings per column, then the out-of-range one.
        let i = Array(out.typed[0..<5])
        #expect(
            i[0] == "-7" && i[1] == "-7.0" && i[2] == "error: unexpected column value: expected text, found int(-7)")
        let r = Array(out.typed[5..<10])
        #expect(r[0].hasPrefix("error: unexpected column value: expected an integer") && r[1] == "0.1")
        let whole = Array(out.typed[10..<15])
        #expect(whole[0] == "3" && whole[4] == "Optional(3)")
        let t = Array(out.typed[15..<20])
        #expect(t[2] == "héllo, \"world\"" && t[0].hasPrefix("error:"))
        let n = Array(out.typed[20..<25])
        #expect(n[3] == "nil" && n[4] == "nil" && n[2].hasPrefix("error:"))
        #expect(out.typed[30] == "error: unexpected column value: no column 6")
        #expect(out.values[5] == .blob([0x00, 0xFF]))
        #expect(out.values[6] == .int(9_007_199_254_740_993))
        #expect(out.nulls == [false, false, false, false, true, false, false, false, false, false, false, true])
    }
}
