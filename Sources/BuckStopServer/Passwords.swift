import HummingbirdBcrypt
import NIOPosix

/// Bcrypt off the event loops: a hash costs tens of milliseconds of CPU on purpose.
enum Passwords {
    static func hash(_ password: String, cost: Int) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
