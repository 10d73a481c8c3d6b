internal import GRPCCore
internal import NIOHPACK

extension HPACKHeaders {
    /// The response's headers, before its first message.
    static func grpcResponse(metadata: Metadata) -> HPACKHeaders {
        if metadata.isEmpty { return Self.plainResponse }
        var headers = Self.plainResponse
        metadata.add(to: &headers)
        return headers
    }

    /// The trailers that end a call; `trailersOnly` when no headers went before them (a call
    /// refused before it answered), so they carry the response's status and content type too.
    static func grpcTrailers(status: Status, metadata: Metadata, trailersOnly: Bool) -> HPACKHeaders {
        if status.code == .ok, status.message.isEmpty, metadata.isEmpty, !trailersOnly { return Self.plainOK }
        var headers = trailersOnly ? Self.plainResponse : HPACKHeaders()
        headers.add(name: "grpc-status", value: String(status.code.rawValue))
        if !status.message.isEmpty {
            headers.add(name: "grpc-message", value: Self.percentEncoded(status.message))
        }
        metadata.add(to: &headers)
        return headers
    }

    /// An HTTP answer to a request that is not gRPC at all (415 for a wrong content type).
    static func httpStatus(_ code: Int) -> HPACKHeaders {
        [":status": String(code)]
    }

    private static let plainResponse: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]
    private static let plainOK: HPACKHeaders = ["grpc-status": "0"]

    /// `grpc-message` as the gRPC protocol spells it: bytes outside printable ASCII, and `%`,
    /// percent-encoded.
    static func percentEncoded(_ message: String) -> String {
        let utf8 = message.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "%") }) { return message }
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "%") {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hex[Int(byte >> 4)])
                encoded.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
