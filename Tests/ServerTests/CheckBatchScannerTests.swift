import Authz
import Foundation
import JSON
import Testing

@testable import Server

/// The check-batch scanner against the general parser: whatever body the scanner accepts, the
/// general parser accepts with the same items, revision and form; the shapes clients send are
/// taken by the scanner; every malformed body is left to the general parser, whose refusal
/// names the field.
@Suite struct CheckBatchScannerTests {
    static let policy: Policy = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies").path
        do { return try PolicyDirectory(path: folder).load() } catch { fatalError("the policy folder does not load: \(error)") }
    }()

    /// The general parser's reading of a body, or its refusal.
    static func general(_ body: String) -> Result<CheckBatch, APIError> {
        do {
            return .success(try AuthzController.batch(JSONReader.parse(Array(body.utf8)), policy: Self.policy))
        } catch let error as APIError {
            return .failure(error)
        } catch {
            Issue.record("not an API error: \(error)")
            return .failure(APIError.unauthorized)
        }
    }

    static func scanned(_ body: String) -> CheckBatch? {
        CheckBatchScanner.scan(Array(body.utf8), policy: Self.policy, batchLimit: AuthzController.batchLimit)
    }

    static func agree(_ body: String, scanned expected: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let fast = Self.scanned(body)
        #expect((fast != nil) == expected, "scanner \(fast == nil ? "stepped aside from" : "took") \(body)", sourceLocation: sourceLocation)
        guard let fast else { return }
        switch Self.general(body) {
        case .success(let slow):
            #expect(fast.items == slow.items, sourceLocation: sourceLocation)
            #expect(fast.minimumRevision == slow.minimumRevision, sourceLocation: sourceLocation)
            #expect(fast.echo == slow.echo, sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("the scanner took a body the general parser refuses (\(error.message)): \(body)", sourceLocation: sourceLocation)
        }
    }

    static let job = "0190c0de-89ab-7cde-8f01-23456789abcd"
    static let organization = "0190c0de-0000-7000-8000-000000000001"
    static let principal = "0190c0de-0000-7000-8000-0000000000AA"

    @Test func theShapesClientsSendAreScannedAlike() {
        let bodies = [
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"subject":{"type":"principal","id":"\#(Self.principal)"},"permission":"job.cancel","resource":{"id":"\#(Self.job)","type":"job"},"explain":true,"context":{}}],"consistency":{"min_revision":"42"},"echo":false}"#,
            #"{ "echo" : true , "checks" : [ { "subject" : null , "permission" : "team.read" , "resource" : { "type" : "team" , "id" : "\#(Self.job)" } , "context" : null } ] , "consistency" : null }"#,
            "{\n\t\"checks\": [\r\n{\"permission\": \"document.edit\", \"resource\": {\"type\": \"document\", \"id\": \"doc-7/a:b\", \"organization_id\": \"\(Self.organization)\", \"owner_id\": \"\(Self.principal)\"}}]}",
            #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"x","organization_id":"\#(Self.organization)","team_id":"\#(Self.job)"}},{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job.uppercased())"}}]}"#,
            #"{"consistency":{"min_revision":"0018446744073709551"},"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
        ]
        for body in bodies { Self.agree(body, scanned: true) }
    }

    /// Each of these is either refused or unusual; the scanner leaves them all to the general
    /// parser, which refuses or reads them as it always has.
    @Test func everythingElseIsLeftToTheGeneralParser() {
        let check = #"{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"}}"#
        let bodies = [
            "", "{}", "[]", "null", #"{"checks":[]}"#, #"{"checks":{}}"#, #"{"checks":null}"#, "{\"checks\":[\(check)]} x",
            "{\"checks\":[\(check)],}", "{\"checks\":[\(check),]}", "{\"checks\":[\(check)]", "{\"checks\":[\(check)],\"checks\":[\(check)]}",
            "{\"checks\":[\(check)],\"extra\":1}", "{\"checks\":[\(check)],\"echo\":\"no\"}", "{\"checks\":[\(check)],\"echo\":null}",
            "{\"checks\":[\(check)],\"consistency\":{\"min_revision\":42}}", "{\"checks\":[\(check)],\"consistency\":{\"min_revision\":\"-1\"}}",
            "{\"checks\":[\(check)],\"consistency\":{\"min_revision\":\"18446744073709551616\"}}",
            "{\"checks\":[\(check)],\"consistency\":{}}",
            #"{"checks":[{"permission":"job.read","permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"job.nope","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"team.member.manage","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"robot","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"not-a-uuid"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)","organization_id":"\#(Self.organization)"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job"}}]}"#,
            #"{"checks":[{"permission":"job.read"}]}"#,
            #"{"checks":[{"resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"job\u002eread","resource":{"type":"job","id":"\#(Self.job)"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"},"context":{"ip":"10.0.0.1"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"},"explain":null}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"},"explain":1}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"},"subject":{"id":"\#(Self.principal)"}}]}"#,
            #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"},"subject":{"type":"user","id":"\#(Self.principal)"}}]}"#,
            #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"x"}}]}"#,
            #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"","organization_id":"\#(Self.organization)"}}]}"#,
            #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"a b","organization_id":"\#(Self.organization)"}}]}"#,
            "{\"checks\":[{\"permission\":\"document.read\",\"resource\":{\"type\":\"document\",\"id\":\"\(String(repeating: "x", count: 257))\",\"organization_id\":\"\(Self.organization)\"}}]}",
            "{\"checks\":[{\"permission\":\"document.read\",\"resource\":{\"type\":\"document\",\"id\":\"caf\u{e9}\",\"organization_id\":\"\(Self.organization)\"}}]}",
            "{\"checks\":[" + Array(repeating: check, count: AuthzController.batchLimit + 1).joined(separator: ",") + "]}",
        ]
        for body in bodies { Self.agree(body, scanned: false) }
    }

    /// The scanner reads strings eight bytes at a time: a quote, an escape, a control
    /// character, a space or a byte beyond ASCII, at any position of a long id, is still seen
    /// (a visible id is scanned, anything else left to the general parser).
    @Test func everyByteOfALongIdIsLookedAt() {
        let spoilers: [(text: String, scanned: Bool)] = [
            ("~", true), ("!", true), (" ", false), ("\\\"", false), ("\\u0041", false), ("\u{7F}", false), ("\u{e9}", false),
            ("\u{1}", false), ("\t", false),
        ]
        for (spoiler, scanned) in spoilers {
            for position in 0..<40 {
                let id = String(repeating: "a", count: position) + spoiler + String(repeating: "b", count: 40 - position)
                let body =
                    #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"\#(id)","organization_id":"\#(Self.organization)"}}]}"#
                Self.agree(body, scanned: scanned)
            }
        }
    }

    /// Random batches of every kind of item the policy has, in random spacing and key order:
    /// all scanned, all equal to the general parser's reading.
    @Test func randomBatchesAgree() {
        var generator = SystemRandomNumberGenerator()
        let types = Self.policy.types
        for _ in 0..<200 {
            var checks: [String] = []
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                let type = types.randomElement(using: &generator)!
                let permission = Self.policy.names(of: type.permissions).randomElement(using: &generator)!
                var resource = [#""type":"\#(type.name)""#]
                if type.isExternal {
                    resource.append(#""id":"ext-\#(Int.random(in: 0...999, using: &generator))""#)
                    resource.append(#""organization_id":"\#(UUID().uuidString)""#)
                    if Bool.random(using: &generator) { resource.append(#""team_id":"\#(UUID().uuidString.lowercased())""#) }
                    if Bool.random(using: &generator) { resource.append(#""owner_id":"\#(UUID().uuidString)""#) }
                } else {
                    resource.append(#""id":"\#(UUID().uuidString.lowercased())""#)
                }
                var members = [#""permission":"\#(permission)""#, #""resource":{\#(resource.shuffled(using: &generator).joined(separator: ","))}"#]
                if Bool.random(using: &generator) { members.append(#""subject":{"type":"principal","id":"\#(UUID().uuidString)"}"#) }
                if Bool.random(using: &generator) { members.append(#""explain":\#(Bool.random(using: &generator))"#) }
                if Bool.random(using: &generator) { members.append(#""context":{}"#) }
                let space = [" ", "", "\n", "\t "].randomElement(using: &generator)!
                checks.append("{" + members.shuffled(using: &generator).joined(separator: "," + space) + "}")
            }
            var top = [#""checks":[\#(checks.joined(separator: ", "))]"#]
            if Bool.random(using: &generator) { top.append(#""consistency":{"min_revision":"\#(Int.random(in: 0...9999, using: &generator))"}"#) }
            if Bool.random(using: &generator) { top.append(#""echo":\#(Bool.random(using: &generator))"#) }
            Self.agree("{" + top.shuffled(using: &generator).joined(separator: ",") + "}", scanned: true)
        }
    }

    /// A refused item is named by its position and field, whichever path read the rest.
    @Test func aRefusedItemIsNamedByItsPath() {
        let good = #"{"permission":"job.read","resource":{"type":"job","id":"\#(Self.job)"}}"#
        let body = #"{"checks":[\#(good),\#(good),{"permission":"job.read","resource":{"type":"job","id":"nope"}}]}"#
        #expect(Self.scanned(body) == nil)
        guard case .failure(let error) = Self.general(body) else {
            Issue.record("accepted")
            return
        }
        #expect(error.details.map(\.field) == ["checks[2].resource.id"])
    }
}
