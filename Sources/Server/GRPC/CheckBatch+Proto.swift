internal import Authz
internal import AuthzProto
import JSON

extension CheckBatch {
    /// A batch from its decoded message, by the rules and field paths of the JSON API's
    /// (`checks[2].resource.id`). Every batch `CheckBatchProtoScanner` declines comes here.
    static func read(_ message: Authz_V1_CheckBatchRequest, policy: Policy, batchLimit: Int) -> CheckBatchRequestRead {
        var reader = JSONReader()
        var items: [CheckItem] = []
        if message.checks.isEmpty || message.checks.count > batchLimit {
            reader.problem("checks", "must hold 1 to \(batchLimit) checks, not \(message.checks.count)")
        } else {
            items.reserveCapacity(message.checks.count)
            for (index, check) in message.checks.enumerated() {
                if let item = CheckItem.parse(check, at: "checks[\(index)]", inBatch: true, policy: policy, reader: &reader) {
                    items.append(item)
                }
            }
        }
        guard reader.problems.isEmpty else { return .invalid(AuthzController.unique(reader.problems)) }
        return .batch(CheckBatch(items: items, minimumRevision: message.hasConsistency ? message.consistency.minRevision : nil, echo: message.echo))
    }
}
