import ArgumentParser
import CairnAuth
import CairnCore
import Foundation

/// `cairn audit`: who created, deleted, renamed, moved an alias or changed a permission, when and from where.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log kept in the tracking server's database.",
        discussion: """
              cairn audit --since 24h
              cairn audit --since 2026-12-01T00:00:00Z --user ana --json
            """)

    @Option(help: ArgumentHelp("Events since a duration ago (24h, 7d) or an ISO 8601 time.", valueName: "when"))
    var since = "24h"
    @Option(help: "Only this user's events.") var user: String?
    @Option(help: "Show at most this many events.") var limit = 1000
    @Flag(help: "One JSON object per line.") var json = false
    @OptionGroup var store: AuthStoreOptions

    func validate() throws {
        guard sinceMillis != nil else {
            throw ValidationError("--since takes a duration (24h, 7d) or an ISO 8601 time.")
        }
        guard limit > 0 else { throw ValidationError("--limit must be positive.") }
    }

    var sinceMillis: Int64? {
        if let d = TokenLifetime.milliseconds(since), let d { return WallClock.nowMillis() - d }
        return ISO8601DateFormatter().date(from: since).map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    func run() async throws {
        let events = try await store.withAuth { auth in
            try await auth.store.auditEvents(since: sinceMillis ?? 0, username: user, limit: limit)
        }
        for e in events {
            if json {
                var w = JSONWriter()
                w.object { w in
                    w.field("time", TokensCreateCommand.date(e.time))
                    w.field("user", e.username)
                    w.field("address", e.address)
                    w.field("action", e.action)
                    w.field("resource_type", e.resourceType)
                    w.field("resource_id", e.resourceId)
                    w.field("detail", e.detail)
                }
                print(String(decoding: w.bytes, as: UTF8.self))
            } else {
                print(
                    "\(TokensCreateCommand.date(e.time))  \(e.username)@\(e.address)  \(e.action)  "
                        + "\(e.resourceType) \(e.resourceId)\(e.detail.isEmpty ? "" : "  " + e.detail)")
            }
        }
        if events.isEmpty && !json { Console.err("No events since \(since).\n") }
    }
}
