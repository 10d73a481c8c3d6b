import APIKeys
import Authz
import AuthzProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import HTTPTypes
import HummingbirdTesting
import Identity
import Testing

@testable import Server

/// gRPC's LookupResources, LookupSubjects and Watch: the same answers as the HTTP lookups and
/// the same events as the HTTP event streams, under the same limits.
@Suite struct GRPCLookupWatchTests {
    /// Every page of a lookup, in one form for both APIs: `revision: ids` per page, or the
    /// refusal's code.
    static func httpPages(_ client: any TestClientProtocol, _ path: String, key: String, body: String) async throws -> [String] {
        var pages: [String] = []
        var (status, answer) = try await client.post(path, bearer: key, json: body)
        while true {
            guard status == .ok else {
                return pages + [["403": "permissionDenied", "404": "notFound", "410": "notFound"][String(status.code)] ?? "\(status.code)"]
            }
            let items = (data(answer)["items"] as? [[String: String]] ?? []).map { "\($0["type"] ?? "") \($0["id"] ?? "")" }
            pages.append("\(data(answer)["revision"] as? String ?? ""): \(items.joined(separator: ","))")
            guard let next = (answer["links"] as? [String: String])?["next"] else { return pages }
            (status, answer) = try await client.post(next, bearer: key, json: body)
        }
    }

    static func grpcPages(_ ask: (String) async throws -> ([Authz_V1_ObjectReference], UInt64, String)) async throws -> [String] {
        var pages: [String] = []
        var cursor = ""
        repeat {
            do {
                let (items, revision, next) = try await ask(cursor)
                pages.append("\(revision): \(items.map { "\($0.type) \($0.id)" }.joined(separator: ","))")
                cursor = next
            } catch let error as RPCError {
                return pages + ["\(error.code)"]
            }
        } while !cursor.isEmpty
        return pages
    }

