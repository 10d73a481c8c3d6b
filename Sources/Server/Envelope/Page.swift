import Foundation
internal import Hummingbird
import JSON

/// `?limit=` (1–200, default 50) and `?cursor=` of a list route (docs/API.md §1). The cursor is
/// opaque to clients; here it is the last item of the previous page (`Cursor`): an id, or the
/// audit log's sequence number. Any well-formed one is a position in the list's order, so a
/// cursor is never "not issued": the page simply starts after it.
struct Page<Cursor: PageCursor> {
    let limit: Int
    let after: Cursor?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        var problems: [FieldError] = []
        var limit = 50
        if let text = query["limit"] {
            if let value = Int(String(text)), (1...200).contains(value) {
                limit = value
            } else {
                problems.append(FieldError(field: "limit", message: "must be a whole number from 1 to 200"))
            }
        }
        var after: Cursor?
        if let cursor = query["cursor"] {
            if let last = Cursor(cursorText: String(cursor)) {
                after = last
            } else {
                problems.append(FieldError(field: "cursor", message: "is not a cursor of this list"))
            }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        self.limit = limit
        self.after = after
    }

    /// `links.next` when the page came back full: the same query (filters included), the next
    /// cursor.
    func links(_ request: Request, count: Int, last: Cursor?) -> [String: String] {
        guard count == self.limit, let last else { return [:] }
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems =
            request.uri.queryParameters.filter { $0.key != "cursor" && $0.key != "limit" }.map {
                URLQueryItem(name: String($0.key), value: String($0.value))
            }
            .sorted { $0.name < $1.name }
            + [
                URLQueryItem(name: "limit", value: String(self.limit)),
                URLQueryItem(name: "cursor", value: last.cursorText),
            ]
        return ["next": components.string ?? request.uri.path]
    }
}

extension Page where Cursor == UUID {
    /// This page of a list held in full (a principal's own memberships): ordered by id as the
    /// store orders its pages, so cursors mean the same everywhere.
    func slice<Item>(_ items: [Item], by id: (Item) -> UUID) -> [Item] {
        let sorted = items.sorted { id($0).text < id($1).text }
        let start = self.after.map { after in sorted.firstIndex { id($0).text > after.text } ?? sorted.endIndex } ?? 0
        return Array(sorted[start...].prefix(self.limit))
    }
}
