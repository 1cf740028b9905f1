import Foundation

/// The real event logs in `../shared/data/eventlogs/` (a sibling of the repository; `BUCKSTOP_SHARED_DIR`
/// overrides). The path comes from `#filePath` with symlinks resolved.
enum EventLogFiles {
    static func path(_ name: String, filePath: String = #filePath) -> String {
        let shared: URL
        if let override = ProcessInfo.processInfo.environment["BUCKSTOP_SHARED_DIR"] {
            shared = URL(fileURLWithPath: override)
        } else {
            shared = URL(fileURLWithPath: filePath).resolvingSymlinksInPath()
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("shared")
        }
        return shared.appendingPathComponent("data/eventlogs").appendingPathComponent(name).path
    }
}
