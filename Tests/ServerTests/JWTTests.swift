import CSodium
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JWTKit
import NIOCore
import Testing

@testable import Server

@Suite struct JWTTests {
    static let secret = "test-issuer-hs256-secret-0123456789abcdef"
    static let settings = JWTSettings(issuer: "https://id.example.test", audience: "authz", verification: .hs256(secret: secret))

    static func token(
        subject: String = "alice",
        email: String? = "alice@example.com",
        issuer: String = "https://id.example.test",
        audience: String? = "authz",
        expires: TimeInterval = 3600,
        notBefore: TimeInterval? = nil,
        secret: String = secret
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(
            TokenClaims(
                iss: .init(value: issuer),
                sub: .init(value: subject),
                aud: audience.map { .init(value: [$0]) },
                exp: .init(value: Date().addingTimeInterval(expires)),
                nbf: notBefore.map { .init(value: Date().addingTimeInterval($0)) },
                email: email,
                name: nil
            )
        )
    }

    @Test func userCreatedOnFirstSightAndTokensChecked() async throws {
        try await AuthenticatedApplication.withApplication(jwt: Self.settings) { client, app in
            let token = try await Self.token()
            var (status, _, raw) = try await client.get("/v1/me", bearer: token)
            #expect(status == .ok)
            let me = raw["data"] as? [String: Any]
            #expect(me?["email"] as? String == "alice@example.com" && me?["kind"] as? String == "user" && me?["platform_admin"] as? Bool == false)
            let id = me?["id"] as? String
            // Another token for the same subject is the same principal.
            (status, _, raw) = try await client.get("/v1/me", bearer: try await Self.token(expires: 600))
            #expect((raw["data"] as? [String: Any])?["id"] as? String == id)
            // Every other token is the same 401.
            let refused = [
                try await Self.token(issuer: "https://evil.example"),
                try await Self.token(audience: "someone-else"),
                try await Self.token(audience: nil),
                try await Self.token(expires: -60),
                try await Self.token(notBefore: 3600),
                try await Self.token(secret: "another-secret-of-sufficient-length-000"),
                String(token.dropLast(2)) + "xx",
            ]
            for bearer in refused {
                #expect(try await client.get("/v1/me", bearer: bearer).0 == .unauthorized)
            }
            _ = app
        }
    }

    /// Public-key verification: a token signed with an ES256 private key, checked against the
    /// configured PEM public key; one signed with another key is refused.
    @Test func es256PublicKey() async throws {
        let signer = ES256PrivateKey()
        let pem = signer.publicKey.pemRepresentation
        let settings = JWTSettings(issuer: "https://id.example.test", audience: nil, verification: .publicKey(pem: pem))
        let good = try await Self.es256Token(signer)
        let bad = try await Self.es256Token(ES256PrivateKey())
        try await AuthenticatedApplication.withApplication(jwt: settings) {
            (client: any TestClientProtocol, _: AuthenticatedApplication) async throws in
            #expect(try await client.get("/v1/me", bearer: good).0 == .ok)
            #expect(try await client.get("/v1/me", bearer: bad).0 == .unauthorized)
        }
    }

