internal import CArgon2

/// argon2id through libargon2, producing and verifying PHC strings (`$argon2id$v=19$...`).
/// The defaults are OWASP's minimum (19 MiB, two passes, one lane); an argon2id hash is the
/// only form in which API key secrets and share passwords are stored.
public struct PasswordHasher: Sendable {
    public let memoryKiB: UInt32
    public let iterations: UInt32
    public let parallelism: UInt32

    public static let owasp = PasswordHasher(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    static let saltLength = 16
    static let hashLength = 32

    public func hash(_ secret: some Collection<UInt8>) -> String {
        let salt = SecureRandom.bytes(Self.saltLength)
        let password = Array(secret)
        let encodedLength = argon2_encodedlen(
            self.iterations,
            self.memoryKiB,
            self.parallelism,
            UInt32(Self.saltLength),
            UInt32(Self.hashLength),
            Argon2_id
        )
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let status = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                argon2id_hash_encoded(
                    self.iterations,
                    self.memoryKiB,
                    self.parallelism,
                    passwordBytes.baseAddress,
                    passwordBytes.count,
                    saltBytes.baseAddress,
                    saltBytes.count,
                    Self.hashLength,
                    &encoded,
                    encodedLength
                )
            }
        }
        precondition(status == ARGON2_OK.rawValue, "argon2id failed: \(String(cString: argon2_error_message(status)))")
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `secret` matches the PHC string; libargon2 compares the digests in constant
    /// time. A malformed stored hash verifies nothing.
    public static func verify(_ secret: some Collection<UInt8>, against encoded: String) -> Bool {
        let password = Array(secret)
        return password.withUnsafeBytes { passwordBytes in
            encoded.withCString { encodedPointer in
                argon2id_verify(encodedPointer, passwordBytes.baseAddress, passwordBytes.count) == ARGON2_OK.rawValue
            }
        }
    }
}
