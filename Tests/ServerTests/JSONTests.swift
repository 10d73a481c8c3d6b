import Foundation
import JSON
import Testing
import Workloads

@testable import Server

/// The hand-written JSON reader and writer of the hot path: strict where JSON is strict,
/// bounded in depth, and byte for byte what `JSONEncoder` writes.
@Suite struct JSONTests {
    /// Every RFC 3339 date-time the document's `date-time` admits, and nothing else.
    @Test func timestampsAreRFC3339() throws {
        #expect(Timestamp.parse("2026-03-19T12:00:00Z")?.timeIntervalSince1970 == 1_773_921_600)
        #expect(Timestamp.parse("2026-03-19t12:00:00.250z")?.timeIntervalSince1970 == 1_773_921_600.25)
        #expect(Timestamp.parse("2026-03-19T14:30:00+02:30")?.timeIntervalSince1970 == 1_773_921_600)
        #expect(Timestamp.parse("0338-11-04T04:43:52.8752-06:51") != nil)
        #expect(Timestamp.parse("0000-01-01T00:00:00Z")?.timeIntervalSince1970 == -62_167_219_200)
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil && Timestamp.parse("2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp.parse("2016-12-31T23:59:60Z") != nil)
        for bad in [
            "2026-03-19", "2026-03-19T12:00Z", "2026-13-01T00:00:00Z", "2026-03-19T24:00:00Z", "2026-03-19T12:00:00", "2026-03-19T12:00:00.Z",
            "2026-03-19T12:00:00+0200", "2026-03-19T12:00:00Z ", "٢٠٢٦-03-19T12:00:00Z",
        ] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
        // What the service writes, it reads back.
        let now = Date()
        #expect(abs(try #require(Timestamp.parse(Timestamp.format(now))).timeIntervalSince(now)) < 0.001)
    }

    @Test func parsesWhatJSONAllows() throws {
        let text = #" {"a": [1, -2.5e3, 0, true, false, null], "b": "q\"\\\/\n\t\u00e9\ud83d\ude00", "c": {}, "d": [], "é": "ü"} "#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-2500), .number(0), .bool(true), .bool(false), .null]),
                    "b": .string("q\"\\/\n\té😀"), "c": .object([:]), "d": .array([]), "é": .string("ü"),
                ])
        )
        #expect(try JSONParser.parse(Array("\"plain\"".utf8)) == .string("plain"))
        #expect(try JSONParser.parse(Array("12".utf8)) == .number(12))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"open",
        "\"bad \\x escape\"", "\"\\ud83d alone\"", "\"tab\tinside\"", "[1] [2]", "{\"a\":1}}", "NaN", "1e999", "'single'",
    ])
    func rejectsWhatJSONDoesNot(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    /// A key given twice is refused, named by its path, rather than the last one winning.
    @Test(arguments: [
        (#"{"role":"owner","role":"viewer"}"#, "role"),
        (#"{"a":{"b":1,"b":2}}"#, "a.b"),
        (#"{"checks":[{"x":1},{"p":1,"p":1}]}"#, "checks[1].p"),
        (#"[[{"k":1,"k":2}]]"#, "[0][0].k"),
    ])
    func duplicateKeysAreNamed(_ text: String, _ path: String) throws {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.duplicateKey == path)
        }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func boundsTheDepth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser.parse(Array(fine.utf8))
    }

    @Test func checkResultsWriteWhatTheEncoderWrites() throws {
        let reference = CheckResult.Reference(type: "team", id: UUID(uuidString: "0190c0de-0000-7000-8000-000000000001")!)
        let results = [
            CheckResult(
                allowed: true,
                permission: "team.update",
                resource: reference,
                subject: .init(type: "principal\"\u{1}", id: UUID(uuidString: "0190C0DE-0000-7000-8000-00000000ABCD")!),
                reason: .init(role: "maintainer", on: reference, viaTeam: "t/1"),
                grantableBy: nil,
                revision: "42",
                trace: ["step 1", "step é"]
            ),
            CheckResult(
                allowed: false,
                permission: "job.cancel",
                resource: reference,
                subject: reference,
                reason: nil,
                grantableBy: [.init(role: "admin", on: reference), .init(role: "maintainer", on: reference)],
                revision: "7",
                trace: nil
            ),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for result in results {
            var output = JSONOutput()
            result.write(to: &output)
            #expect(String(decoding: output.bytes, as: UTF8.self) == String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}

@Suite struct RequestIDTests {
    /// UUIDv7: version 7, RFC 4122 variant, the current time in the first 48 bits, and unique.
    @Test func requestIDsAreUniqueTimeOrderedVersion7() {
        let now = Date()
        let ids = (0..<10_000).map { _ in RequestIDGenerator.next(at: now) }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let bytes = id.uuid
            #expect(bytes.6 >> 4 == 7 && bytes.8 >> 6 == 0b10)
            let milliseconds = [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(milliseconds == UInt64(now.timeIntervalSince1970 * 1000))
        }
        #expect(RequestIDGenerator.next(at: now.addingTimeInterval(1)).uuidString > ids[0].uuidString)
    }
}

@Suite struct TimestampTests {
    /// The arithmetic formatter writes what Foundation's ISO 8601 style writes.
    @Test func formatsLikeFoundation() {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Double] = [0, 0.999, 951_782_400, 951_868_799.5, 1_709_164_800.123, 4_102_444_800, 1_800_000_000.001]
        let random = (0..<2_000).map { _ in Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000 }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "\(seconds)")
        }
    }
}

@Suite struct UUIDTextTests {
    @Test func writesAndReadsLikeFoundation() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.text == id.uuidString.lowercased())
            #expect(UUID(text: id.uuidString) == id && UUID(text: id.text) == id)
        }
        for bad in [
            "", "0190c0de-89ab-7cde-8f01-23456789abc", "0190c0de-89ab-7cde-8f01-23456789abcde", "0190c0de+89ab-7cde-8f01-23456789abcd",
            "0190c0de-89ab-7cde-8f01-23456789abcg", "{0190c0de-89ab-7cde-8f01-23456789abcd}", "0190c0de89ab7cde8f0123456789abcd",
        ] {
            #expect(UUID(text: bad) == nil, "\(bad)")
        }
        // Each position is read: any byte other than what belongs there is refused, and any
        // hex digit in either case is read as Foundation reads it.
        let good = Array("0190c0de-89ab-7cde-8f01-23456789ABCD".utf8)
        for position in good.indices {
            for wrong in UInt8.min...UInt8.max where wrong != good[position] {
                var text = good
                text[position] = wrong
                let dash = [8, 13, 18, 23].contains(position)
                let hex =
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(wrong) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(wrong)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(wrong)
                let read = text.withUnsafeBytes { UUID(utf8: $0) }
                #expect((read != nil) == (!dash && hex), "byte \(wrong) at \(position)")
                if let read {
                    #expect(read == UUID(uuidString: String(decoding: text, as: UTF8.self)), "byte \(wrong) at \(position)")
                }
            }
        }
    }
}
