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
        subject: String = "alice", email: String? = "alice@example.com", issuer: String = "https://id.example.test", audience: String? = "authz",
        expires: TimeInterval = 3600, notBefore: TimeInterval? = nil, secret: String = secret
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(
            TokenClaims(
                iss: .init(value: issuer), sub: .init(value: subject), aud: audience.map { .init(value: [$0]) },
                exp: .init(value: Date().addingTimeInterval(expires)), nbf: notBefore.map { .init(value: Date().addingTimeInterval($0)) },
                email: email, name: nil
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
        try await AuthenticatedApplication.withApplication(jwt: settings) { (client: any TestClientProtocol, _: AuthenticatedApplication) async throws in
            #expect(try await client.get("/v1/me", bearer: good).0 == .ok)
            #expect(try await client.get("/v1/me", bearer: bad).0 == .unauthorized)
        }
    }

    static func es256Token(_ key: ES256PrivateKey) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return try await keys.sign(
            TokenClaims(
                iss: .init(value: "https://id.example.test"), sub: .init(value: "bob"), aud: nil, exp: .init(value: Date().addingTimeInterval(600)),
                nbf: nil, email: nil, name: nil
            )
        )
    }

    /// The walkthrough's missing step: a second identity, signed in by JWT, accepts.
    @Test func invitedUserAcceptsWithAJWT() async throws {
        try await AuthenticatedApplication.withApplication(jwt: Self.settings) { client, app in
            var (status, body) = try await client.call(.post, "/v1/organizations", bearer: app.adminKey, json: #"{"name":"Acme"}"#)
            let acme = try #require(data(body)["id"] as? String)
            (status, body) = try await client.call(.post, "/v1/invitations", bearer: app.adminKey, json: #"{"organization_id":"\#(acme)","email":"alice@example.com","role":"member"}"#)
            let invitation = try #require(data(body)["id"] as? String)
            let invitationToken = try #require(data(body)["token"] as? String)
            let alice = try await Self.token()
            let mallory = try await Self.token(subject: "mallory", email: "mallory@example.com")
            (status, body) = try await client.call(.post, "/v1/invitations/\(invitation)/accept", bearer: mallory, json: #"{"token":"\#(invitationToken)"}"#)
            #expect(status == .forbidden)
            (status, body) = try await client.call(.post, "/v1/invitations/\(invitation)/accept", bearer: alice, json: #"{"token":"\#(invitationToken)"}"#)
            #expect(status == .ok && data(body)["role"] as? String == "member")
            (status, body) = try await client.call(.get, "/v1/me/organizations", bearer: alice)
            #expect((data(body)["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["member"])
            #expect(try await client.call(.get, "/v1/organizations/\(acme)", bearer: alice).0 == .ok)
        }
    }
}
