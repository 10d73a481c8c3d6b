import Foundation
internal import Identity
internal import Synchronization

/// Request and trace ids as UUIDv7 (docs/API.md §1 recommends time-ordered ids): 48 bits of Unix
/// milliseconds, then a per-process random prefix and a counter, so ids are unique within a
/// process without asking the kernel for randomness twice per request, and unique across
/// processes by the prefix. They name requests; they are not secrets.
enum RequestIDGenerator {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix: UInt64 = UInt64.random(in: .min ... .max)

    static func next(at now: Date = Date()) -> UUID {
        let count = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        // 74 bits after the version and variant: 30 of prefix, 44 of counter.
        return UUID(
            version7At: now,
            random12: Self.prefix >> 52,
            random62: (((Self.prefix >> 34) & 0x3FFFF) << 44) | (count & 0xFFF_FFFF_FFFF)
        )
    }
}
