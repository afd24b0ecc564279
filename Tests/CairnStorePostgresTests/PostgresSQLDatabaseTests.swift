import CairnStorePostgres
import CairnStoreSQL
import Foundation
import Synchronization
import Testing

@Suite("PostgreSQL driver against a real server", .enabled(if: LivePostgres.isConfigured, LivePostgres.skipped))
struct PostgresSQLDatabaseTests {
    struct Boom: Error {}

    final class Counter: Sendable {
        let count = Mutex(0)
    }

    /// Creates a table named after `prefix` with `columns`, runs `body`, then drops it.
    func withTable(
        _ prefix: String, _ columns: String, maximumConnections: Int = 8,
        _ body: @escaping (PostgresSQLDatabase, String) async throws -> Void
    ) async throws {
        let table = LivePostgres.tableName(prefix)
        try await LivePostgres.withDatabase(maximumConnections: maximumConnections) { database in
            _ = try await database.write { s in try s.execute(SQLStatement(sql: "CREATE TABLE \(table) (\(columns))")) }
            do {
                try await body(database, table)
            } catch {
                _ = try await database.write { s in try s.execute(SQLStatement(sql: "DROP TABLE \(table)")) }
                throw error
            }
            _ = try await database.write { s in try s.execute(SQLStatement(sql: "DROP TABLE \(table)")) }
        }
    }

    @Test func everyValueKindRoundTrips() async throws {
        let values: [[SQLValue]] = [
            [
                .int(Int64.max), .double(-1.5e300), .text("héllo, 世界 'quoted' \"double\""), .blob([0, 1, 254, 255]),
                .null,
            ],
            [.int(Int64.min), .double(.infinity), .text(""), .blob([]), .text("x")],
            [.int(0), .double(0.1), .text(String(repeating: "long ", count: 2000)), .null, .null],
        ]
        try await withTable("values", "k SERIAL, i BIGINT, d DOUBLE PRECISION, s TEXT, b BYTEA, n TEXT") {
            database, t in
            _ = try await database.write { s in
                for row in values {
                    let n = try s.execute(
                        "INSERT INTO \(sql: t) (i, d, s, b, n) VALUES (\(row[0]), \(row[1]), \(row[2]), \(row[3]), \(row[4]))"
                    )
                    #expect(n == 1)
                }
            }
            let back = try await database.read { s in
                try s.fetchAll(SQLStatement(sql: "SELECT i, d, s, b, n FROM \(t) ORDER BY k")).map(\.values)
            }
            #expect(back == values)
            let named = try await database.read { s in
                try s.fetchOne(SQLStatement(sql: "SELECT i, s AS label FROM \(t)"))
            }
            #expect(try named?.get("LABEL", as: String.self) == values[0][2].textValue)
        }
    }

    @Test func resultTypesDecodeToStoreValues() async throws {
        let row: SQLRow? = try await LivePostgres.withDatabase { database in
            try await database.read { s in
                try s.fetchOne(
                    """
                    SELECT 7::int2, 8::int4, 9::int8, 2.5::float4, 3.25::float8, 1.125::numeric, SUM(x), true, false,
                           'v'::varchar, 'b'::bpchar, 'n'::name, 'bytes'::bytea, NULL::text, \("bound")
                    FROM (VALUES (1::bigint), (2::bigint)) AS v(x)
                    """)
            }
        }
        let numbers: [SQLValue] = [.int(7), .int(8), .int(9), .double(2.5), .double(3.25), .double(1.125), .double(3)]
        let others: [SQLValue] = [.int(1), .int(0), .text("v"), .text("b"), .text("n")]
        let last: [SQLValue] = [.blob(Array("bytes".utf8)), .null, .text("bound")]
        #expect(row?.values == numbers + others + last)
    }

