internal import HTTPTypes

/// What an idempotent request's reply is stored as (sealed): a status and a body, all a
/// replay needs, since the content type is always JSON.
struct IdempotentResponse {
    let status: HTTPResponse.Status
    let body: [UInt8]

    init(status: HTTPResponse.Status, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return nil }
        self.status = HTTPResponse.Status(code: Int(bytes[0]) << 8 | Int(bytes[1]))
        self.body = Array(bytes.dropFirst(2))
    }

    var encoded: [UInt8] {
        [UInt8(self.status.code >> 8), UInt8(self.status.code & 0xFF)] + self.body
    }
}
