internal import Yams

/// Reads policy files into declarations, reporting shape errors (wrong node kinds, unknown
/// keys, malformed names) with their lines.
struct PolicyParser {
    static let fileKeys: Set = ["resource_types", "grants"]
    static let typeKeys: Set = ["description", "parent", "external", "permissions", "creator", "roles"]
    static let roleKeys: Set = ["description", "includes", "grants"]

    static func parse(_ sources: [PolicySource]) -> (PolicyDeclarations, [PolicyDiagnostic]) {
        var declarations = PolicyDeclarations()
        var diagnostics: [PolicyDiagnostic] = []
        for source in sources {
            var reader = YAMLReader(file: source.path)
            if let root = reader.compose(source.contents) {
                Self.parseFile(root, into: &declarations, reader: &reader)
            }
            diagnostics += reader.diagnostics
        }
        return (declarations, diagnostics)
    }

    static func parseFile(_ root: Node, into declarations: inout PolicyDeclarations, reader: inout YAMLReader) {
        let entries = reader.mapping(root, "a policy file")
        reader.checkKeys(entries, allowed: Self.fileKeys, in: "a policy file")
        for entry in entries {
            switch entry.key.value {
            case "resource_types":
                for typeEntry in reader.mapping(entry.value, "resource_types") {
                    if let type = Self.parseType(typeEntry.key, typeEntry.value, reader: &reader) {
                        declarations.types.append(type)
                    }
                }
            case "grants":
                for grantEntry in reader.mapping(entry.value, "grants") {
                    let parts = grantEntry.key.value.split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count == 2, parts.allSatisfy({ Self.isIdentifier($0) }) else {
                        reader.error(
                            grantEntry.key.location,
                            "grants keys are written TYPE.ROLE, e.g. organization.admin; got '\(grantEntry.key.value)'"
                        )
                        continue
                    }
                    let permissions = Self.permissionNames(grantEntry.value, "grants of \(grantEntry.key.value)", reader: &reader)
                    declarations.grants.append(
                        PolicyDeclarations.GrantDeclaration(
                            typeName: String(parts[0]),
                            roleName: String(parts[1]),
                            location: grantEntry.key.location,
                            permissions: permissions
                        )
                    )
                }
            default:
                break
            }
        }
    }

    static func parseType(_ name: Located<String>, _ node: Node, reader: inout YAMLReader) -> PolicyDeclarations.TypeDeclaration? {
        guard Self.isIdentifier(name.value[...]) else {
            reader.error(name.location, "resource type names are lower_snake_case identifiers; got '\(name.value)'")
            return nil
        }
        var type = PolicyDeclarations.TypeDeclaration(name: name)
        let what = "resource type '\(name.value)'"
        let entries = reader.mapping(node, what)
        reader.checkKeys(entries, allowed: Self.typeKeys, in: what)
        for entry in entries {
            switch entry.key.value {
            case "parent":
                type.parent = reader.string(entry.value, "parent of \(what)")
            case "external":
                type.isExternal = reader.bool(entry.value, "external of \(what)") ?? false
            case "permissions":
                type.permissions = Self.permissionNames(entry.value, "permissions of \(what)", reader: &reader)
            case "creator":
                type.creator = Self.permissionNames(entry.value, "creator of \(what)", reader: &reader)
            case "roles":
                for roleEntry in reader.mapping(entry.value, "roles of \(what)") {
                    if let role = Self.parseRole(roleEntry.key, roleEntry.value, type: name.value, reader: &reader) {
                        type.roles.append(role)
                    }
                }
            case "description":
                _ = reader.string(entry.value, "description of \(what)")
            default:
                break
            }
        }
        return type
    }

    static func parseRole(_ name: Located<String>, _ node: Node, type: String, reader: inout YAMLReader) -> PolicyDeclarations.RoleDeclaration? {
        guard Self.isIdentifier(name.value[...]) else {
            reader.error(name.location, "role names are lower_snake_case identifiers; got '\(name.value)'")
            return nil
        }
        var role = PolicyDeclarations.RoleDeclaration(name: name)
        let what = "role '\(type).\(name.value)'"
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag == .init(.null) {
            return role
        }
        let entries = reader.mapping(node, what)
        reader.checkKeys(entries, allowed: Self.roleKeys, in: what)
        for entry in entries {
            switch entry.key.value {
            case "description":
                role.description = reader.string(entry.value, "description of \(what)")?.value
            case "includes":
                role.includes = reader.strings(entry.value, "includes of \(what)")
            case "grants":
                role.grants = Self.permissionNames(entry.value, "grants of \(what)", reader: &reader)
            default:
                break
            }
        }
        return role
    }

    static func permissionNames(_ node: Node, _ what: String, reader: inout YAMLReader) -> [Located<String>] {
        reader.strings(node, what).filter { name in
            guard Self.isPermissionName(name.value) else {
                reader.error(name.location, "permission names are dotted lower_snake_case identifiers such as job.cancel; got '\(name.value)'")
                return false
            }
            return true
        }
    }

    static func isIdentifier(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isPermissionName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { Self.isIdentifier($0) }
    }
}
