import BuckStopDomain
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who runs the command line: every entry a command writes records this operating-system user as its credential
/// (`cli:USER`), beside the official named with `--as`, so the ledger says who pressed the button.
enum Operator {
    static var credential: Credential { .commandLine(user: name) }

    static var name: String {
        #if canImport(Glibc)
            if let entry = getpwuid(getuid()), let raw = entry.pointee.pw_name {
                let user = String(cString: raw)
                if !user.isEmpty { return user }
            }
        #endif
        return "uid-\(getuid())"
    }
}
