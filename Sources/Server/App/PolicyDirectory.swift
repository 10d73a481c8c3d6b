public import Authz
import Foundation

/// Reads a policy folder: the `*.yaml` / `*.yml` files directly in it are the policy, those
/// in its `tests/` subfolder the test suites. Files are taken in name order so diagnostics
/// and compiled ids do not depend on the file system's listing order.
public struct PolicyDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public enum ReadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case empty(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot be read: \(reason)"
            case .empty(let path): "\(path): no policy files (*.yaml) found"
            }
        }
    }

    public func policySources() throws(ReadError) -> [PolicySource] {
        let sources = try Self.sources(in: self.path)
        guard !sources.isEmpty else { throw .empty(path: self.path) }
        return sources
    }

    public func testSources() throws(ReadError) -> [PolicySource] {
        let folder = (self.path as NSString).appendingPathComponent("tests")
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try Self.sources(in: folder)
    }

    /// Loads and compiles the policy; every problem in every file is in the thrown error.
    public func load() throws -> Policy {
        try PolicyCompiler.compile(try self.policySources())
    }

    static func sources(in folder: String) throws(ReadError) -> [PolicySource] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw .unreadable(path: folder, reason: error.localizedDescription)
        }
        var sources: [PolicySource] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = (folder as NSString).appendingPathComponent(name)
            do {
                sources.append(PolicySource(path: file, contents: try String(contentsOfFile: file, encoding: .utf8)))
            } catch {
                throw .unreadable(path: file, reason: error.localizedDescription)
            }
        }
        return sources
    }
}
