import Foundation
import JSON

/// What a check-batch body asks: its items in order, the revision to wait for, and whether
/// each result echoes its question (`echo`, default true: subject, permission, resource and
/// revision in every result, as a single check answers; false leaves them out, since the
/// caller sent them and results keep their positions).
struct CheckBatch: Sendable {
    var items: [CheckItem]
    var minimumRevision: UInt64?
    var echo: Bool
}
