import ArgumentParser
import CairnAuth
import CairnCore
import CairnServer
import CairnServiceKit
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Hummingbird
import Logging

/// `cairn server`: runs the MLflow-compatible tracking server.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the MLflow-compatible tracking server.",
        discussion: """
            Stores runs in SQLite (WAL mode) and artifacts in a local folder by default. Stops cleanly on SIGINT or SIGTERM.

            Examples:
              cairn server
              cairn server --port 8080 --backend-store-uri sqlite:////var/lib/cairn/cairn.db
              cairn server --default-artifact-root s3://bucket/mlflow
              cairn server --mlflow-ui
              CAIRN_ADMIN_PASSWORD=… cairn server --auth --host 0.0.0.0

            Without --auth anyone who can reach the port can read and change everything, so the server only \
            listens on a loopback address unless --auth (or --insecure-no-auth) is given. With --auth, clients \
            sign in with MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN, the web UI \
            with its sign-in page; the first administrator comes from `cairn users create NAME --admin` or \
            CAIRN_ADMIN_PASSWORD (name from CAIRN_ADMIN_USERNAME, default admin) at the first start.
            """
    )

    enum Defaults: ServiceDefaults {
        static let port = 5000
    }

    @OptionGroup var service: ServiceOptions<Defaults>

    @Option(
        help: ArgumentHelp(
            "Where runs are stored: sqlite:///relative.db, sqlite:////absolute/path.db, or memory: (not persisted).",
            valueName: "uri"))
    var backendStoreUri = "sqlite:///cairn.db"

    @Option(help: ArgumentHelp("Folder where the artifact proxy keeps uploaded files.", valueName: "path"))
    var artifactsDestination = "./cairn-artifacts"

    @Option(
        help: ArgumentHelp(
            "Artifact root URI for new experiments. mlflow-artifacts:/ sends uploads through this server; any other "
                + "URI (file://, s3://, https://...) is recorded as is and clients write there directly.",
            valueName: "uri"))
    var defaultArtifactRoot = "mlflow-artifacts:/"

    @Flag(
        help:
            "Do not bring the database schema up to date at start-up (run `cairn db upgrade` instead); refuse to start if it is behind."
    )
    var noMigrate = false

    @Flag(help: "Require users, tokens or a UI session for every call, and check their permissions.")
    var auth = false

    @Option(
        help: ArgumentHelp(
            "With --auth, the level of a user on resources they hold no grant for: READ, USE, EDIT, MANAGE or NO_PERMISSIONS.",
            valueName: "level"))
    var authDefaultPermission = "READ"

    @Flag(help: "Listen on a non-loopback address without --auth (anyone who can reach it can change everything).")
    var insecureNoAuth = false

    @Flag(help: "Also serve MLflow's own web UI at /mlflow/, from the mlflow package python3 imports.")
    var mlflowUi = false

    @Option(
        help: ArgumentHelp(
            "Serve MLflow's web UI at /mlflow/ from this build folder (mlflow/server/js/build).", valueName: "dir"))
    var mlflowUiDir: String?

    func validate() throws {
        do {
            _ = try StoreFactory.parse(uri: backendStoreUri)
        } catch {
            throw ValidationError(error.message)
        }
        guard !defaultArtifactRoot.isEmpty else { throw ValidationError("--default-artifact-root must not be empty.") }
        do {
            let level = try Permission(parsing: authDefaultPermission)
            if level == .deny { throw MlflowError.invalid("Use NO_PERMISSIONS rather than DENY as the default.") }
        } catch let error as MlflowError {
            throw ValidationError("--auth-default-permission: \(error.message)")
        }
        if !auth && !insecureNoAuth && !Self.isLoopback(service.configuration.host) {
            throw ValidationError(
                "Refusing to listen on \(service.configuration.host) without --auth: anyone who can reach it could read, "
                    + "change and delete every run and model. Add --auth (see `cairn users --help`), or "
                    + "--insecure-no-auth if the network is trusted.")
        }
    }

    /// Whether `host` is a loopback address (only this machine can connect).
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    func run() async throws {
        let logger = service.logger(label: "cairn")
        let listener = service.configuration
        do {
            try listener.checkPortIsFree()
        } catch {
            Console.err("error: \(error)\n")
            throw ExitCode.failure
        }
        let store: SQLTrackingStore
        let artifacts: LocalArtifactStore
        let location: StoreFactory.Location
        do {
            location = try StoreFactory.parse(uri: backendStoreUri)
            store = try await StoreFactory.open(
                uri: backendStoreUri, defaultArtifactRoot: defaultArtifactRoot, migrate: !noMigrate)
            artifacts = try LocalArtifactStore(root: artifactsDestination)
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        } catch {
            throw ValidationError("Cannot open the store '\(backendStoreUri)': \(error)")
        }
        var mlflowUI: MlflowUIConfiguration?
        do {
            if let mlflowUiDir {
                mlflowUI = try MlflowUIConfiguration(buildDirectory: mlflowUiDir)
            } else if mlflowUi {
                mlflowUI = try MlflowUIConfiguration.locate()
            }
        } catch {
            throw ValidationError(error.message)
        }
        let storeLocation: String
        if case .sqliteFile(let path) = location {
            storeLocation = "SQLite " + URL(fileURLWithPath: path).standardizedFileURL.path
        } else {
            storeLocation = location.description
        }
        var authService: AuthService?
        if auth {
            let service = AuthService(store: store, defaultPermission: try Permission(parsing: authDefaultPermission))
            do {
                if case .created(let name) = try await AdminBootstrap.ensureAdmin(
                    service, environment: ProcessInfo.processInfo.environment)
                {
                    logger.info("Created the administrator '\(name)' from the environment.")
                }
            } catch let error as AdminBootstrap.MissingAdmin {
                Console.err("error: \(error.description)\n")
                throw ExitCode.failure
            } catch let error as MlflowError {
                Console.err("error: the administrator from the environment: \(error.message)\n")
                throw ExitCode.failure
            }
            authService = service
        }
        let host = listener.host
        let defaultArtifactRoot = defaultArtifactRoot
        let authLine =
            auth
            ? "on (default permission \(authDefaultPermission))" : "off (anyone who can reach the port has full access)"
        let app = buildApplication(
            configuration: ServerConfiguration(
                listener: listener, artifactsDestination: artifacts.root, mlflowUI: mlflowUI, auth: authService),
            store: store, artifacts: artifacts, logger: logger,
            onServerRunning: { [logger, mlflowUI] port in
                logger.info("Cairn \(cairnVersion) tracking server listening on http://\(host):\(port)")
                logger.info("Backend store: \(storeLocation)")
                logger.info("Authentication: \(authLine)")
                logger.info("Artifacts: \(artifacts.root) (default artifact root \(defaultArtifactRoot))")
                if let mlflowUI {
                    logger.info("MLflow UI: http://\(host):\(port)/mlflow/ (from \(mlflowUI.buildDirectory))")
                }
            })
        do {
            try await runService(app, host: listener.host, port: listener.port)
        } catch let error as ServiceStartError {
            Console.err("error: \(error)\n")
            throw ExitCode.failure
        }
        logger.info("Cairn stopped.")
    }
}
