import Foundation
import JSON

/// What a list's cursor names: the last item of the previous page, in the order the list is
/// kept (an id for most lists, a sequence number for the audit log).
protocol PageCursor: Sendable {
    init?(cursorText: String)
    var cursorText: String { get }
}

extension UUID: PageCursor {
    init?(cursorText: String) { self.init(text: cursorText) }
    var cursorText: String { self.text }
}

extension Int64: PageCursor {
    init?(cursorText: String) {
        guard let value = Int64(cursorText), value >= 0 else { return nil }
        self = value
    }

    var cursorText: String { String(self) }
}
