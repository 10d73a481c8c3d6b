import Foundation
internal import Synchronization

/// Request and trace ids as UUIDv7 (API.md §1 recommends time-ordered ids): 48 bits of Unix
/// milliseconds, then a per-process random prefix and a counter, so ids are unique within a
/// process without asking the kernel for randomness twice per request, and unique across
/// processes by the prefix. They name requests; they are not secrets.
enum RequestIDGenerator {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix: UInt64 = UInt64.random(in: .min ... .max)

    static func next(at now: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let count = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        // 74 bits after the version and variant: 30 of prefix, 44 of counter.
        let high = (UInt64(0x7) << 12) | ((Self.prefix >> 52) & 0xFFF)  // version 7, 12 bits of prefix
        let low = (UInt64(0b10) << 62) | (((Self.prefix >> 34) & 0x3FFFF) << 44) | (count & 0xFFF_FFFF_FFFF)
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: milliseconds >> 40), UInt8(truncatingIfNeeded: milliseconds >> 32),
                UInt8(truncatingIfNeeded: milliseconds >> 24), UInt8(truncatingIfNeeded: milliseconds >> 16),
                UInt8(truncatingIfNeeded: milliseconds >> 8), UInt8(truncatingIfNeeded: milliseconds),
                UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high),
                UInt8(truncatingIfNeeded: low >> 56), UInt8(truncatingIfNeeded: low >> 48), UInt8(truncatingIfNeeded: low >> 40),
                UInt8(truncatingIfNeeded: low >> 32), UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16),
                UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low)
            )
        )
    }
}
