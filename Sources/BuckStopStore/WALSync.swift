import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Makes committed WAL frames durable with one `fdatasync` of the `-wal` file.
///
/// Why this is as safe as `synchronous = FULL`: in WAL mode SQLite appends every committed frame to
/// the `-wal` file with `write`; `fdatasync` on any descriptor of that file flushes them (Linux
/// syncs the inode, not the descriptor). With `synchronous = NORMAL` SQLite stays consistent after a
/// crash (torn frames fail their checksums and are ignored) and syncs the WAL before each checkpoint
/// and the database after it, so frames are never dropped before they are in the database file.
/// The store acknowledges an append only after a sync that started after its commit returned, so
/// every acknowledged append is on disk — and the sync runs outside SQLite's write lock, so the next
/// batch's work overlaps it.
final class WALSync: @unchecked Sendable {
    private let path: String
    private let queue = DispatchQueue(label: "buckstop.wal-sync")
    // Touched only on `queue`.
    private var descriptor: Int32 = -1
    private var inode: UInt64 = 0
    private let counter = Mutex((count: 0, seconds: 0.0))

    /// How many syncs completed: lets a test check that acknowledgements wait for one.
    var count: Int { counter.withLock { $0.count } }
    /// Time spent in `fdatasync` so far (the disk's share of an append's latency).
    var seconds: Double { counter.withLock { $0.seconds } }

    init(databasePath: String) {
        path = databasePath + "-wal"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Syncs the WAL; throws if the data may not be on disk.
    func sync() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            sync { continuation.resume(with: $0) }
        }
    }

    /// Syncs the WAL and calls `completion` on the sync's own thread. Group commit answers the batch's waiters from
    /// there: woken from outside the event loops, their tasks spread over all of them.
    func sync(completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        queue.async {
            do {
                try self.syncNow()
                completion(.success(()))
            } catch {
                completion(.failure(error))
            }
        }
    }

    private func syncNow() throws {
        // SQLite may delete and recreate the WAL (when the last connection closes): follow the path.
        var info = stat()
        guard stat(path, &info) == 0 else { throw StoreError.database("cannot stat \(path): \(String(cString: strerror(errno)))") }
        if descriptor < 0 || UInt64(info.st_ino) != inode {
            if descriptor >= 0 { close(descriptor) }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw StoreError.database("cannot open \(path): \(String(cString: strerror(errno)))") }
            inode = UInt64(info.st_ino)
        }
        let started = ContinuousClock.now
        guard fdatasync(descriptor) == 0 else {
            throw StoreError.database("fdatasync of \(path) failed: \(String(cString: strerror(errno)))")
        }
        let elapsed = ContinuousClock.now - started
        counter.withLock {
            $0.count += 1
            $0.seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
