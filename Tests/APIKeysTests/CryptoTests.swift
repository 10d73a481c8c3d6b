import Testing

@testable import APIKeys

@Suite struct CryptoTests {
    /// Small parameters keep the suite fast; `owaspParameters` covers the real ones once.
    static let fast = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)

    @Test func argon2idHashesAndVerifies() {
        let secret = Array("correct horse".utf8)
        let hash = Self.fast.hash(secret)
        #expect(hash.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(PasswordHasher.verify(secret, against: hash))
        #expect(!PasswordHasher.verify(Array("correct horsE".utf8), against: hash))
        #expect(!PasswordHasher.verify(secret, against: "$argon2id$garbage"))
        #expect(Self.fast.hash(secret) != hash, "each hash has its own salt")
    }

    @Test func owaspParameters() {
        let hash = PasswordHasher.owasp.hash(Array("s3cret".utf8))
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(PasswordHasher.verify(Array("s3cret".utf8), against: hash))
    }

    @Test func keyedHashDependsOnKeyAndMessage() {
        let first = KeyedHash(key: SecureRandom.bytes(32))
        let second = KeyedHash(key: SecureRandom.bytes(32))
        let message = Array("azk_example".utf8)
        #expect(first.digest(message) == first.digest(message))
        #expect(first.digest(message).count == 32)
        #expect(first.digest(message) != second.digest(message))
        #expect(first.digest(message) != first.digest(Array("azk_exampld".utf8)))
    }

    @Test func constantTimeEquality() {
        let a = SecureRandom.bytes(32)
        var b = a
        #expect(ConstantTime.equals(a, b))
        b[31] ^= 1
        #expect(!ConstantTime.equals(a, b))
        #expect(!ConstantTime.equals(a, Array(a.prefix(31))))
    }
}
