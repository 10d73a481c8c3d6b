/// `data` of every list route: `{"items": [...]}`.
struct ListBody<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
}
