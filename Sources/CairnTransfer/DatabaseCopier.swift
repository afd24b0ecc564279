import CairnStoreSQL
import Foundation

/// Copies every Cairn table from one database to another (SQLite to PostgreSQL, or a backup).
///
/// The target is migrated first; tables are copied parents first. Each table is streamed from the
/// source in primary-key order, one batch per read, and each batch is one transaction on the target
/// inserted with `ON CONFLICT DO NOTHING`: re-running skips what is there, so an interrupted copy
/// resumes. Afterwards the generated-id counters move past the copied ids and the row counts of both
/// sides are compared.
///
/// ```swift
/// let report = try await DatabaseCopier().copy(from: source, to: target) { p in print(p.rowsDone, p.totalRows) }
/// if !report.mismatches.isEmpty { print("counts differ") }
/// ```
public struct DatabaseCopier: Sendable {
    /// Rows read and written per transaction.
    public let batchSize: Int
    /// The tables to copy, parents first.
    public let tables: [CairnTable]

    /// Creates a copier; `batchSize` must be positive.
    public init(batchSize: Int = 5000, tables: [CairnTable] = CairnTable.all) throws(TransferError) {
        guard batchSize > 0 else { throw .badInput("The batch size must be positive (got \(batchSize)).") }
        self.batchSize = batchSize
        self.tables = tables
    }

    /// How far a copy has come.
    public struct Progress: Sendable, Equatable {
        /// The table being copied.
        public var table: String
        /// Source rows handled so far, over every table.
        public var rowsDone: Int
        /// Source rows in every table.
        public var totalRows: Int
    }

    /// The rows of one table on both sides after a copy.
    public struct TableCount: Sendable, Equatable {
        /// The table name.
        public var table: String
        /// Rows in the source.
        public var source: Int
        /// Rows in the target after the copy.
        public var target: Int
        /// Rows this copy inserted (the rest were there already).
        public var inserted: Int
        /// Whether both sides hold the same number of rows.
        public var matches: Bool { source == target }
    }

    /// The outcome of a copy.
    public struct Report: Sendable {
        /// Per-table counts, in copy order.
        public var tables: [TableCount]
        /// Wall-clock seconds the copy took.
        public var seconds: Double
        /// The tables whose counts differ.
        public var mismatches: [TableCount] { tables.filter { !$0.matches } }
        /// Source rows over every table.
        public var totalRows: Int { tables.reduce(0) { $0 + $1.source } }
    }

    /// Copies `source` into `target`, calling `progress` after each batch.
    public func copy(
        from source: any SQLDatabase, to target: any SQLDatabase,
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Report {
        let started = Date()
        let pending = try await source.pendingMigrations()
        guard pending.isEmpty else {
            throw TransferError.badInput(
                "The source database \(source.location) is behind Cairn's schema (pending: "
                    + "\(pending.joined(separator: ", "))); run `cairn db upgrade` on it first.")
        }
        try await target.migrate()
        let sourceCounts = try await counts(source)
        let before = try await counts(target)
        let total = sourceCounts.values.reduce(0, +)
        var done = 0
        for table in tables {
            progress(Progress(table: table.name, rowsDone: done, totalRows: total))
            try await copyTable(table, from: source, to: target) { n in
                done += n
                progress(Progress(table: table.name, rowsDone: done, totalRows: total))
            }
        }
        try await target.write { s in
            for (table, column) in CairnTable.identities {
                if let sql = s.dialect.identityReset(table, column) { try s.execute(SQLStatement(sql: sql)) }
            }
        }
        let after = try await counts(target)
        let rows = tables.map { t in
            TableCount(
                table: t.name, source: sourceCounts[t.name] ?? 0, target: after[t.name] ?? 0,
                inserted: (after[t.name] ?? 0) - (before[t.name] ?? 0))
        }
        return Report(tables: rows, seconds: Date().timeIntervalSince(started))
    }

    /// Streams one table in key order, one read and one write transaction per batch.
    private func copyTable(
        _ table: CairnTable, from source: any SQLDatabase, to target: any SQLDatabase, batchDone: (Int) -> Void
    ) async throws {
        let keyList = table.key.joined(separator: ", ")
        let limit = batchSize
        var after: [SQLValue]?
        while true {
            let last = after
            let batch = try await source.read { s -> Batch in
                var st = SQLStatement(sql: "SELECT * FROM \(table.name)")
                if let last {
                    let marks = Array(repeating: "?", count: last.count).joined(separator: ", ")
                    st += SQLStatement(sql: " WHERE (\(keyList)) > (\(marks))", arguments: last)
                }
                st += SQLStatement(sql: " ORDER BY \(keyList) LIMIT \(limit)")
                var batch = Batch()
                try s.forEach(st) { row in
                    if batch.columns.isEmpty { batch.columns = row.columns.names }
                    batch.rows.append(row.values)
                }
                return batch
            }
            guard let final = batch.rows.last else { return }
            let keyPositions = try table.key.map { name in
                guard let i = batch.columns.firstIndex(where: { $0.lowercased() == name }) else {
                    throw TransferError.conflict("The table \(table.name) has no column \(name) in the source.")
                }
                return i
            }
            try await target.write { s in
                try s.insertMany(
                    into: table.name, columns: batch.columns, rows: batch.rows, suffix: "ON CONFLICT DO NOTHING")
            }
            batchDone(batch.rows.count)
            if batch.rows.count < limit { return }
            after = keyPositions.map { final[$0] }
        }
    }

    /// One batch of rows with its column names.
    private struct Batch: Sendable {
        var columns: [String] = []
        var rows: [[SQLValue]] = []
    }

    /// Rows per table.
    private func counts(_ db: any SQLDatabase) async throws -> [String: Int] {
        let names = tables.map(\.name)
        return try await db.read { s in
            var out: [String: Int] = [:]
            for name in names {
                out[name] = try s.scalar(Int.self, SQLStatement(sql: "SELECT COUNT(*) FROM \(name)")) ?? 0
            }
            return out
        }
    }
}
