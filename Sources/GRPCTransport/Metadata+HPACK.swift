import Foundation
internal import GRPCCore
internal import NIOHPACK

extension Metadata {
    /// A call's metadata from its request headers: every header but HTTP/2's pseudo-headers
    /// and those that describe the transport itself; `-bin` values decoded from base64.
    init(requestHeaders headers: HPACKHeaders) {
        var metadata = Metadata()
        metadata.reserveCapacity(headers.count)
        for (name, value, _) in headers {
            if name.utf8.first == UInt8(ascii: ":") || name == "content-type" || name == "te" || name == "grpc-encoding"
                || name == "grpc-accept-encoding"
            {
                continue
            }
            if name.hasSuffix("-bin"), let bytes = Data(base64Encoded: Self.padded(value)) {
                metadata.addBinary(Array(bytes), forKey: name)
            } else {
                metadata.addString(value, forKey: name)
            }
        }
        self = metadata
    }

    /// gRPC allows binary values without base64's padding; Foundation wants it.
    private static func padded(_ value: String) -> String {
        let remainder = value.utf8.count % 4
        return remainder == 0 ? value : value + String(repeating: "=", count: 4 - remainder)
    }

    /// Adds the metadata to headers being written: names lowercased, binary values in base64.
    func add(to headers: inout HPACKHeaders) {
        for (key, value) in self {
            switch value {
            case .string(let text):
                headers.add(name: key.lowercased(), value: text)
            case .binary(let bytes):
                headers.add(name: key.lowercased(), value: Data(bytes).base64EncodedString())
            }
        }
    }
}
