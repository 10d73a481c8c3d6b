import Foundation
import Testing

@testable import APIKeys

@Suite struct APIKeyTests {
    @Test func roundTripsAndHidesTheSecret() throws {
        let key = APIKey.generate(id: UUID())
        let text = key.rendered
        #expect(text.hasPrefix("azk_\(key.prefixID)_"))
        #expect(text.count == 4 + 32 + 1 + 52 + 7)
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        let parsed = try #require(APIKey(parsing: text))
        #expect(parsed == key)
        #expect(!"\(key)".contains(String(text.suffix(59))))
        #expect("\(key)".hasSuffix("[redacted]"))
    }

    @Test func rejectsMalformedAndMistypedKeys() {
        let text = APIKey.generate(id: UUID()).rendered
        #expect(APIKey(parsing: "") == nil)
        #expect(APIKey(parsing: "azk_") == nil)
        #expect(APIKey(parsing: String(text.dropLast())) == nil)
        #expect(APIKey(parsing: text + "a") == nil)
        #expect(APIKey(parsing: text.replacingOccurrences(of: "azk_", with: "azx_")) == nil)
        #expect(APIKey(parsing: text.uppercased()) == nil)
        // One changed character of the secret breaks the checksum.
        var characters = Array(text)
        let index = 40
        characters[index] = characters[index] == "a" ? "b" : "a"
        #expect(APIKey(parsing: String(characters)) == nil)
    }

    /// 100,000 generated keys: all distinct, all of the documented shape
    /// (`azk_<32 hex>_<52 base32 secret><7 base32 checksum>`), all parsing back to themselves.
    @Test func oneHundredThousandKeysAreUniqueAndWellFormed() {
        let keys = (0..<100_000).map { _ in APIKey.generate(id: UUID()) }
        #expect(Set(keys.map(\.secret)).count == keys.count)
        #expect(keys.allSatisfy { $0.secret.count == 32 })
        // Checked as bytes: `azk_` (4), 32 lower-case hex, `_`, 59 base32 (52 secret + 7 checksum).
        func isHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }
        func isBase32(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x32...0x37).contains(byte) }
        var malformed = 0
        var seen = Set<String>()
        for key in keys {
            let text = key.rendered
            let bytes = Array(text.utf8)
            let wellFormed =
                bytes.count == 96 && text.hasPrefix("azk_") && bytes[36] == UInt8(ascii: "_") && bytes[4..<36].allSatisfy(isHex)
                && bytes[37...].allSatisfy(isBase32) && APIKey(parsing: text) == key
            if !wellFormed { malformed += 1 }
            seen.insert(text)
        }
        #expect(seen.count == keys.count)
        #expect(malformed == 0)
    }
}
