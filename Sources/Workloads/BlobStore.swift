internal import APIKeys
internal import Foundation
public import NIOCore
internal import NIOFileSystem

/// A folder of content-addressed blobs (`ab/abcdef…`, named by SHA-256), beside the database.
/// Uploads are streamed to a temporary file while they are hashed and counted, then moved to
/// their name; nothing is ever held whole in memory. Equal content is stored once.
public struct BlobStore: Sendable {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// What an upload left on disk, not yet named.
    public struct Upload: Sendable {
        let temporaryPath: String
        public let sha256: String
        public let size: Int64
    }

    public enum UploadError: Error, Sendable {
        /// The body went past `limit` bytes; nothing was kept.
        case tooLarge(limit: Int64)
    }

    /// Streams `body` to a temporary file, hashing as it goes; throws `tooLarge` (and removes
    /// the file) as soon as more than `limit` bytes arrive.
    public func receive<Body: AsyncSequence>(_ body: Body, limit: Int64) async throws -> Upload where Body.Element == ByteBuffer {
        let fileSystem = FileSystem.shared
        let incoming = self.folder + "/incoming"
        try await fileSystem.createDirectory(at: FilePath(incoming), withIntermediateDirectories: true)
        let path = incoming + "/" + UUID().uuidString.lowercased()
        var hasher = SHA256Hasher()
        var size: Int64 = 0
        do {
            try await fileSystem.withFileHandle(forWritingAt: FilePath(path), options: .newFile(replaceExisting: false)) { handle in
                try await handle.withBufferedWriter { writer in
                    for try await buffer in body {
                        size += Int64(buffer.readableBytes)
                        guard size <= limit else { throw UploadError.tooLarge(limit: limit) }
                        buffer.withUnsafeReadableBytes { hasher.update($0) }
                        _ = try await writer.write(contentsOf: buffer)
                    }
                }
            }
        } catch {
            _ = try? await fileSystem.removeItem(at: FilePath(path))
            throw error
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Upload(temporaryPath: path, sha256: digest, size: size)
    }

    /// Gives the upload its content address; when that content is already stored, the copy
    /// is dropped.
    public func keep(_ upload: Upload) async throws {
        let fileSystem = FileSystem.shared
        let target = self.path(of: upload.sha256)
        try await fileSystem.createDirectory(at: FilePath(target).removingLastComponent(), withIntermediateDirectories: true)
        if try await fileSystem.info(forFileAt: FilePath(target)) != nil {
            _ = try await fileSystem.removeItem(at: FilePath(upload.temporaryPath))
        } else {
            try await fileSystem.moveItem(at: FilePath(upload.temporaryPath), to: FilePath(target))
        }
    }

    public func discard(_ upload: Upload) async {
        _ = try? await FileSystem.shared.removeItem(at: FilePath(upload.temporaryPath))
    }

    public func remove(sha256: String) async throws {
        _ = try await FileSystem.shared.removeItem(at: FilePath(self.path(of: sha256)))
    }

    public func path(of sha256: String) -> String {
        "\(self.folder)/\(sha256.prefix(2))/\(sha256)"
    }
}
