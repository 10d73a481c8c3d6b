internal import Authz
internal import Workloads

extension OpenAPIDocument {
    /// The schemas only the loaded policy and provider catalog can state: which permissions,
    /// roles and resource types exist, which permission applies to which type, what each
    /// provider's input is. With them every request the document admits is one the server
    /// takes, as far as a schema can say it (a date in the future, a role above the caller's
    /// own, an id that exists are not schema matters).
    static func policySchemas(_ policy: Policy, providers: ProviderCatalog) -> [(String, OpenAPISchema)] {
        let organizationRoles = policy.organization.roles.map(\.name)
        let stored = policy.types.filter { !$0.isExternal }
        var schemas: [(String, OpenAPISchema)] = [
            ("Permission", .enumeration(policy.permissionNames)),
            ("OrganizationRole", .enumeration(organizationRoles)),
            ("TeamRole", .enumeration(policy.team.roles.map(\.name))),
            ("CheckRequest", .oneOf(policy.types.map { Self.check(on: $0, policy: policy, fields: Self.checkFields) })),
            ("CheckBatchItem", .oneOf(policy.types.map { Self.check(on: $0, policy: policy, fields: Self.batchItemFields) })),
            ("LookupSubjectsRequest", .oneOf(policy.types.map { Self.check(on: $0, policy: policy, fields: Self.lookupSubjectsFields) })),
            (
                "LookupResourcesRequest",
                .oneOf(
                    stored.map { type in
                        .object(
                            [
                                ("subject", .reference("Subject")), ("permission", .enumeration(policy.names(of: type.permissions))),
                                ("resource_type", .constant(type.name)), ("organization_id", .uuid), ("limit", .integer(minimum: 1, maximum: 200)),
                                ("cursor", Self.lookupCursor), ("consistency", .reference("Consistency")),
                            ],
                            required: ["permission", "resource_type", "organization_id"]
                        )
                    }
                )
            ),
            ("WorkRequest", .oneOf(providers.descriptors.map { Self.work(with: $0, providers: providers, team: true) })),
            ("EstimateRequest", .oneOf(providers.descriptors.map { Self.work(with: $0, providers: providers, team: false) })),
            ("WorkflowNode", .oneOf(providers.descriptors.map { Self.node(with: $0, providers: providers) })),
        ]
        // An organization key's scopes are within its role; a personal key has no role.
        let personal = OpenAPISchema.object(
            [("name", Self.name(100)), ("scopes", Self.scopes(policy.permissionNames)), ("expires_at", .timestamp)],
            required: ["name"]
        )
        let defaulted = OpenAPISchema.object(
            [
                ("name", Self.name(100)), ("organization_id", .uuid),
                ("scopes", Self.scopes(policy.organization.role(named: "member").map { policy.names(of: $0.permissions) } ?? policy.permissionNames)),
                ("expires_at", .timestamp),
            ],
            required: ["name", "organization_id"]
        )
        let withRole = policy.organization.roles.map { role in
            OpenAPISchema.object(
                [
                    ("name", Self.name(100)), ("organization_id", .uuid), ("role", .constant(role.name)),
                    ("scopes", Self.scopes(policy.names(of: role.permissions))), ("expires_at", .timestamp),
                ],
                required: ["name", "organization_id", "role"]
            )
        }
        schemas.append(("APIKeyRequest", .oneOf([personal, defaulted] + withRole)))
        return schemas
    }

    static let checkFields = ["subject", "context", "explain", "consistency"]
    static let batchItemFields = ["subject", "context", "explain"]
    static let lookupSubjectsFields = ["limit", "cursor", "consistency"]

    /// A check (or lookup-subjects request) on one resource type: the permissions that apply to
    /// it, and its resource described as the type needs (a UUID, or the caller's own id and
    /// place for an external type).
    static func check(on type: ResourceType, policy: Policy, fields: [String]) -> OpenAPISchema {
        let resource: OpenAPISchema =
            type.isExternal
            ? .object(
                [
                    ("type", .constant(type.name)),
                    ("id", .string(description: "The calling service's own id.", length: 1...256, pattern: "^[!-~]+$")),
                    ("organization_id", .uuid), ("team_id", .uuid), ("owner_id", .uuid),
                ],
                required: ["type", "id", "organization_id"]
            )
            : .object([("type", .constant(type.name)), ("id", .uuid)], required: ["type", "id"])
        let optional: [String: OpenAPISchema] = [
            "subject": .reference("Subject"), "context": .object([], additional: true), "explain": .boolean,
            "consistency": .reference("Consistency"), "limit": .integer(minimum: 1, maximum: 200), "cursor": Self.lookupCursor,
        ]
        return .object(
            [("permission", .enumeration(policy.names(of: type.permissions))), ("resource", resource)]
                + fields.compactMap { name in optional[name].map { (name, $0) } },
            required: ["permission", "resource"]
        )
    }

    /// A job or direct execution on one provider, with that provider's input.
    static func work(with descriptor: ProviderDescriptor, providers: ProviderCatalog, team: Bool) -> OpenAPISchema {
        .object(
            [("organization_id", .uuid)] + (team ? [("team_id", .uuid)] : [])
                + [("provider", .constant(descriptor.name)), ("input", Self.input(of: descriptor, providers: providers))],
            required: ["organization_id", "provider", "input"]
        )
    }

    static func node(with descriptor: ProviderDescriptor, providers: ProviderCatalog) -> OpenAPISchema {
        .object(
            [
                ("id", .string(description: "Unique in the definition.", length: 1...64, pattern: "^[A-Za-z0-9_-]+$")),
                ("provider", .constant(descriptor.name)), ("input", Self.input(of: descriptor, providers: providers)),
                ("depends_on", .array(.string(length: 1...64, pattern: "^[A-Za-z0-9_-]+$"), maxItems: 100)),
            ],
            required: ["id", "provider", "input"]
        )
    }

    static func input(of descriptor: ProviderDescriptor, providers: ProviderCatalog) -> OpenAPISchema {
        providers.provider(named: descriptor.name).map { .json($0.inputSchema) } ?? .object([], additional: true)
    }

    /// A display name: trimmed of spaces, tabs and line breaks, it must still hold a character.
    static func name(_ maximum: Int) -> OpenAPISchema {
        .string(length: 1...maximum, pattern: "[^ \\t\\r\\n]")
    }

    static func scopes(_ permissions: [String]) -> OpenAPISchema {
        .array(.enumeration(permissions), maxItems: 100, minItems: 1)
    }

    /// `revision.id` of the page before: any revision this replica still keeps.
    static let lookupCursor = OpenAPISchema.string(
        description: "The `cursor` of the previous page.",
        pattern: "^[0-9]{1,19}\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    )
}
