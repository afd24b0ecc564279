import ArgumentParser
import CairnCore
import CairnStoreFactory
import CairnStoreSQL
import CairnTransfer

/// `cairn db`: the tracking database itself.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Upgrade a tracking database's schema or copy it to another backend.",
        subcommands: [DBUpgradeCommand.self, DBCopyCommand.self]
    )
}

/// Checks a backend store URI in `validate()`: a bad one prints why and exits with status 2.
func checkStoreURI(_ uri: String, option: String) throws {
    do {
        _ = try StoreFactory.parse(uri: uri)
    } catch {
        Console.err("Error: \(option): \(error.message)\n")
        throw ExitCode(2)
    }
}

/// Runs a data-moving workflow: usage problems exit with 2, other failures with 1.
func reportingTransferErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let e as TransferError {
        Console.err("error: \(e)\n")
        if case .badInput = e { throw ExitCode(2) }
        throw ExitCode.failure
    } catch let e as MlflowError {
        Console.err("error: \(e.message)\n")
        throw ExitCode.failure
    } catch let e as SQLStoreError {
        Console.err("error: database: \(e)\n")
        throw ExitCode.failure
    }
}
