/// Turns policy files into a `Policy`: parses them, resolves every name across files and
/// checks the rules a policy must keep. All problems are collected before failing.
public enum PolicyCompiler {
    public static func compile(_ sources: [PolicySource]) throws(PolicyError) -> Policy {
        let (declarations, parseDiagnostics) = PolicyParser.parse(sources)
        var resolver = PolicyResolver(declarations: declarations, defaultFile: sources.first?.path ?? "policies")
        resolver.diagnostics = parseDiagnostics
        resolver.resolve()
        guard resolver.diagnostics.isEmpty, let policy = resolver.build() else {
            throw PolicyError(resolver.diagnostics)
        }
        return policy
    }
}
