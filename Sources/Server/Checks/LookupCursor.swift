import Foundation
import JSON

/// The cursor of a lookup: the revision its first page was answered at and the last id
/// returned. Opaque to clients (base64); pinning the revision is what keeps the pages of
/// one lookup a single consistent view. Written `revision.id`.
struct LookupCursor: Equatable {
    let revision: UInt64
    let after: UUID

    init(revision: UInt64, after: UUID) {
        self.revision = revision
        self.after = after
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCII), let revision = UInt64(parts[0]), let after = UUID(text: String(parts[1])) else {
            return nil
        }
        self.init(revision: revision, after: after)
    }

    var text: String {
        "\(self.revision).\(self.after.text)"
    }
}
