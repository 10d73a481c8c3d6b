internal import Yams

/// Walks a composed YAML document keeping line numbers, and records a diagnostic (rather than
/// throwing) for every shape error so one file can report many problems.
struct YAMLReader {
    let file: String
    var diagnostics: [PolicyDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: self.file, line: node?.mark?.line ?? 1)
    }

    mutating func error(_ node: Node?, _ message: String) {
        self.diagnostics.append(PolicyDiagnostic(self.location(node), message))
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        self.diagnostics.append(PolicyDiagnostic(location, message))
    }

    /// Parses the text; a syntax error becomes a diagnostic at the line libyaml reported.
    mutating func compose(_ contents: String) -> Node? {
        do {
            return try Yams.compose(yaml: contents)
        } catch let error as YamlError {
            let (line, message) = Self.describe(error, contents: contents)
            self.error(SourceLocation(file: self.file, line: line), message)
        } catch {
            self.error(SourceLocation(file: self.file, line: 1), "YAML error: \(error)")
        }
        return nil
    }

    static func describe(_ error: YamlError, contents: String) -> (Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return (mark.line, "YAML syntax error: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "duplicate key \(duplicates.joined(separator: ", ")) in mapping")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { contents.utf8.prefix($0).filter { $0 == UInt8(ascii: "\n") }.count + 1 } ?? 1
            return (line, "YAML read error: \(problem)")
        default:
            return (1, "YAML error: \(error)")
        }
    }

    /// The entries of a mapping with string keys; anything else is reported.
    mutating func mapping(_ node: Node, _ what: String) -> [(key: Located<String>, value: Node)] {
        guard case .mapping(let mapping) = node else {
            self.error(node, "\(what) must be a mapping")
            return []
        }
        var entries: [(key: Located<String>, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                self.error(key, "keys of \(what) must be plain strings")
                continue
            }
            entries.append((Located(value: scalar.string, location: self.location(key)), value))
        }
        return entries
    }

    /// Reports keys outside `allowed`: a misspelt key must not silently do nothing.
    mutating func checkKeys(_ entries: [(key: Located<String>, value: Node)], allowed: Set<String>, in what: String) {
        for entry in entries where !allowed.contains(entry.key.value) {
            let expected = allowed.sorted().joined(separator: ", ")
            self.error(entry.key.location, "unknown key '\(entry.key.value)' in \(what) (expected one of: \(expected))")
        }
    }

    mutating func string(_ node: Node, _ what: String) -> Located<String>? {
        guard case .scalar(let scalar) = node else {
            self.error(node, "\(what) must be a string")
            return nil
        }
        return Located(value: scalar.string, location: self.location(node))
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard case .scalar(let scalar) = node, let value = Bool.construct(from: scalar) else {
            self.error(node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ node: Node, _ what: String) -> [Located<String>] {
        switch node {
        case .scalar:
            return self.string(node, what).map { [$0] } ?? []
        case .sequence(let sequence):
            return sequence.compactMap { self.string($0, "each entry of \(what)") }
        default:
            self.error(node, "\(what) must be a list of strings")
            return []
        }
    }
}
