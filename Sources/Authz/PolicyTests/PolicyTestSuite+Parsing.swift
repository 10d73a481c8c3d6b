internal import Yams

extension PolicyTestSuite {
    static let fileKeys: Set = ["description", "principals", "platform_admins", "organizations", "resources", "expected"]
    static let organizationKeys: Set = ["members", "teams"]
    static let resourceKeys: Set = ["type", "organization", "team", "creator", "owner"]

    /// Parses one test file; shape errors are reported with their lines.
    public static func parse(_ source: PolicySource) throws(PolicyError) -> PolicyTestSuite {
        var reader = YAMLReader(file: source.path)
        var suite = PolicyTestSuite(file: source.path)
        guard let root = reader.compose(source.contents) else {
            if reader.diagnostics.isEmpty { reader.error(nil, "the test file is empty") }
            throw PolicyError(reader.diagnostics)
        }
        let entries = reader.mapping(root, "a policy test file")
        reader.checkKeys(entries, allowed: Self.fileKeys, in: "a policy test file")
        for entry in entries {
            switch entry.key.value {
            case "description":
                _ = reader.string(entry.value, "description")
            case "principals":
                suite.principals = reader.strings(entry.value, "principals")
            case "platform_admins":
                suite.platformAdmins = reader.strings(entry.value, "platform_admins")
            case "organizations":
                for organization in reader.mapping(entry.value, "organizations") {
                    suite.organizations.append(Self.parseOrganization(organization.key, organization.value, reader: &reader))
                }
            case "resources":
                for resource in reader.mapping(entry.value, "resources") {
                    suite.resources.append(Self.parseResource(resource.key, resource.value, reader: &reader))
                }
            case "expected":
                for principal in reader.mapping(entry.value, "expected") {
                    for resource in reader.mapping(principal.value, "expected of '\(principal.key.value)'") {
                        let allowed = reader.strings(resource.value, "allowed permissions of '\(principal.key.value)' on '\(resource.key.value)'")
                        suite.expectations.append(Expectation(principal: principal.key, resource: resource.key, allowed: allowed))
                    }
                }
            default:
                break
            }
        }
        guard reader.diagnostics.isEmpty else { throw PolicyError(reader.diagnostics) }
        return suite
    }

    private static func parseOrganization(_ name: Located<String>, _ node: Node, reader: inout YAMLReader) -> Organization {
        var organization = Organization(name: name)
        let entries = reader.mapping(node, "organization '\(name.value)'")
        reader.checkKeys(entries, allowed: Self.organizationKeys, in: "organization '\(name.value)'")
        for entry in entries {
            switch entry.key.value {
            case "members":
                organization.members = Self.parseMembers(entry.value, "members of '\(name.value)'", reader: &reader)
            case "teams":
                for team in reader.mapping(entry.value, "teams of '\(name.value)'") {
                    let members = Self.parseMembers(team.value, "members of team '\(team.key.value)'", reader: &reader)
                    organization.teams.append(Team(name: team.key, members: members))
                }
            default:
                break
            }
        }
        return organization
    }

    private static func parseMembers(_ node: Node, _ what: String, reader: inout YAMLReader) -> [(principal: Located<String>, role: Located<String>)]
    {
        if case .scalar(let scalar) = node, scalar.tag == .init(.null) || scalar.string.isEmpty { return [] }
        return reader.mapping(node, what).compactMap { entry in
            reader.string(entry.value, "role of '\(entry.key.value)'").map { (entry.key, $0) }
        }
    }

    private static func parseResource(_ name: Located<String>, _ node: Node, reader: inout YAMLReader) -> Resource {
        var resource = Resource(name: name)
        let entries = reader.mapping(node, "resource '\(name.value)'")
        reader.checkKeys(entries, allowed: Self.resourceKeys, in: "resource '\(name.value)'")
        for entry in entries {
            let value = reader.string(entry.value, "\(entry.key.value) of '\(name.value)'")
            switch entry.key.value {
            case "type": resource.type = value
            case "organization": resource.organization = value
            case "team": resource.team = value
            case "creator", "owner": resource.creator = value
            default: break
            }
        }
        if resource.type == nil { reader.error(name.location, "resource '\(name.value)' needs a type") }
        if resource.organization == nil { reader.error(name.location, "resource '\(name.value)' needs an organization") }
        return resource
    }
}