    static func es256Token(_ key: ES256PrivateKey) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return try await keys.sign(
            TokenClaims(
                iss: .init(value: "https://id.example.test"),
                sub: .init(value: "bob"),
                aud: nil,
                exp: .init(value: Date().addingTimeInterval(600)),
                nbf: nil,
                email: nil,
                name: nil
            )
        )
    }

    /// A token put together by hand: any header, any claims, signed with HMAC-SHA256 over
    /// the secret, as an attacker holding a valid HS256 signing path would.
    static func handMade(header: String, claims: String, secret: String = secret) -> String {
        func part(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let signed = part(Array(header.utf8)) + "." + part(Array(claims.utf8))
        var state = crypto_auth_hmacsha256_state()
        var mac = [UInt8](repeating: 0, count: 32)
        let key = Array(secret.utf8)
        let message = Array(signed.utf8)
        _ = crypto_auth_hmacsha256_init(&state, key, key.count)
        _ = crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
        _ = crypto_auth_hmacsha256_final(&state, &mac)
        return signed + "." + part(mac)
    }

    static func claims(subject: String = "alice", extra: String = "") -> String {
        #"{"iss":"https://id.example.test","aud":"authz","sub":"\#(subject)","exp":\#(Int(Date().timeIntervalSince1970) + 600)\#(extra)}"#
    }

    /// Only the configured key's algorithm is accepted, whatever else the header says, and a
    /// token must name a subject.
    @Test func headerAlgorithmAndEmptySubjectsAreRefused() async throws {
        try await AuthenticatedApplication.withApplication(jwt: Self.settings) {
            (client: any TestClientProtocol, _: AuthenticatedApplication) async throws in
            let good = Self.handMade(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: Self.claims())
            #expect(try await client.get("/v1/me", bearer: good).0 == .ok)
            for header in [#"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"RS256","typ":"JWT"}"#, #"{"alg":"none","typ":"JWT"}"#, #"{"typ":"JWT"}"#] {
                let token = Self.handMade(header: header, claims: Self.claims(subject: "eve"))
                #expect(try await client.get("/v1/me", bearer: token).0 == .unauthorized, "\(header)")
            }
            for subject in ["", "  "] {
                let token = Self.handMade(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: Self.claims(subject: subject))
                #expect(try await client.get("/v1/me", bearer: token).0 == .unauthorized, "sub '\(subject)'")
            }
        }
    }

    /// Acme, made by the platform admin, and its invitation of alice@example.com as member:
    /// the organization's id, the invitation's and its token.
    static func inviteAlice(_ client: any TestClientProtocol, _ app: AuthenticatedApplication) async throws -> (String, String, String) {
        var (_, body) = try await client.call(.post, "/v1/organizations", bearer: app.adminKey, json: #"{"name":"Acme"}"#)
        let acme = try #require(data(body)["id"] as? String)
        (_, body) = try await client.call(
            .post,
            "/v1/invitations",
            bearer: app.adminKey,
            json: #"{"organization_id":"\#(acme)","email":"alice@example.com","role":"member"}"#
        )
        return (acme, try #require(data(body)["id"] as? String), try #require(data(body)["token"] as? String))
    }

    /// An invitation addressed to an email is accepted only by a principal holding that
    /// email, verified: not by a token without one, nor by one the issuer marks unverified,
    /// nor by the platform admin's or a service's key. A wrong token, in this organization or
    /// another, answers as an id that does not exist.
    @Test func invitationsNeedTheirVerifiedEmail() async throws {
        try await AuthenticatedApplication.withApplication(jwt: Self.settings) { client, app in
            let (acme, invitation, token) = try await Self.inviteAlice(client, app)
            let (_, body) = try await client.call(.post, "/v1/api-keys", bearer: app.adminKey, json: #"{"name":"svc","organization_id":"\#(acme)"}"#)
            let serviceKey = try #require(data(body)["key"] as? String)
            let header = #"{"alg":"HS256","typ":"JWT"}"#
            let noEmail = Self.handMade(header: header, claims: Self.claims(subject: "alice-without-email"))
            let unverified = Self.handMade(
                header: header,
                claims: Self.claims(subject: "alice-unverified", extra: #","email":"alice@example.com","email_verified":false"#)
            )
            for bearer in [noEmail, unverified, app.adminKey, serviceKey] {
                let (status, refused) = try await client.call(
                    .post,
                    "/v1/invitations/\(invitation)/accept",
                    bearer: bearer,
                    json: #"{"token":"\#(token)"}"#
                )
                #expect(status == .forbidden && errorCode(refused) == "forbidden")
            }

            // A wrong token, and an id nobody issued: the same 404, for an outsider too.
            let outsider = Self.handMade(header: header, claims: Self.claims(subject: "mallory", extra: #","email":"mallory@example.com""#))
            let wrong = String(repeating: "A", count: token.count)
            var answers: [String] = []
            for (id, bearer) in [(invitation, outsider), (UUID().uuidString.lowercased(), outsider), (invitation, app.adminKey)] {
                let (status, refused) = try await client.call(.post, "/v1/invitations/\(id)/accept", bearer: bearer, json: #"{"token":"\#(wrong)"}"#)
                #expect(status == .notFound)
                answers.append("\(errorCode(refused) ?? "") \(((refused["error"] as? [String: Any])?["message"] as? String) ?? "")")
            }
            #expect(Set(answers).count == 1)

            let verified = Self.handMade(
                header: header,
                claims: Self.claims(subject: "alice", extra: #","email":"alice@example.com","email_verified":true"#)
            )
            let (status, accepted) = try await client.call(
                .post,
                "/v1/invitations/\(invitation)/accept",
                bearer: verified,
                json: #"{"token":"\#(token)"}"#
            )
            #expect(status == .ok && data(accepted)["role"] as? String == "member")
            // The answer says which organization the invitee joined: the invitation's id and
            // token do not.
            #expect(data(accepted)["organization_id"] as? String == acme)
        }
    }

    /// The walkthrough's missing step: a second identity, signed in by JWT, accepts.
    @Test func invitedUserAcceptsWithAJWT() async throws {
        try await AuthenticatedApplication.withApplication(jwt: Self.settings) { client, app in
            let (acme, invitation, invitationToken) = try await Self.inviteAlice(client, app)
            var status: HTTPResponse.Status
            var body: [String: Any]
            let alice = try await Self.token()
            let mallory = try await Self.token(subject: "mallory", email: "mallory@example.com")
            (status, body) = try await client.call(
                .post,
                "/v1/invitations/\(invitation)/accept",
                bearer: mallory,
                json: #"{"token":"\#(invitationToken)"}"#
            )
            #expect(status == .forbidden)
            (status, body) = try await client.call(
                .post,
                "/v1/invitations/\(invitation)/accept",
                bearer: alice,
                json: #"{"token":"\#(invitationToken)"}"#
            )
            #expect(status == .ok && data(body)["role"] as? String == "member")
            (status, body) = try await client.call(.get, "/v1/me/organizations", bearer: alice)
            #expect((data(body)["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["member"])
            #expect(try await client.call(.get, "/v1/organizations/\(acme)", bearer: alice).0 == .ok)
        }
    }
}
