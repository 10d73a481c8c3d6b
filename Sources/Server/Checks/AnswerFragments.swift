internal import Authz
import JSON

/// The parts of a batch's answers that depend only on a name (`,"permission":"team.read"`,
/// `,"type":"team"}`), written once per batch for the names its items use, then copied into
/// each answer: a batch names a handful of permissions and types, and looking a name up and
/// escaping it for every answer was a visible share of writing them.
///
/// Immutable once made, so writing from it borrows it: filling it in while writing copied
/// it (four references retained and released) at every answer.
struct AnswerFragments {
    /// Every fragment, one after another.
    private let text: JSONOutput
    private let permissions: [Range<Int>?]
    private let types: [Range<Int>?]

    init(for items: [CheckItem], policy: Policy) {
        var text = JSONOutput(capacity: 256)
        var permissions = [Range<Int>?](repeating: nil, count: policy.permissionNames.count)
        var types = [Range<Int>?](repeating: nil, count: policy.types.count)
        func add(_ write: (inout JSONOutput) -> Void) -> Range<Int> {
            let start = text.bytes.count
            write(&text)
            return start..<text.bytes.count
        }
        for item in items {
            let permission = Int(item.permission.rawValue)
            if permissions[permission] == nil {
                permissions[permission] = add {
                    $0.raw(",\"permission\":")
                    $0.string(policy.name(of: item.permission))
                }
            }
            if case .stored(let type, _) = item.resource, types[Int(type.rawValue)] == nil {
                types[Int(type.rawValue)] = add {
                    $0.raw(",\"type\":")
                    $0.string(policy.typeName(type))
                    $0.raw("}")
                }
            }
        }
        self.text = text
        self.permissions = permissions
        self.types = types
    }

    /// `,"permission":"…"` for a permission the items name.
    func writePermission(_ id: PermissionID, to output: inout JSONOutput) {
        output.raw(self.text, self.permissions[Int(id.rawValue)]!)
    }

    /// `,"type":"…"}`, what closes a reference after its id, for a stored type the items name.
    func writeTypeClosing(_ type: ResourceTypeID, to output: inout JSONOutput) {
        output.raw(self.text, self.types[Int(type.rawValue)]!)
    }
}
