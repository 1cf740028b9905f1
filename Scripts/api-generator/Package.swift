// swift-tools-version: 6.1
import PackageDescription

/// Only for `Scripts/generate-api.sh`: brings swift-openapi-generator's command-line tool, so that the server's
/// package never depends on the generator (its build costs minutes; the generated code is committed instead).
let package = Package(
    name: "BuckStopAPIGenerator",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")],
    targets: []
)
