/// What the policy files say, before names are resolved: the parser's output and the
/// resolver's input. Every element keeps its location for diagnostics.
struct PolicyDeclarations {
    struct TypeDeclaration {
        let name: Located<String>
        var parent: Located<String>?
        var isExternal = false
        var permissions: [Located<String>] = []
        var creator: [Located<String>] = []
        var roles: [RoleDeclaration] = []
    }

    struct RoleDeclaration {
        let name: Located<String>
        var description: String?
        var includes: [Located<String>] = []
        var grants: [Located<String>] = []
    }

    /// A top-level `grants:` entry: permissions added to a role declared elsewhere, which is
    /// how a file for a new resource type extends the built-in roles without editing them.
    struct GrantDeclaration {
        let typeName: String
        let roleName: String
        let location: SourceLocation
        let permissions: [Located<String>]
    }

    var types: [TypeDeclaration] = []
    var grants: [GrantDeclaration] = []
}
