import Authz
import Foundation

/// The repository's default policy, which the identity rules are written against.
enum DefaultPolicy {
    static let policy: Policy = {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies")
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter { $0.hasSuffix(".yaml") }
            return try PolicyCompiler.compile(
                names.map { PolicySource(path: $0, contents: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
            )
        } catch {
            fatalError("the default policy does not compile: \(error)")
        }
    }()
}
