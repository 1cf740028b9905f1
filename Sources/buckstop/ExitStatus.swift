import ArgumentParser
import BuckStopDomain
import Foundation

/// The exit status of `buckstop`: one per category of failure (`FailureCategory`), the command line's side of the one
/// error taxonomy (the server's is `Problem`). Listed in `buckstop --help` and the README.
enum ExitStatus {
    static func code(for category: FailureCategory) -> Int32 {
        switch category {
        case .rejected: 3
        case .notFound: 4
        case .conflict: 5
        case .methodNotAllowed: 64
        case .invalidInput, .tooLarge: 65
        case .storageFailure: 74
        case .unavailable, .rateLimited: 75
        case .unauthenticated, .forbidden: 77
        case .misconfigured: 78
        case .internalError: 1
        }
    }

    /// The status of an error the command threw: its category's, or nil for the argument parser's own (usage 64,
    /// help 0) and for an error of no category (1, as the argument parser answers it).
    static func code(for error: any Error) -> Int32? {
        guard let categorized = error as? any CategorizedError else { return nil }
        return code(for: categorized.category)
    }

    /// For `buckstop --help`.
    static let table = """
        Exit status:
          0   success
          1   internal error: something unexpected failed (the message says what)
          2   verify: the ledger does not verify (the first bad entry is named)
          3   refused: the rules do not allow the action (a required field, who may act, the case's state)
          4   not found: no such case, finding, official, unit, file or database
          5   conflict: it exists already
          64  usage: the command line does not parse (an unknown option, a missing argument)
          65  invalid input: a value or a file that is not what it should be
          74  storage: the database or a file failed while reading or writing (read-only, full, I/O)
          75  unavailable: the database cannot be reached right now; try again
          77  not permitted
          78  configuration: keys or settings that do not fit the database
        """
}
