import Foundation

/// Writing a command's output file whole or not at all: a regular file is written as FILE.partial and renamed
/// when complete, so a failure never leaves half a report under the real name. Anything else that already
/// exists — /dev/null, a named pipe, a terminal — is written in place and never replaced.
enum OutputFile {
    static func existsAndIsNotARegularFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) != S_IFREG
    }

    static func write(_ path: String, _ body: (@escaping (String) throws -> Void) throws -> Void) throws {
        let target = try Target(path)
        do {
            try body(target.emit)
            try target.commit()
        } catch {
            target.abandon()
            throw CLIError("cannot write \(path): \(error)")
        }
    }

    /// The same for a producer that awaits (reading the store).
    static func writeStreaming(_ path: String, _ body: (@escaping (String) throws -> Void) async throws -> Void) async throws {
        let target = try Target(path)
        do {
            try await body(target.emit)
            try target.commit()
        } catch {
            target.abandon()
            throw CLIError("cannot write \(path): \(error)")
        }
    }

    /// The file being written (FILE.partial, or the path itself when written in place).
    private struct Target {
        let path: String
        let inPlace: Bool
        let temporary: String
        let handle: FileHandle

        init(_ path: String) throws {
            self.path = path
            inPlace = OutputFile.existsAndIsNotARegularFile(path)
            temporary = inPlace ? path : path + ".partial"
            if !inPlace {
                guard FileManager.default.createFile(atPath: temporary, contents: nil) else { throw CLIError("cannot create \(temporary)") }
            }
            do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary)) } catch {
                throw CLIError("cannot open \(temporary) for writing: \(error.localizedDescription)")
            }
        }

        var emit: (String) throws -> Void {
            let handle = handle
            return { chunk in try handle.write(contentsOf: Data(chunk.utf8)) }
        }

        func commit() throws {
            try handle.close()
            if !inPlace {
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            }
        }

        func abandon() {
            try? handle.close()
            if !inPlace { try? FileManager.default.removeItem(atPath: temporary) }
        }
    }
}
