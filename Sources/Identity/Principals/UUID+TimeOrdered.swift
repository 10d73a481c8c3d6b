public import Foundation
internal import Synchronization

extension UUID {
    /// The last (millisecond, counter) handed out, so ids of one process never go backwards.
    private static let lastTimeOrdered = Mutex<(milliseconds: UInt64, counter: UInt64)>((0, 0))

    /// A UUIDv7: 48 bits of Unix milliseconds, a 12-bit counter within the millisecond (RFC
    /// 9562 §6.2, method 1), then 62 random bits. Every id the service makes takes these
    /// (identities, teams, invitations, keys, resources, records), and lists are ordered by id,
    /// so id order is creation order even for ids made in the same millisecond (or under a test
    /// clock that stands still), and an id is still unguessable.
    public static func timeOrdered(at now: Date = Date()) -> UUID {
        let wall = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (milliseconds, counter) = Self.lastTimeOrdered.withLock { last in
            if wall > last.milliseconds {
                last = (wall, 0)
            } else if last.counter < 0xFFF {
                last.counter += 1
            } else {
                // 4,096 ids in one millisecond: borrow the next one, as the RFC allows.
                last = (last.milliseconds + 1, 0)
            }
            return last
        }
        var random = SystemRandomNumberGenerator()
        return UUID(version7Milliseconds: milliseconds, random12: counter, random62: random.next())
    }

    /// The UUIDv7 layout: the time, the version, 12 bits of `random12`, the variant, 62 bits
    /// of `random62`. Whoever fills the 74 bits decides how unique (and how guessable) ids are.
    public init(version7At now: Date, random12: UInt64, random62: UInt64) {
        self.init(version7Milliseconds: UInt64(max(0, now.timeIntervalSince1970 * 1000)), random12: random12, random62: random62)
    }

    init(version7Milliseconds milliseconds: UInt64, random12: UInt64, random62: UInt64) {
        let high = (UInt64(0x7) << 12) | (random12 & 0xFFF)
        let low = (UInt64(0b10) << 62) | (random62 & 0x3FFF_FFFF_FFFF_FFFF)
        self.init(
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
