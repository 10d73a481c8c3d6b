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

    @Test func secretsAreRandomAndFull() {
        let keys = (0..<1000).map { _ in APIKey.generate(id: UUID()) }
        #expect(Set(keys.map(\.secret)).count == 1000)
        #expect(keys.allSatisfy { $0.secret.count == 32 })
    }
}
