import Foundation
internal import Hummingbird

/// `?limit=` (1–200, default 50) and `?cursor=` of a list route (API.md §1). The cursor is
/// opaque to clients; here it is the last id of the previous page.
struct Page {
    let limit: Int
    let after: UUID?

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
        var after: UUID?
        if let cursor = query["cursor"] {
            if let data = Data(base64Encoded: String(cursor)), let id = UUID(text: String(decoding: data, as: UTF8.self)) {
                after = id
            } else {
                problems.append(FieldError(field: "cursor", message: "is not a cursor this API issued"))
            }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        self.limit = limit
        self.after = after
    }

    /// This page of a list held in full (a principal's own memberships): ordered by id as the
    /// store orders its pages, so cursors mean the same everywhere.
    func slice<Item>(_ items: [Item], by id: (Item) -> UUID) -> [Item] {
        let sorted = items.sorted { id($0).text < id($1).text }
        let start = self.after.map { after in sorted.firstIndex { id($0).text > after.text } ?? sorted.endIndex } ?? 0
        return Array(sorted[start...].prefix(self.limit))
    }

    /// `links.next` when the page came back full.
    func links(_ request: Request, count: Int, last: UUID?) -> [String: String] {
        guard count == self.limit, let last else { return [:] }
        let cursor = Data(last.text.utf8).base64EncodedString()
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = [URLQueryItem(name: "limit", value: String(self.limit)), URLQueryItem(name: "cursor", value: cursor)]
        return ["next": components.string ?? request.uri.path]
    }
}