    @Test func unreadableTypeIsADecodingError() async throws {
        _ = try await LivePostgres.withDatabase { database in
            await #expect(throws: SQLStoreError.self) {
                _ = try await database.read { s in try s.fetchAll("SELECT now()") }
            }
        }
    }

    @Test func insertManyCrossesChunkBoundaries() async throws {
        // 4 columns: 16,250 rows per statement, so 40,000 rows take three statements.
        let count = 40_000
        let rows: [[SQLValue]] = (0..<count).map { (i: Int) -> [SQLValue] in
            let blob: SQLValue = i % 7 == 0 ? .null : .blob([UInt8(i % 256)])
            return [.int(Int64(i)), .text("key-\(i % 100)"), .double(Double(i) / 2), blob]
        }
        try await withTable("many", "id BIGINT PRIMARY KEY, k TEXT NOT NULL, v DOUBLE PRECISION, b BYTEA") {
            database, t in
            _ = try await database.write { s in
                try s.insertMany(into: t, columns: ["id", "k", "v", "b"], rows: rows, suffix: "")
            }
            let summary = try await database.read { s in
                try s.fetchOne(SQLStatement(sql: "SELECT COUNT(*), SUM(id), SUM(v), COUNT(b) FROM \(t)"))
            }
            #expect(try summary?.get(0, as: Int.self) == count)
            #expect(try summary?.get(1, as: Int.self) == count * (count - 1) / 2)
            #expect(try summary?.get(2, as: Double.self) == Double(count * (count - 1) / 2) / 2)
            #expect(try summary?.get(3, as: Int.self) == count - (count + 6) / 7)
            // The suffix applies to every chunk: re-inserting everything plus one new row adds only that row.
            let again = rows + [[.int(Int64(count)), .text("new"), .null, .null]]
            _ = try await database.write { s in
                try s.insertMany(
                    into: t, columns: ["id", "k", "v", "b"], rows: again, suffix: "ON CONFLICT (id) DO NOTHING")
            }
            let total = try await database.read { s in
                try s.scalar(Int.self, SQLStatement(sql: "SELECT COUNT(*) FROM \(t)"))
            }
            #expect(total == count + 1)
            let changed = try await database.write { s in
                let updated = try s.execute("UPDATE \(sql: t) SET k = 'x' WHERE id < \(10)")
                let deleted = try s.execute("DELETE FROM \(sql: t) WHERE id >= \(count - 4)")
                let created = try s.execute("CREATE INDEX ON \(sql: t) (k)")
                return [updated, deleted, created]
            }
            #expect(changed == [10, 5, 0])
            await #expect(throws: SQLStoreError.self) {
                _ = try await database.write { s in
                    try s.insertMany(into: t, columns: ["id", "k"], rows: [[.int(1)]], suffix: "")
                }
            }
        }
    }

    @Test func duplicateKeyIsAUniqueViolationAndOtherErrorsCarryTheirSQLState() async throws {
        try await withTable("unique", "name TEXT PRIMARY KEY") { database, t in
            _ = try await database.write { s in try s.execute("INSERT INTO \(sql: t) VALUES (\("a"))") }
            do {
                _ = try await database.write { s in try s.execute("INSERT INTO \(sql: t) VALUES (\("a"))") }
                Issue.record("duplicate accepted")
            } catch SQLStoreError.uniqueViolation(let message) {
                #expect(message.contains("23505"), "\(message)")
                #expect(message.contains("duplicate key"), "\(message)")
            }
            do {
                _ = try await database.read { s in try s.execute("SELEC 1") }
                Issue.record("syntax error accepted")
            } catch SQLStoreError.database(let message) {
                #expect(message.contains("syntax error"), "\(message)")
                #expect(message.contains("42601"), "\(message)")
                #expect(!message.contains("PSQLError"))
            }
        }
    }

    @Test func throwingBodyRollsBackAndKeepsItsError() async throws {
        try await withTable("rollback", "v BIGINT") { database, t in
            await #expect(throws: Boom.self) {
                _ = try await database.write { s in
                    try s.execute("INSERT INTO \(sql: t) VALUES (\(1))")
                    throw Boom()
                }
            }
            let count = try await database.read { s in
                try s.scalar(Int.self, SQLStatement(sql: "SELECT COUNT(*) FROM \(t)"))
            }
            #expect(count == 0)
            await #expect(throws: SQLStoreError.self) {
                _ = try await database.read { s in try s.execute("INSERT INTO \(sql: t) VALUES (\(1))") }
            }
        }
    }

    @Test func concurrentIncrementsSerialiseWithForUpdate() async throws {
        try await withTable("counter", "id BIGINT PRIMARY KEY, n BIGINT NOT NULL", maximumConnections: 6) {
            database, t in
            _ = try await database.write { s in try s.execute("INSERT INTO \(sql: t) VALUES (1, 0)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        _ = try await database.write { s in
                            let n = try s.scalar(
                                Int64.self, "SELECT n FROM \(sql: t) WHERE id = 1\(sql: s.dialect.lockRows)")
                            try s.execute("UPDATE \(sql: t) SET n = \((n ?? 0) + 1) WHERE id = 1")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let n = try await database.read { s in try s.scalar(Int.self, SQLStatement(sql: "SELECT n FROM \(t)")) }
            #expect(n == 20)
        }
    }

    @Test func deadlockedWritesAreRetried() async throws {
        let attempts = Counter()
        let firstUpdates = Counter()
        try await withTable("deadlock", "id BIGINT PRIMARY KEY, n BIGINT NOT NULL") { database, t in
            _ = try await database.write { s in try s.execute("INSERT INTO \(sql: t) VALUES (1, 0), (2, 0)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (first, second) in [(1, 2), (2, 1)] {
                    group.addTask {
                        _ = try await database.write { s in
                            attempts.count.withLock { $0 += 1 }
                            try s.execute("UPDATE \(sql: t) SET n = n + 1 WHERE id = \(first)")
                            // Both transactions hold their first row before either asks for the other's:
                            // a certain deadlock, which the server breaks by failing one of them.
                            firstUpdates.count.withLock { $0 += 1 }
                            let deadline = ContinuousClock.now + .seconds(10)
                            while firstUpdates.count.withLock({ $0 }) < 2 && ContinuousClock.now < deadline {
                                usleep(1000)
                            }
                            try s.execute("UPDATE \(sql: t) SET n = n + 1 WHERE id = \(second)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = try await database.read { s in
                try s.scalar(Int.self, SQLStatement(sql: "SELECT SUM(n) FROM \(t)"))
            }
            #expect(total == 4)
            #expect(attempts.count.withLock { $0 } == 3)
        }
    }

    @Test func forEachStreamsALargeResult() async throws {
        let (count, sum, longest) = try await LivePostgres.withDatabase { database in
            try await database.read { s in
                var count = 0
                var sum: Int64 = 0
                var longest = 0
                try s.forEach("SELECT g, repeat('x', (g % 50)::int) AS pad FROM generate_series(1, \(100_000)) AS g") {
                    row in
                    count += 1
                    sum += try row.get("g", as: Int64.self)
                    longest = max(longest, try row.get("pad", as: String.self).count)
                }
                return (count, sum, longest)
            }
        }
        #expect(count == 100_000)
        #expect(sum == 5_000_050_000)
        #expect(longest == 49)
    }

    @Test func stoppingAForEachEarlyLeavesTheConnectionUsable() async throws {
        _ = try await LivePostgres.withDatabase(maximumConnections: 1) { database in
            await #expect(throws: Boom.self) {
                _ = try await database.read { s in
                    try s.forEach("SELECT g FROM generate_series(1, \(100_000)) AS g") { row in
                        if try row.get(0, as: Int.self) == 10 { throw Boom() }
                    }
                }
            }
            let one = try await database.read { s in try s.scalar(Int.self, "SELECT 1") }
            #expect(one == 1)
        }
    }

    @Test func queriesInsideForEachRunOnTheSameConnection() async throws {
        let pairs = try await LivePostgres.withDatabase(maximumConnections: 1) { database in
            try await database.read { s in
                var pairs: [Int] = []
                try s.forEach("SELECT g FROM generate_series(1, 3) AS g") { row in
                    let g = try row.get(0, as: Int.self)
                    pairs.append(try s.scalar(Int.self, "SELECT \(g) * 10") ?? -1)
                }
                return pairs
            }
        }
        #expect(pairs == [10, 20, 30])
    }

    @Test func missingDatabaseIsNamed() async throws {
        let url = try #require(LivePostgres.url)
        let base = url.split(separator: "?")[0]
        let other = base[..<(base.lastIndex(of: "/") ?? base.endIndex)] + "/no_such_database"
        do {
            let database = try await PostgresSQLDatabase.connect(uri: String(other))
            try await database.close()
            Issue.record("connected to a missing database")
        } catch {
            #expect("\(error)".contains("no_such_database"), "\(error)")
            #expect("\(error)".contains("3D000"), "\(error)")
        }
    }
}

extension SQLValue {
    fileprivate var textValue: String? {
        if case .text(let s) = self { s } else { nil }
    }
}
