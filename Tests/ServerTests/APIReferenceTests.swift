import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Server

/// `docs/API.md` is the project's own reference: its route index (§5) lists exactly the
/// operations of the served OpenAPI document, each with the permission it checks, and its
/// error table (§1) every error code the document declares.
@Suite struct APIReferenceTests {
    static var reference: String {
        get throws { try String(contentsOf: EndToEndTests.root.appendingPathComponent("docs/API.md"), encoding: .utf8) }
    }

    @Test func theRouteIndexIsTheOpenAPIDocument() async throws {
        try await AuthenticatedApplication.withApplication { client, _ in
            let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            }
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, methods) in paths {
                for (method, operation) in methods {
                    let description = (operation as? [String: Any])?["description"] as? String ?? ""
                    let permission =
                        description.range(of: #"Requires `[^`]+`"#, options: .regularExpression).map {
                            String(description[$0].dropFirst("Requires ".count))
                        } ?? "—"
                    documented.insert("\(method.uppercased()) \(path) \(permission)")
                }
            }
            var indexed = Set<String>()
            for line in try Self.reference.split(separator: "\n")
            where line.hasPrefix("| GET |") || line.hasPrefix("| POST |")
                || line.hasPrefix("| PUT |") || line.hasPrefix("| PATCH |") || line.hasPrefix("| DELETE |")
            {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                indexed.insert("\(cells[0]) \(cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))) \(cells[2])")
            }
            #expect(indexed.subtracting(documented).sorted() == [], "in docs/API.md but not served")
            #expect(documented.subtracting(indexed).sorted() == [], "served but not in docs/API.md")
            #expect(indexed.count > 60)

            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let error = (schemas?["Error"] as? [String: Any])?["properties"] as? [String: Any]
            let codes = try #require((error?["code"] as? [String: Any])?["enum"] as? [String])
            let text = try Self.reference
            #expect(codes.filter { !text.contains("`\($0)`") && !text.contains("| \($0) |") } == [], "error codes missing from docs/API.md §1")
        }
    }

    /// What the repository cites exists in it: every `docs/API.md §n` names a section there.
    @Test func citedSectionsExist() throws {
        let text = try Self.reference
        let sections = Set(
            text.split(separator: "\n").filter { $0.hasPrefix("## ") }.compactMap { $0.dropFirst(3).split(separator: ".").first.map(String.init) }
        )
        #expect(sections == ["1", "2", "3", "4", "5", "6", "7", "8"])
        let root = EndToEndTests.root
        var files = ["README.md", "BENCHMARKS.md", "Makefile"].map { root.appendingPathComponent($0) }
        for folder in ["Sources", "Tests", "policies"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if ["swift", "md", "yaml"].contains(url.pathExtension), url.lastPathComponent != "APIReferenceTests.swift" { files.append(url) }
            }
        }
        var cited = Set<String>()
        for url in files {
            let contents = try String(contentsOf: url, encoding: .utf8)
            #expect(
                !contents.replacingOccurrences(of: "docs/API.md", with: "").contains("API.md"),
                "\(url.path) cites an API.md outside the repository"
            )
            for match in contents.matches(of: /docs\/API\.md\)? §(\d)/) { cited.insert(String(match.1)) }
        }
        #expect(!cited.isEmpty && cited.isSubset(of: sections))
    }
}
