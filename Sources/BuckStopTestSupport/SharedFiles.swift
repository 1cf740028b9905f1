import Foundation

/// The one way tests find files outside their own target: the repository's root, and the reference data in
/// `../shared` beside it (event logs, Vietnamese calendars and procedures). `BUCKSTOP_SHARED_DIR` overrides the
/// shared directory. Paths come from this file's `#filePath` with symlinks resolved, so a scratch package that links
/// these sources still finds the real repository.
public enum SharedFiles {
    /// A reference file the tests need is not there.
    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "reference file not found: \(path) — the tests expect the shared data directory next to the repository "
                + "(../shared) or BUCKSTOP_SHARED_DIR to point at it"
        }
    }

    /// The repository's root directory.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // BuckStopTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // repository root

    /// `../shared`, or `BUCKSTOP_SHARED_DIR`.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["BUCKSTOP_SHARED_DIR"] { return URL(fileURLWithPath: override) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The path of a shared file (`data/eventlogs/receipt.xes.gz`); throws `Missing` when it is not there.
    public static func path(_ relative: String) throws -> String {
        let url = directory.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url.path
    }

    /// A real event log in `data/eventlogs/`.
    public static func eventLog(_ name: String) throws -> String { try path("data/eventlogs/" + name) }

    /// The text of a reference file in `data/vietnam/`.
    public static func vietnam(_ name: String) throws -> String {
        let file = try path("data/vietnam/" + name)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Missing(path: file) }
        return text
    }
}
