// swift-tools-version: 6.1
import PackageDescription

/// One target per concept. Calendar, Domain, Ledger and Demo are pure (no I/O); EventLog reads and writes byte streams;
/// Store owns the database; `buckstop` is the thin command-line edge.
let package = Package(
    name: "BuckStop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "buckstop", targets: ["buckstop"]),
        .library(name: "BuckStopDomain", targets: ["BuckStopDomain"]),
        .library(name: "BuckStopLedger", targets: ["BuckStopLedger"]),
        .library(name: "BuckStopStore", targets: ["BuckStopStore"]),
        // For the fuzz targets (Fuzz/): the parsers of outside input.
        .library(name: "BuckStopEventLog", targets: ["BuckStopEventLog"]),
        .library(name: "BuckStopAPI", targets: ["BuckStopAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The typed API: code generated from Resources/openapi.yaml (Scripts/generate-api.sh) runs on the runtime, served
        // by BuckStopServer's own transport (APITransport, why there). The generator itself is not a dependency: its
        // output is committed.
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        // XLSX exports (BuckStopOffice). Exact: its zlib module is also the one BuckStopEventLog imports (see CZlib below).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // The system zlib (Debian zlib1g-dev) for gzip-compressed event logs comes as the clang module `CZlib`
        // that ZIPFoundation declares (its target CZLib, module map `module CZlib`, header zlib.h). A system library
        // of our own with that module name (Sources/CZlib) cannot sit in the same graph: clang refuses the second
        // definition ("redefinition of module 'CZlib'") in every target that sees both, the server among them. So
        // BuckStopEventLog takes ZIPFoundation's; Sources/CZlib is no longer a target. Renaming our module (and the
        // two `import CZlib` lines) would make BuckStopEventLog independent of ZIPFoundation again.
        .target(name: "BuckStopCalendar"),
        .target(name: "BuckStopDomain", dependencies: ["BuckStopCalendar", "BuckStopLedger", .product(name: "Yams", package: "Yams")]),
        /// The default Vietnamese rulebook and holiday decisions, shipped as data files.
        .target(
            name: "BuckStopDefaults",
            dependencies: ["BuckStopDomain", "BuckStopCalendar"],
            resources: [.copy("Data")]
        ),
        .target(name: "BuckStopLedger", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "BuckStopStore",
            dependencies: [
                "BuckStopDomain", "BuckStopLedger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // `ConnectionPoolError`, the one pool error PostgresClient passes through as is.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BuckStopDemo",
            dependencies: ["BuckStopDomain", "BuckStopCalendar", "BuckStopEventLog", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "BuckStopEventLog",
            dependencies: ["BuckStopDomain", "BuckStopCalendar", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        /// Office Open XML spreadsheets (.xlsx) written and read in memory; programme annexes read from them or from CSV and
        /// turned into task openings against the organisation (hence the domain), and roll-ups written as workbooks.
        .target(
            name: "BuckStopOffice", dependencies: ["BuckStopCalendar", "BuckStopDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        /// The behaviour catalogue as folds over one case's events (pure; the same code runs live and in audits).
        .target(name: "BuckStopDetectors", dependencies: ["BuckStopDomain", "BuckStopCalendar"]),
        /// `buckstop analyze`: event logs through the detectors into reports.
        .target(name: "BuckStopAnalysis", dependencies: ["BuckStopDetectors", "BuckStopEventLog", "BuckStopDomain", "BuckStopCalendar"]),
        /// The only writer: append → detect → findings (`LiveLedger`), with detection inside the append's transaction
        /// (`LiveDetection`), a case replayed from its ledger entries through the same folds as `analyze`, and the
        /// scheduled survey across cases. The server, `buckstop case act`, `org` and the demo seeder all write through it.
        .target(
            name: "BuckStopLive",
            dependencies: [
                "BuckStopDetectors", "BuckStopAnalysis", "BuckStopEventLog", "BuckStopDomain", "BuckStopCalendar", "BuckStopStore",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// A C2SP tlog-witness: its own key and storage, cosigning a log's checkpoints only when they extend what it cosigned.
        .target(
            name: "BuckStopWitness",
            dependencies: [
                "BuckStopLedger", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// The JSON API's types generated from `openapi.yaml` (`Generated/`), and its request documents decoded
        /// through them strictly into domain values (pure, so it can be fuzzed alone).
        .target(
            name: "BuckStopAPI",
            dependencies: ["BuckStopDomain", "BuckStopCalendar", .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]
        ),
        /// Period reports (issue 19): the numbers and examples of a period computed from the ledger's cases and findings
        /// (pure `PeriodReport`), laid out once (`ReportDocument`) and written as HTML, Word and an Excel annex.
        .target(
            name: "BuckStopReport",
            dependencies: ["BuckStopDomain", "BuckStopCalendar", "BuckStopDetectors", "BuckStopAnalysis", "BuckStopStore", "BuckStopOffice"]
        ),
        /// `buckstop serve`: web pages, the JSON API and server-sent events over the store, with live detection.
        .target(
            name: "BuckStopServer",
            dependencies: [
                "BuckStopDomain", "BuckStopDefaults", "BuckStopLedger", "BuckStopStore", "BuckStopDemo", "BuckStopLive", "BuckStopDetectors",
                "BuckStopCalendar", "BuckStopEventLog", "BuckStopAPI", "BuckStopWitness", "BuckStopOffice", "BuckStopReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "buckstop",
            dependencies: [
                "BuckStopDomain", "BuckStopDefaults", "BuckStopLedger", "BuckStopStore", "BuckStopDemo",
                "BuckStopEventLog", "BuckStopAnalysis", "BuckStopDetectors", "BuckStopServer", "BuckStopLive", "BuckStopWitness", "BuckStopAPI",
                "BuckStopOffice", "BuckStopReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        /// What the test targets share (only they depend on it): a small hand-made city, the one locator of the
        /// repository and `../shared`, and the one test XES reader.
        .target(name: "BuckStopTestSupport", dependencies: ["BuckStopDomain", "BuckStopCalendar"]),
        .testTarget(name: "BuckStopCalendarTests", dependencies: ["BuckStopCalendar", "BuckStopTestSupport"]),
        .testTarget(name: "BuckStopDomainTests", dependencies: ["BuckStopDomain", "BuckStopDefaults", "BuckStopTestSupport"]),
        .testTarget(
            name: "BuckStopLedgerTests",
            dependencies: ["BuckStopLedger", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "BuckStopStoreTests",
            dependencies: [
                "BuckStopStore", "BuckStopDemo", "BuckStopTestSupport", "BuckStopLedger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "BuckStopDemoTests", dependencies: ["BuckStopDemo", "BuckStopEventLog", "BuckStopTestSupport"]),
        .testTarget(name: "BuckStopAPITests", dependencies: ["BuckStopAPI", "BuckStopDomain", "BuckStopCalendar"]),
        .testTarget(name: "BuckStopEventLogTests", dependencies: ["BuckStopEventLog", "BuckStopTestSupport"]),
        .testTarget(
            name: "BuckStopOfficeTests",
            dependencies: ["BuckStopOffice", "BuckStopCalendar", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // Read by path from the source tree (ProgrammeAnnexTests.fixture), not bundled as resources.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "BuckStopReportTests",
            dependencies: [
                "BuckStopReport", "BuckStopDomain", "BuckStopCalendar", "BuckStopOffice", "BuckStopTestSupport", "BuckStopAnalysis",
                "BuckStopDemo", "BuckStopDefaults", "BuckStopEventLog",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(name: "BuckStopDetectorsTests", dependencies: ["BuckStopDetectors", "BuckStopDefaults"]),
        .testTarget(
            name: "BuckStopAnalysisTests",
            dependencies: [
                "BuckStopAnalysis", "BuckStopDetectors", "BuckStopEventLog", "BuckStopDefaults", "BuckStopCalendar", "BuckStopDemo",
                "BuckStopDomain", "BuckStopTestSupport",
            ]
        ),
        .testTarget(
            name: "BuckStopServerTests",
            dependencies: [
                "BuckStopServer", "BuckStopStore", "BuckStopDomain", "BuckStopTestSupport", "BuckStopDefaults", "BuckStopLedger", "BuckStopLive",
                "BuckStopCalendar", "BuckStopAPI", "BuckStopWitness",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "BuckStopLiveTests",
            dependencies: [
                "BuckStopLive", "BuckStopDetectors", "BuckStopDemo", "BuckStopDefaults", "BuckStopDomain", "BuckStopTestSupport", "BuckStopCalendar",
            ]
        ),
        .testTarget(
            name: "BuckStopCLITests",
            dependencies: [
                "buckstop", "BuckStopDomain", "BuckStopTestSupport", "BuckStopDemo", "BuckStopDefaults", "BuckStopEventLog", "BuckStopOffice",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