    /// For every caller kind, about itself and about another member, in both tenants: the
    /// pages (items, revision, where they break) and the refusals are HTTP's.
    @Test func lookupsAnswerAsHTTPDoes() async throws {
        let port = try EndToEndTests.freePort()
        try await AuthenticatedApplication.withApplication(live: true, grpcPort: port) { client, app in
            let w = try await CheckWorld(app)
            let (acme, red, member) = (w.acme, w.red, w.member)
            for _ in 0..<4 {
                _ = try await app.service.store.write { _ in
                    ((), [ChangeLogEntry.resourceCreated(organization: acme, type: "job", id: UUID(), team: red, creator: member)])
                }
            }
            try await app.service.follower.catchUp()
            try await withAuthzClient(port: port) { authz, _ in
                var compared = 0
                for key in ["owner", "member", "maintainer", "scoped", "stranger"] {
                    for subject in [nil, w.maintainer] as [UUID?] {
                        for permission in ["job.read", "job.cancel"] {
                            for organization in [w.acme, w.globex] {
                                let subjectJSON = subject.map { #""subject":{"type":"principal","id":"\#($0.uuidString)"},"# } ?? ""
                                let body =
                                    #"{\#(subjectJSON)"permission":"\#(permission)","resource_type":"job","organization_id":"\#(organization.uuidString)","limit":2}"#
                                let http = try await Self.httpPages(client, "/v1/authz/lookup-resources", key: w.keys[key]!, body: body)
                                let grpc = try await Self.grpcPages { cursor in
                                    var request = Authz_V1_LookupResourcesRequest()
                                    if let subject { request.subject.id = subject.uuidString }
                                    request.permission = permission
                                    request.resourceType = "job"
                                    request.organizationID = organization.uuidString
                                    request.limit = 2
                                    request.cursor = cursor
                                    let response = try await authz.lookupResources(request, metadata: bearer(w.keys[key]!))
                                    return (response.items, response.revision, response.cursor)
                                }
                                #expect(grpc == http, "\(key) \(subject?.uuidString ?? "itself") \(permission) in \(organization)")
                                compared += 1
                            }
                        }
                    }
                }
                let resources: [(String, UUID, String)] = [
                    ("job", w.job, "job.read"), ("team", w.red, "team.read"), ("organization", w.acme, "organization.read"),
                    ("organization", w.globex, "organization.read"), ("job", UUID(), "job.read"),
                ]
                for key in ["owner", "member", "maintainer", "scoped", "stranger"] {
                    for (type, id, permission) in resources {
                        let body = #"{"permission":"\#(permission)","resource":{"type":"\#(type)","id":"\#(id.uuidString)"},"limit":1}"#
                        let http = try await Self.httpPages(client, "/v1/authz/lookup-subjects", key: w.keys[key]!, body: body)
                        let grpc = try await Self.grpcPages { cursor in
                            var request = Authz_V1_LookupSubjectsRequest()
                            request.permission = permission
                            request.resource.type = type
                            request.resource.id = id.uuidString
                            request.limit = 1
                            request.cursor = cursor
                            let response = try await authz.lookupSubjects(request, metadata: bearer(w.keys[key]!))
                            return (response.items, response.revision, response.cursor)
                        }
                        #expect(grpc == http, "\(key) \(permission) on \(type)")
                        compared += 1
                    }
                }
                #expect(compared == 65)

                // The same mistakes, the same field paths and messages.
                let (_, bad) = try await client.post(
                    "/v1/authz/lookup-resources",
                    bearer: w.keys["owner"]!,
                    json: #"{"permission":"job.cancel","resource_type":"document","organization_id":"x","cursor":"nope"}"#
                )
                var request = Authz_V1_LookupResourcesRequest()
                request.permission = "job.cancel"
                request.resourceType = "document"
                request.organizationID = "x"
                request.cursor = "nope"
                await #expect {
                    try await authz.lookupResources(request, metadata: bearer(w.keys["owner"]!))
                } throws: { error in
                    guard let error = error as? RPCError, error.code == .invalidArgument else { return false }
                    return error.message.components(separatedBy: "; ") == details(bad) && details(bad).count == 4
                }
                request.limit = 201
                await #expect {
                    try await authz.lookupResources(request, metadata: bearer(w.keys["owner"]!))
                } throws: { error in
                    (error as? RPCError)?.message.contains("limit: must be a whole number from 1 to 200") == true
                }
                // A cursor of a revision this replica does not keep: gone, as HTTP's 410.
                request = Authz_V1_LookupResourcesRequest()
                request.permission = "job.read"
                request.resourceType = "job"
                request.organizationID = w.acme.uuidString
                request.cursor = "999999.\(UUID().uuidString.lowercased())"
                await #expect {
                    try await authz.lookupResources(request, metadata: bearer(w.keys["owner"]!))
                } throws: { error in
                    (error as? RPCError)?.code == .notFound && (error as? RPCError)?.message.hasPrefix("gone: ") == true
                }
                var subjects = Authz_V1_LookupSubjectsRequest()
                subjects.permission = "job.read"
                await #expect {
                    try await authz.lookupSubjects(subjects, metadata: bearer(w.keys["owner"]!))
                } throws: { error in
                    (error as? RPCError)?.message == "resource: is required"
                }
            }
        }
    }

    /// The first message says where the subscription starts; a membership change then arrives
    /// as the same event the SSE stream sends; a member of another tenant sees none of it; a
    /// stream resumes after a revision or an event id.
    @Test(.timeLimit(.minutes(2))) func watchDeliversWhatTheCallerMayRead() async throws {
        let port = try EndToEndTests.freePort()
        try await AuthenticatedApplication.withApplication(live: true, grpcPort: port) { client, app in
            let w = try await CheckWorld(app)
            let service = app.service
            let newcomer = try await service.createPrincipal(kind: .user, email: "new@example.com", name: "New", externalSubject: "new").0.id
            try await withAuthzClient(port: port) { authz, _ in
                let start = service.snapshot.revision
                // The owner of Acme sees the change in Acme; Globex's owner, watching at the
                // same time, first sees its own organization's change, made after it.
                async let strangers: [Authz_V1_ChangeEvent] = authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["stranger"]!)) {
                    response in
                    var events: [Authz_V1_ChangeEvent] = []
                    for try await message in response.messages {
                        if case .event(let event)? = message.kind {
                            events.append(event)
                            if event.organizationID == w.globex.uuidString.lowercased() { break }
                        }
                    }
                    return events
                }
                let owners: [Authz_V1_ChangeEvent] = try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["owner"]!)) {
                    response in
                    var messages = response.messages.makeAsyncIterator()
                    let first = try await messages.next()
                    #expect(first?.subscribed.revision == start)
                    _ = try await service.addMember(organization: w.acme, principal: newcomer, role: "member", actor: w.owner)
                    _ = try await service.createTeam(organization: w.globex, name: "Blue")
                    var events: [Authz_V1_ChangeEvent] = []
                    while let message = try await messages.next() {
                        guard case .event(let event)? = message.kind else { continue }
                        events.append(event)
                        if event.type == "member.added" { break }
                    }
                    return events
                }
                let added = try #require(owners.last)
                #expect(added.organizationID == w.acme.uuidString.lowercased())
                #expect(added.target.type == "principal" && added.target.id == newcomer.uuidString.lowercased())
                #expect(added.data["role"] == "member" && added.revision > start && added.id.hasPrefix("\(added.revision)."))
                #expect(owners.allSatisfy { $0.organizationID == w.acme.uuidString.lowercased() })
                let seenByStranger = try await strangers
                #expect(!seenByStranger.isEmpty && seenByStranger.allSatisfy { $0.organizationID == w.globex.uuidString.lowercased() })

                // The SSE stream's JSON for the same event, field for field.
                let replayed = try await Self.sseEvent(client, key: w.keys["owner"]!, after: "\(start)", type: "member.added")
                #expect(replayed["id"] as? String == added.id && replayed["created_at"] as? String == added.createdAt)
                #expect((replayed["data"] as? [String: String]) == added.data && replayed["revision"] as? String == String(added.revision))

                // Resumed after the start revision: the same event again; after its id: not.
                func firstEvent(after: String) async throws -> Authz_V1_ChangeEvent? {
                    var request = Authz_V1_WatchRequest()
                    request.after = after
                    return try await authz.watch(request, metadata: bearer(w.keys["owner"]!)) { response in
                        var messages = response.messages.makeAsyncIterator()
                        #expect(try await messages.next()?.subscribed.revision == UInt64(after.split(separator: ".")[0]))
                        // Something after everything so far, so the stream has an end to reach.
                        _ = try await service.createTeam(organization: w.acme, name: "Marker \(after)")
                        while let message = try await messages.next() {
                            if case .event(let event)? = message.kind { return event }
                        }
                        return nil
                    }
                }
                #expect(try await firstEvent(after: "\(start)")?.id == added.id)
                let next = try await firstEvent(after: added.id)
                #expect(next != nil && next?.id != added.id && next!.revision > added.revision)
            }
        }
    }

    /// A principal's Watch streams count with its other event streams (an SSE stream and a
    /// Watch take its two places here); a bad `after` names its field; no credential, no stream.
    @Test(.timeLimit(.minutes(2))) func watchIsLimited() async throws {
        let port = try EndToEndTests.freePort()
        try await AuthenticatedApplication.withApplication(limits: RateLimits(streamsPerPrincipal: 2), live: true, grpcPort: port) { client, app in
            let w = try await CheckWorld(app)
            let sse = ["Authorization": "Bearer \(w.keys["owner"]!)"]
            try await withAuthzClient(port: port) { authz, _ in
                try await RawEventStream.with(port: try #require(client.port), path: "/v1/events/stream", headers: sse) { first in
                    _ = try await first.read { $0.contains(": subscribed") }
                    try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["owner"]!)) { second in
                        var two = second.messages.makeAsyncIterator()
                        #expect(try await two.next()?.subscribed != nil)
                        await #expect {
                            try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["owner"]!)) { third in
                                for try await _ in third.messages {}
                            }
                        } throws: { error in
                            (error as? RPCError)?.code == .resourceExhausted
                                && (error as? RPCError)?.message == "rate_limited: this principal already has 2 event streams open; close one first"
                        }
                        // Another principal has its own places.
                        try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["member"]!)) { other in
                            var three = other.messages.makeAsyncIterator()
                            let first = try await three.next()
                            #expect(first?.subscribed != nil)
                        }
                    }
                    // The Watch gives its place back as soon as it ends (the SSE stream still
                    // holds the other): a new one is admitted.
                    try await Self.eventually {
                        try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(w.keys["owner"]!)) { again in
                            var messages = again.messages.makeAsyncIterator()
                            return try await messages.next()?.subscribed != nil
                        }
                    }
                }
                var request = Authz_V1_WatchRequest()
                request.after = "yesterday"
                await #expect {
                    try await authz.watch(request, metadata: bearer(w.keys["owner"]!)) { response in for try await _ in response.messages {} }
                } throws: { error in
                    (error as? RPCError)?.code == .invalidArgument
                        && (error as? RPCError)?.message == "after: must be the id of an event this stream sent, or a revision"
                }
                await #expect {
                    try await authz.watch(Authz_V1_WatchRequest()) { response in for try await _ in response.messages {} }
                } throws: { error in
                    (error as? RPCError)?.code == .unauthenticated
                }
            }
        }
    }

    /// Tries `attempt` until it holds (a refusal counts as not yet), for up to 2 s.
    static func eventually(_ attempt: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if (try? await attempt()) == true { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await attempt())
    }

    /// The first event of `type` the SSE stream replays after `after`, as JSON.
    static func sseEvent(_ client: any TestClientProtocol, key: String, after: String, type: String) async throws -> [String: Any] {
        let headers = ["Authorization": "Bearer \(key)", "Last-Event-ID": after]
        let text = try await RawEventStream.with(port: try #require(client.port), path: "/v1/events/stream", headers: headers) { stream in
            try await stream.read { $0.contains(#""type":"\#(type)"}\#n\#n"#) }
        }
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") && $0.contains(#""type":"\#(type)""#) })
        return try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] ?? [:]
    }
}
