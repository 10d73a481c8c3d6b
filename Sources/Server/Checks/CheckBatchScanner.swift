internal import Authz
import Foundation
import JSON

/// Reads a check-batch body straight from its bytes into check items, with no JSON tree in
/// between: the shape nearly every batch has, at a fraction of the general parser's cost
/// (a batch of 1,000 was mostly parsing).
///
/// It takes on only what it can decide alone: printable ASCII strings without escapes, each
/// known field at most once, names the policy knows, ids that are ids. On anything else — an
/// escape, a number, a field given twice or unknown, a wrong type, a `context` with members,
/// a name or id that does not resolve — it steps aside (`nil`) and the general parser reads
/// the body instead, finding and naming every problem. So whatever it accepts, the general
/// path accepts with the same items (`CheckBatchScannerTests` holds the two together), and
/// every refusal still comes from one place.
struct CheckBatchScanner {
    private let bytes: UnsafeRawBufferPointer
    private let policy: Policy
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, policy: Policy) {
        self.bytes = bytes
        self.policy = policy
    }

    static func scan(_ body: [UInt8], policy: Policy, batchLimit: Int) -> CheckBatch? {
        body.withUnsafeBytes { bytes in
            var scanner = CheckBatchScanner(bytes: bytes, policy: policy)
            guard let batch = scanner.batch(limit: batchLimit) else { return nil }
            scanner.skipWhitespace()
            return scanner.index == bytes.count ? batch : nil
        }
    }

    // MARK: The body

    private mutating func batch(limit: Int) -> CheckBatch? {
        var items: [CheckItem]?
        var minimum: UInt64?
        var echo: Bool?
        var sawConsistency = false
        let complete = self.members { scanner, key in
            switch key {
            case .checks where items == nil:
                items = scanner.checks(limit: limit)
                return items != nil
            case .consistency where !sawConsistency:
                sawConsistency = true
                if scanner.null() { return true }
                guard let revision = scanner.consistency() else { return false }
                minimum = revision
                return true
            case .echo where echo == nil:
                echo = scanner.bool()
                return echo != nil
            default:
                return false
            }
        }
        guard complete, let items else { return nil }
        return CheckBatch(items: items, minimumRevision: minimum, echo: echo ?? true)
    }

    private mutating func checks(limit: Int) -> [CheckItem]? {
        guard self.take(UInt8(ascii: "[")) else { return nil }
        var items: [CheckItem] = []
        items.reserveCapacity(min(limit, self.bytes.count / 64))
        if self.take(UInt8(ascii: "]")) { return nil }
        var names = Names()
        repeat {
            guard items.count < limit, let item = self.check(&names) else { return nil }
            items.append(item)
        } while self.take(UInt8(ascii: ","))
        return self.take(UInt8(ascii: "]")) ? items : nil
    }

    /// `{"min_revision": "1042"}`.
    private mutating func consistency() -> UInt64? {
        var revision: UInt64?
        let complete = self.members { scanner, key in
            guard key == .minRevision, revision == nil, let digits = scanner.string() else { return false }
            revision = Self.revision(digits)
            return revision != nil
        }
        return complete ? revision : nil
    }

    // MARK: One check

    private mutating func check(_ names: inout Names) -> CheckItem? {
        var subject: UUID??
        var permission: PermissionID?
        var resource: ResourceReference?
        var sawContext = false
        var explain: Bool?
        let complete = self.members { scanner, key in
            switch key {
            case .subject where subject == nil:
                if scanner.null() {
                    subject = .some(nil)
                    return true
                }
                guard let id = scanner.subject() else { return false }
                subject = id
                return true
            case .permission where permission == nil:
                permission = scanner.name(&names.permissions) { $0.permission(named: $1) }
                return permission != nil
            case .resource where resource == nil:
                resource = scanner.resource(&names)
                return resource != nil
            case .context where !sawContext:
                sawContext = true
                return scanner.null() || scanner.emptyObject()
            case .explain where explain == nil:
                explain = scanner.bool()
                return explain != nil
            default:
                return false
            }
        }
        guard complete, let permission, let resource, self.policy.permission(permission, appliesTo: resource.type) else { return nil }
        return CheckItem(
            subject: subject ?? nil,
            permission: permission,
            resource: resource,
            explain: explain ?? false
        )
    }

    /// `{"type": "principal", "id": "…"}`.
    private mutating func subject() -> UUID? {
        var principal = false
        var id: UUID?
        let complete = self.members { scanner, key in
            switch key {
            case .type where !principal:
                guard let type = scanner.string() else { return false }
                principal = type.spells("principal")
                return principal
            case .id where id == nil:
                id = scanner.uuid()
                return id != nil
            default:
                return false
            }
        }
        return complete && principal ? id : nil
    }

    /// A stored resource `{type, id}`, or an external one `{type, id, organization_id,
    /// team_id?, owner_id?}` whose id is the caller's own (1 to 256 visible characters).
    private mutating func resource(_ names: inout Names) -> ResourceReference? {
        var type: ResourceTypeID?
        var id: (text: UnsafeRawBufferPointer, uuid: UUID?)?
        var organization: UUID?
        var team: UUID?
        var owner: UUID?
        let complete = self.members { scanner, key in
            switch key {
            case .type where type == nil:
                type = scanner.name(&names.types) { $0.resourceTypeID(named: $1) }
                return type != nil
            case .id where id == nil:
                id = scanner.idString()
                return id != nil
            case .organizationID where organization == nil:
                organization = scanner.uuid()
                return organization != nil
            case .teamID where team == nil:
                team = scanner.uuid()
                return team != nil
            case .ownerID where owner == nil:
                owner = scanner.uuid()
                return owner != nil
            default:
                return false
            }
        }
        guard complete, let type, let id else { return nil }
        if self.policy.isExternal(type) {
            // Visible characters only: the strings this scanner reads may hold spaces.
            guard let organization, CheckItem.externalIDLength.contains(id.text.count), !id.text.contains(0x20) else { return nil }
            return .external(type: type, id: Self.text(id.text), organization: organization, team: team, owner: owner)
        }
        guard organization == nil, team == nil, owner == nil, let stored = id.uuid else { return nil }
        return .stored(type: type, id: stored)
    }

    // MARK: Values

    /// Calls `member` with each key of an object, positioned at its value; `member` reads the
    /// value and says whether it took it. False for anything but a well-formed object whose
    /// every member was taken.
    private mutating func members(_ member: (inout CheckBatchScanner, StaticKey) -> Bool) -> Bool {
        guard self.take(UInt8(ascii: "{")) else { return false }
        if self.take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = self.key(), self.take(UInt8(ascii: ":")) else { return false }
            self.skipWhitespace()
            guard member(&self, key) else { return false }
        } while self.take(UInt8(ascii: ","))
        return self.take(UInt8(ascii: "}"))
    }

    /// A member's name, recognised from its bytes where it stands (first byte, then the whole
    /// name and its closing quote), without scanning it as a string first. Any other name,
    /// or one spelled with an escape, is nil.
    private mutating func key() -> StaticKey? {
        guard self.take(UInt8(ascii: "\"")), self.index < self.bytes.count else { return nil }
        guard let key = StaticKey.at(self.bytes, self.index) else { return nil }
        self.index += key.name.utf8CodeUnitCount + 1
        return key
    }

    /// A string's bytes, between its quotes: printable ASCII, no escapes.
    private mutating func string() -> UnsafeRawBufferPointer? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        return self.restOfString()
    }

    /// `string()` once its opening quote is taken.
    private mutating func restOfString() -> UnsafeRawBufferPointer? {
        let start = self.index
        // Eight bytes at a time while none of them can end the string or spoil it; the byte
        // loop below then finds which one does.
        while self.index + 8 <= self.bytes.count,
            !Self.mayEndString(self.bytes.loadUnaligned(fromByteOffset: self.index, as: UInt64.self))
        {
            self.index += 8
        }
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index])
            }
            guard byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: "\\") else { return nil }
            self.index += 1
        }
        return nil
    }

    /// Whether any of eight bytes is a quote, a backslash, a control character or not ASCII
    /// (the bit tricks of "Bit Twiddling Hacks": a byte below n, a zero byte).
    private static func mayEndString(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = zeroByte(word ^ (ones &* 0x22))
        let backslash = zeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        // 0x7F and above: the byte or the byte plus one has its high bit set (a carry out of
        // 0xFF only reaches a word already flagged).
        let beyond = ((word &+ ones) | word) & highs
        return quote | backslash | control | beyond != 0
    }

    private mutating func uuid() -> UUID? {
        self.idString()?.uuid
    }

    /// A string that may be an id, and the id if it is one. Ids, most of a batch's bytes, are
    /// read where they stand (a valid id holds no quote or escape, so a quote after its 36
    /// characters ends the string), without scanning them as a string first.
    private mutating func idString() -> (text: UnsafeRawBufferPointer, uuid: UUID?)? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        let end = self.index + 36
        if end < self.bytes.count, self.bytes[end] == UInt8(ascii: "\"") {
            let text = UnsafeRawBufferPointer(rebasing: self.bytes[self.index..<end])
            if let id = UUID(utf8: text) {
                self.index = end + 1
                return (text, id)
            }
        }
        // Anything else is no id: a 36-character string was just tried as one.
        return self.restOfString().map { ($0, nil) }
    }

    private mutating func bool() -> Bool? {
        self.skipWhitespace()
        if self.literal("true") { return true }
        if self.literal("false") { return false }
        return nil
    }

    private mutating func null() -> Bool {
        self.skipWhitespace()
        return self.literal("null")
    }

    private mutating func emptyObject() -> Bool {
        self.take(UInt8(ascii: "{")) && self.take(UInt8(ascii: "}"))
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count,
            memcmp(self.bytes.baseAddress! + self.index, word.utf8Start, count) == 0
        else { return false }
        self.index += count
        return true
    }

    /// Skips whitespace, then takes `byte` if it is next.
    private mutating func take(_ byte: UInt8) -> Bool {
        self.skipWhitespace()
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x0A, 0x0D, 0x09: self.index += 1
            default: return
            }
        }
    }

    // MARK: Names

    /// The permission and type names a body has spelled so far.
    private struct Names {
        var permissions = ScannedNames<PermissionID>()
        var types = ScannedNames<ResourceTypeID>()
    }

    /// A name, as a string: one the body already spelled is recognised where it stands,
    /// without scanning it as a string; another is read, resolved and remembered.
    private mutating func name<ID>(_ names: inout ScannedNames<ID>, resolve: (Policy, String) -> ID?) -> ID? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        if let (id, length) = names.known(in: self.bytes, at: self.index) {
            self.index += length + 1
            return id
        }
        guard let name = self.restOfString() else { return nil }
        return names.resolve(name) { resolve(self.policy, $0) }
    }

    // MARK: Helpers

    private static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// 1 to 19 digits: what `UInt64` holds whatever the digits.
    private static func revision(_ digits: UnsafeRawBufferPointer) -> UInt64? {
        guard (1...19).contains(digits.count) else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The member names a batch body may use; any other makes the scanner step aside.
    enum StaticKey: Equatable {
        case checks, consistency, echo, minRevision
        case subject, permission, resource, context, explain
        case type, id, organizationID, teamID, ownerID

        /// The key whose name, followed by its closing quote, starts at `index`.
        static func at(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> StaticKey? {
            func named(_ word: StaticString) -> Bool {
                let count = word.utf8CodeUnitCount
                return index + count < bytes.count && bytes[index + count] == UInt8(ascii: "\"")
                    && memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0
            }
            // The keys that start with the first byte, each tried by its whole name.
            func key(_ key: StaticKey) -> StaticKey? { named(key.name) ? key : nil }
            return switch bytes[index] {
            case UInt8(ascii: "p"): key(.permission)
            case UInt8(ascii: "r"): key(.resource)
            case UInt8(ascii: "t"): key(.type) ?? key(.teamID)
            case UInt8(ascii: "i"): key(.id)
            case UInt8(ascii: "s"): key(.subject)
            case UInt8(ascii: "c"): key(.checks) ?? key(.context) ?? key(.consistency)
            case UInt8(ascii: "e"): key(.echo) ?? key(.explain)
            case UInt8(ascii: "o"): key(.organizationID) ?? key(.ownerID)
            case UInt8(ascii: "m"): key(.minRevision)
            default: nil
            }
        }

        var name: StaticString {
            switch self {
            case .checks: "checks"
            case .consistency: "consistency"
            case .echo: "echo"
            case .minRevision: "min_revision"
            case .subject: "subject"
            case .permission: "permission"
            case .resource: "resource"
            case .context: "context"
            case .explain: "explain"
            case .type: "type"
            case .id: "id"
            case .organizationID: "organization_id"
            case .teamID: "team_id"
            case .ownerID: "owner_id"
            }
        }
    }
}
