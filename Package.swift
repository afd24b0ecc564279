// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .library(name: "CairnCore", targets: ["CairnCore"]),
        .library(name: "CairnStore", targets: ["CairnStore"]),
        .library(name: "CairnServer", targets: ["CairnServer"]),
        .library(name: "CairnDrift", targets: ["CairnDrift"]),
        .library(name: "CairnMonitor", targets: ["CairnMonitor"]),
        .library(name: "CairnUI", targets: ["CairnUI"]),
        .library(name: "CairnClient", targets: ["CairnClient"]),
        .library(name: "CairnVAD", targets: ["CairnVAD"]),
        .library(name: "CairnAudio", targets: ["CairnAudio"]),
        .library(name: "CairnSpeech", targets: ["CairnSpeech"]),
        .library(name: "CairnServiceKit", targets: ["CairnServiceKit"]),
        .library(name: "CairnServingCore", targets: ["CairnServingCore"]),
        .library(name: "CairnServing", targets: ["CairnServing"]),
        .library(name: "CairnInference", targets: ["CairnInference"]),
        .library(name: "CairnImage", targets: ["CairnImage"]),
        .library(name: "CairnKube", targets: ["CairnKube"]),
        .executable(name: "cairn-asr", targets: ["cairn-asr"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure domain: entities, validation, errors, the search grammars. No I/O frameworks.
        .target(name: "CairnCore"),
        // Storage protocols, query types and the MLflow rules every backend obeys. No database code.
        .target(name: "CairnStore", dependencies: ["CairnCore"]),
        // Users, sign-in, tokens and permissions: the rules above the auth store, password hashing.
        .target(
            name: "CairnAuth",
            dependencies: [
                "CairnCore", "CairnStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The relational store: one SQL text for every backend over a small session protocol.
        .target(name: "CairnStoreSQL", dependencies: ["CairnCore", "CairnStore"]),
        // SQLite through GRDB: connections, transactions and the schema.
        .target(
            name: "CairnStoreSQLite",
            dependencies: [
                "CairnCore", "CairnStoreSQL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // PostgreSQL through postgres-nio: pooled connections, transactions and the schema.
        .target(
            name: "CairnStorePostgres",
            dependencies: [
                "CairnCore", "CairnStoreSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Opens the store a backend URI names (sqlite:, postgresql:, memory:).
        .target(
            name: "CairnStoreFactory",
            dependencies: ["CairnCore", "CairnStore", "CairnStoreSQL", "CairnStoreSQLite", "CairnStorePostgres"]
        ),
        // Moving data: copying a Cairn database to another backend and importing an MLflow installation.
        .target(
            name: "CairnTransfer",
            dependencies: [
                "CairnCore", "CairnStore", "CairnStoreSQL", "CairnStoreFactory",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The web UI: server-rendered pages, charts and their small stylesheet and script.
        .target(
            name: "CairnUI",
            dependencies: [
                "CairnAuth",
                "CairnCore",
                "CairnStore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // HTTP: the MLflow REST API, the artifact proxy and the mounted web UI on Hummingbird.
        .target(
            name: "CairnServer",
            dependencies: [
                "CairnAuth",
                "CairnCore",
                "CairnServiceKit",
                "CairnStore",
                "CairnUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Drift statistics, streaming detectors and mergeable profiles. Pure numeric code: no I/O, no dependencies.
        .target(name: "CairnDrift"),
        // Drift at the edge: CSV / JSON Lines parsing, column typing, JSON and HTML reports.
        .target(
            name: "CairnMonitor",
            dependencies: [
                "CairnDrift", "CairnCore", "CairnServingCore", "CZlib", .product(name: "Yams", package: "Yams"),
            ]),
        // The monitoring loop at the edge: tracking runs per window, reference lookup, webhook, gauges, commands.
        .target(
            name: "CairnMonitorLoop",
            dependencies: [
                "CairnCore",
                "CairnClient",
                "CairnDrift",
                "CairnMonitor",
                "CairnServiceKit",
                "CairnServingCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // zlib (Debian: zlib1g-dev), for reading gzip-compressed prediction logs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Voice activity detection and speech segmentation. Pure DSP: no I/O, no dependencies.
        .target(name: "CairnVAD"),
        // Audio at the edge: WAV and raw PCM reading/writing, sample-rate conversion.
        .target(name: "CairnAudio"),
        // The speech pipeline: audio → resampling → detector → clips, shared by the CLI commands.
        .target(
            name: "CairnSpeech",
            dependencies: [
                "CairnCore",
                "CairnVAD",
                "CairnAudio",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // What every Cairn service shares: listener options, error rendering, metrics route, graceful start/stop.
        .target(
            name: "CairnServiceKit",
            dependencies: [
                "CairnCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Model serving rules with no I/O: request formats, signatures, routing, roll-back windows, reports.
        .target(name: "CairnServingCore", dependencies: ["CairnCore", "CairnInference"]),
        // Native model evaluation (XGBoost, LightGBM, ONNX) from the bytes MLflow's flavors write. Pure: no I/O.
        .target(name: "CairnInference"),
        // Model serving: runtimes (Python worker pools), the scoring server, rollouts, prediction log, batch scoring.
        .target(
            name: "CairnServing",
            dependencies: [
                "CairnCore",
                "CairnServingCore",
                "CairnServiceKit",
                "CairnClient",
                "CairnRunner",
                "CairnInference",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // OCI images without a daemon: tar and gzip layers, the image layout, image plans for models and
        // services, pushing to a registry.
        .target(
            name: "CairnImage",
            dependencies: [
                "CairnCore",
                "CairnClient",
                "CairnServing",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Kubernetes manifests for model services, batch scoring and Cairn's services (YAML via Yams). No I/O.
        .target(name: "CairnKube", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The pocketsphinx C library (Debian: libpocketsphinx-dev), used only by the recognition service.
        .systemLibrary(
            name: "CPocketSphinx", pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "libsphinxbase-dev"])]),
        // The speech-recognition service: pocketsphinx decoder pool behind an HTTP API with Prometheus metrics.
        .target(
            name: "CairnASR",
            dependencies: [
                "CPocketSphinx",
                "CairnAudio",
                "CairnCore",
                "CairnServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // `cairn-asr`: the recognition service binary (`cairn asr` runs it). Separate so that the main
        // binary builds and runs without the pocketsphinx library.
        .executableTarget(
            name: "cairn-asr",
            dependencies: [
                "CairnASR",
                "CairnServiceKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A client for the tracking and registry REST API, used by the CLI and by Swift programs.
        .target(
            name: "CairnClient",
            dependencies: [
                "CairnCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Reproducible runs: source and environment capture, data digests, process supervision.
        .target(
            name: "CairnRunner",
            dependencies: [
                "CairnCore",
                "CairnClient",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The `cairn` command-line tool.
        .executableTarget(
            name: "cairn",
            dependencies: [
                "CairnAuth",
                "CairnCore",
                "CairnStore",
                "CairnStoreFactory",
                "CairnStoreSQL",
                "CairnTransfer",
                "CairnServer",
                "CairnDrift",
                "CairnMonitor",
                "CairnMonitorLoop",
                "CairnClient",
                "CairnRunner",
                "CairnVAD",
                "CairnAudio",
                "CairnSpeech",
                "CairnServiceKit",
                "CairnServingCore",
                "CairnServing",
                "CairnImage",
                "CairnKube",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // UI page-time benchmark (bench/ui/run.sh): seeds a 25k-run store and times every page.
        .executableTarget(
            name: "cairn-ui-bench",
            dependencies: [
                "CairnCore",
                "CairnStore",
                "CairnStoreFactory",
                "CairnStoreSQL",
                "CairnServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "bench/ui/Sources/cairn-ui-bench"
        ),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore"]),
        .testTarget(name: "CairnAuthTests", dependencies: ["CairnAuth", "CairnCore", "CairnStore"]),
        // In-process drift timings used by bench/drift/run_bench.py (not part of the product).
        .executableTarget(
            name: "drift-bench", dependencies: ["CairnDrift", "CairnMonitor"], path: "bench/drift/DriftBench"),
        // Monitor throughput and memory over a generated prediction log (bench/monitor/run.sh).
        .executableTarget(
            name: "monitor-bench", dependencies: ["CairnCore", "CairnMonitor", "CairnServingCore"],
            path: "bench/monitor/MonitorBench"),
        // In-process VAD cost and allocation check used by bench/vad/run.sh (not part of the product).
        .executableTarget(
            name: "vad-bench", dependencies: ["CairnVAD", "CairnAudio", "CHeapStats"], path: "bench/vad/VADBench"),
        .target(name: "CHeapStats", path: "bench/vad/CHeapStats"),
        // In-process native model runtime timings used by bench/runtimes/run.sh (not part of the product).
        .executableTarget(
            name: "runtime-bench", dependencies: ["CairnInference"], path: "bench/runtimes/RuntimeBench"),
        .testTarget(name: "CairnDriftTests", dependencies: ["CairnDrift"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CairnVADTests", dependencies: ["CairnVAD", "CairnAudio", "CairnSpeech"]),
        .testTarget(
            name: "CairnMonitorTests", dependencies: ["CairnDrift", "CairnMonitor", "CairnCore", "CairnServingCore"]),
        .testTarget(name: "CairnMonitorLoopTests", dependencies: ["CairnMonitor", "CairnMonitorLoop"]),
        .testTarget(name: "CairnRunnerTests", dependencies: ["CairnCore", "CairnRunner"]),
        .testTarget(
            name: "CairnStoreTests",
            dependencies: [
                "CairnAuth", "CairnCore", "CairnStore", "CairnStoreSQL", "CairnStoreSQLite", "CairnStorePostgres",
                "CairnStoreFactory",
            ]),
        .testTarget(
            name: "CairnTransferTests",
            dependencies: ["CairnCore", "CairnStore", "CairnStoreSQL", "CairnStoreFactory", "CairnTransfer"]),
        .testTarget(name: "CairnStorePostgresTests", dependencies: ["CairnStoreSQL", "CairnStorePostgres"]),
        .testTarget(name: "CairnServingCoreTests", dependencies: ["CairnCore", "CairnServingCore", "CairnInference"]),
        .testTarget(name: "CairnInferenceTests", dependencies: ["CairnInference"]),
        .testTarget(name: "CairnImageTests", dependencies: ["CairnCore", "CairnImage"]),
        .testTarget(name: "CairnKubeTests", dependencies: ["CairnKube"]),
        .testTarget(
            name: "CairnServiceKitTests",
            dependencies: [
                "CairnCore",
                "CairnServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "CairnUITests",
            dependencies: [
                "CairnAuth",
                "CairnCore",
                "CairnStore",
                "CairnStoreFactory",
                "CairnStoreSQL",
                "CairnServer",
                "CairnUI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "CairnServerTests",
            dependencies: [
                "CairnCore",
                "CairnStore",
                "CairnStoreFactory",
                "CairnStoreSQL",
                "CairnServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
