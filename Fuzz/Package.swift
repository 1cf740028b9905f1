// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets over every parser that reads outside input (security issue: fuzz continuously). Built by
/// `Scripts/fuzz.sh` with `-sanitize=fuzzer,address`; each target is an `LLVMFuzzerTestOneInput` that must never trap,
/// and where a parser promises a round trip (canonical JSON, ledger entries, checkpoints) the target checks it.
let package = Package(
    name: "BuckStopFuzz",
    dependencies: [.package(name: "BuckStop", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzCanonicalJSON", dependencies: ["FuzzSupport", .product(name: "BuckStopLedger", package: "BuckStop")]),
        .executableTarget(
            name: "FuzzEntryCodec",
            dependencies: [
                "FuzzSupport", .product(name: "BuckStopDomain", package: "BuckStop"), .product(name: "BuckStopLedger", package: "BuckStop"),
            ]),
        .executableTarget(name: "FuzzRulebookYAML", dependencies: ["FuzzSupport", .product(name: "BuckStopDomain", package: "BuckStop")]),
        .executableTarget(name: "FuzzOrganizationYAML", dependencies: ["FuzzSupport", .product(name: "BuckStopDomain", package: "BuckStop")]),
        .executableTarget(name: "FuzzAPIRequests", dependencies: ["FuzzSupport", .product(name: "BuckStopAPI", package: "BuckStop")]),
        .executableTarget(name: "FuzzXES", dependencies: ["FuzzSupport", .product(name: "BuckStopEventLog", package: "BuckStop")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", .product(name: "BuckStopEventLog", package: "BuckStop")]),
        .executableTarget(name: "FuzzGzip", dependencies: ["FuzzSupport", .product(name: "BuckStopEventLog", package: "BuckStop")]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzSupport", .product(name: "BuckStopLedger", package: "BuckStop")]),
    ]
)
