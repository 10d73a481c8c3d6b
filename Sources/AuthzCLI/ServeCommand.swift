import ArgumentParser
import Authz
import Foundation
import Hummingbird
import Identity
import Logging
import PostgresNIO
import Server
import Stores
import Workloads

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: load and validate the policy, migrate and load the store, serve until SIGINT/SIGTERM."
    )

    @Option(help: "Listen address (env: AUTHZ_HTTP_HOST).")
    var host: String = ProcessInfo.processInfo.environment["AUTHZ_HTTP_HOST"] ?? "127.0.0.1"

    @Option(help: "Listen port (env: AUTHZ_HTTP_PORT).")
    var port: Int = ProcessInfo.processInfo.environment["AUTHZ_HTTP_PORT"].flatMap(Int.init) ?? 3001

    @Option(name: .customLong("grpc-host"), help: "gRPC listen address (env: AUTHZ_GRPC_HOST).")
    var grpcHost: String = ProcessInfo.processInfo.environment["AUTHZ_GRPC_HOST"] ?? "127.0.0.1"

    @Option(name: .customLong("grpc-port"), help: "gRPC listen port; 0 turns gRPC off (env: AUTHZ_GRPC_PORT).")
    var grpcPort: Int = ProcessInfo.processInfo.environment["AUTHZ_GRPC_PORT"].flatMap(Int.init) ?? 3002

    @Option(name: .customLong("console"), help: "Serve the admin console at /console: on or off (env: AUTHZ_CONSOLE).")
    var console: String = ProcessInfo.processInfo.environment["AUTHZ_CONSOLE"] ?? "on"

    @Option(help: "The policy folder (env: AUTHZ_POLICIES).")
    var policies: String = ProcessInfo.processInfo.environment["AUTHZ_POLICIES"] ?? "policies"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env: AUTHZ_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["AUTHZ_LOG_LEVEL"] ?? "info"

    @Option(
        name: .customLong("bootstrap-key"),
        help:
            "The platform admin's API key, any string of 32 or more characters (env: AUTHZ_BOOTSTRAP_KEY). Without it, an empty store gets a generated key, printed once."
    )
    var bootstrapKeyFlag: String?

    var bootstrapKey: String? { self.bootstrapKeyFlag ?? ProcessInfo.processInfo.environment["AUTHZ_BOOTSTRAP_KEY"] }

    @Option(name: .customLong("rate-limit"), help: "Requests per minute per principal (env: AUTHZ_RATE_LIMIT).")
    var rateLimit: Int = ProcessInfo.processInfo.environment["AUTHZ_RATE_LIMIT"].flatMap(Int.init) ?? RateLimits().perPrincipal

    @Option(name: .customLong("check-rate-limit"), help: "Requests per minute per principal to /v1/authz/* (env: AUTHZ_CHECK_RATE_LIMIT).")
    var checkRateLimit: Int = ProcessInfo.processInfo.environment["AUTHZ_CHECK_RATE_LIMIT"].flatMap(Int.init) ?? RateLimits().checksPerPrincipal

    @Option(
        name: .customLong("anonymous-rate-limit"),
        help: "Requests per minute per client address without a verified key (env: AUTHZ_ANONYMOUS_RATE_LIMIT)."
    )
    var anonymousRateLimit: Int =
        ProcessInfo.processInfo.environment["AUTHZ_ANONYMOUS_RATE_LIMIT"].flatMap(Int.init) ?? RateLimits().perAnonymousAddress

    @Option(name: .customLong("jwt-issuer"), help: "Accept JWTs with this iss (env: AUTHZ_JWT_ISSUER).")
    var jwtIssuerFlag: String?

    @Option(name: .customLong("jwt-audience"), help: "Require this aud in JWTs (env: AUTHZ_JWT_AUDIENCE).")
    var jwtAudienceFlag: String?

    @Option(name: .customLong("jwt-hs256-secret"), help: "Verify JWTs with this HS256 secret (env: AUTHZ_JWT_HS256_SECRET).")
    var jwtSecretFlag: String?

    @Option(name: .customLong("jwt-public-key-file"), help: "Verify JWTs with this PEM RS256/ES256 public key (env: AUTHZ_JWT_PUBLIC_KEY_FILE).")
    var jwtPublicKeyFileFlag: String?

    @Option(name: .customLong("job-workers"), help: "Jobs run at once by this process (env: AUTHZ_JOB_WORKERS).")
    var jobWorkers: Int = ProcessInfo.processInfo.environment["AUTHZ_JOB_WORKERS"].flatMap(Int.init) ?? 4

    @Option(
        name: .customLong("event-buffer"),
        help: "Change-log records an event-stream subscriber may fall behind before it is disconnected (env: AUTHZ_EVENT_BUFFER)."
    )
    var eventBuffer: Int = ProcessInfo.processInfo.environment["AUTHZ_EVENT_BUFFER"].flatMap(Int.init) ?? 1024

    @Option(
        name: .customLong("blob-folder"),
        help: "Where asset blobs are kept (env: AUTHZ_BLOB_FOLDER; default: a blobs folder beside the SQLite file, .data/blobs with PostgreSQL)."
    )
    var blobFolderFlag: String?

    var blobFolder: String? { self.blobFolderFlag ?? ProcessInfo.processInfo.environment["AUTHZ_BLOB_FOLDER"] }

    @Option(
        name: .customLong("secret-key"),
        help:
            "The key share snapshots are sealed with: any string of 32 or more characters (env: AUTHZ_SECRET_KEY). Without it, secret.key in the data folder, created on first start; replicas sharing PostgreSQL need the same one."
    )
    var secretKeyFlag: String?

    @Option(
        name: .customLong("trusted-proxies"),
        help: "Comma-separated addresses of proxies whose X-Forwarded-For is believed (env: AUTHZ_TRUSTED_PROXIES)."
    )
    var trustedProxies: String = ProcessInfo.processInfo.environment["AUTHZ_TRUSTED_PROXIES"] ?? ""

    @Option(
        name: .customLong("share-client-failures"),
        help:
            "Wrong share passwords from one client within 15 minutes that lock it out of the share for 15 minutes (env: AUTHZ_SHARE_CLIENT_FAILURES)."
    )
    var shareClientFailures: Int =
        ProcessInfo.processInfo.environment["AUTHZ_SHARE_CLIENT_FAILURES"].flatMap(Int.init) ?? ShareLimits().clientFailures

    @Option(
        name: .customLong("share-failures"),
        help: "Wrong passwords on one share within an hour that lock it for everyone for an hour (env: AUTHZ_SHARE_FAILURES)."
    )
    var shareFailures: Int = ProcessInfo.processInfo.environment["AUTHZ_SHARE_FAILURES"].flatMap(Int.init) ?? ShareLimits().shareFailures

    @Option(name: .customLong("share-reads-per-minute"), help: "Reads of one share per minute per client (env: AUTHZ_SHARE_READS_PER_MINUTE).")
    var shareReads: Int = ProcessInfo.processInfo.environment["AUTHZ_SHARE_READS_PER_MINUTE"].flatMap(Int.init) ?? ShareLimits().readsPerMinute

    @Option(
        name: .customLong("public-rate-limit"),
        help: "Requests per minute per client address to public share links (env: AUTHZ_PUBLIC_RATE_LIMIT)."
    )
    var publicRateLimit: Int = ProcessInfo.processInfo.environment["AUTHZ_PUBLIC_RATE_LIMIT"].flatMap(Int.init) ?? RateLimits().publicPerAddress

    @Option(
        name: .customLong("streams-per-principal"),
        help: "Event streams (SSE and WebSocket) one principal may hold open on this replica (env: AUTHZ_STREAMS_PER_PRINCIPAL)."
    )
    var streamsPerPrincipal: Int =
        ProcessInfo.processInfo.environment["AUTHZ_STREAMS_PER_PRINCIPAL"].flatMap(Int.init) ?? RateLimits().streamsPerPrincipal

    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle keep-alive connection stays open (env: AUTHZ_IDLE_TIMEOUT).")
    var idleTimeout: Int =
        ProcessInfo.processInfo.environment["AUTHZ_IDLE_TIMEOUT"].flatMap(Int.init) ?? Int(ConnectionLimits().idleTimeout.components.seconds)

    @Option(
        name: .customLong("head-timeout"),
        help: "Seconds a new connection has to send its first request head in full, else 408 and close (env: AUTHZ_HEAD_TIMEOUT)."
    )
    var headTimeout: Int =
        ProcessInfo.processInfo.environment["AUTHZ_HEAD_TIMEOUT"].flatMap(Int.init) ?? Int(ConnectionLimits().headTimeout.components.seconds)

    @Option(
        name: .customLong("max-connections"),
        help: "Connections open at once; past it new ones wait to be accepted (env: AUTHZ_MAX_CONNECTIONS)."
    )
    var maxConnections: Int = ProcessInfo.processInfo.environment["AUTHZ_MAX_CONNECTIONS"].flatMap(Int.init) ?? ConnectionLimits().maxConnections

    @Option(name: .customLong("max-header-bytes"), help: "The largest request head answered; a larger one is 431 (env: AUTHZ_MAX_HEADER_BYTES).")
    var maxHeaderBytes: Int = ProcessInfo.processInfo.environment["AUTHZ_MAX_HEADER_BYTES"].flatMap(Int.init) ?? ConnectionLimits().maxHeaderBytes

    @OptionGroup var database: DatabaseOptions

    var environment: [String: String] { ProcessInfo.processInfo.environment }
    var jwtIssuer: String? { self.jwtIssuerFlag ?? self.environment["AUTHZ_JWT_ISSUER"] }
    var jwtAudience: String? { self.jwtAudienceFlag ?? self.environment["AUTHZ_JWT_AUDIENCE"] }
    var jwtSecret: String? { self.jwtSecretFlag ?? self.environment["AUTHZ_JWT_HS256_SECRET"] }
    var jwtPublicKeyFile: String? { self.jwtPublicKeyFileFlag ?? self.environment["AUTHZ_JWT_PUBLIC_KEY_FILE"] }

    /// JWT settings, or nil when no issuer is configured.
    func jwtSettings() throws -> JWTSettings? {
        guard let issuer = self.jwtIssuer else { return nil }
        switch (self.jwtSecret, self.jwtPublicKeyFile) {
        case (let secret?, nil):
            guard secret.utf8.count >= 32 else { throw ValidationError("--jwt-hs256-secret must be at least 32 bytes") }
            return JWTSettings(issuer: issuer, audience: self.jwtAudience, verification: .hs256(secret: secret))
        case (nil, let file?):
            return JWTSettings(
                issuer: issuer,
                audience: self.jwtAudience,
                verification: .publicKey(pem: try String(contentsOfFile: file, encoding: .utf8))
            )
        default:
            throw ValidationError("--jwt-issuer needs exactly one of --jwt-hs256-secret and --jwt-public-key-file")
        }
    }

    func validate() throws {
        guard (1...65535).contains(self.port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard (0...65535).contains(self.grpcPort) else { throw ValidationError("--grpc-port must be between 0 (off) and 65535") }
        guard ["on", "off", "true", "false", "1", "0"].contains(self.console.lowercased()) else {
            throw ValidationError("--console must be on or off, not '\(self.console)'")
        }
        guard self.grpcPort == 0 || self.grpcPort != self.port || self.grpcHost != self.host else {
            throw ValidationError("--grpc-port must differ from --port")
        }
        guard Logger.Level(rawValue: self.logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(self.logLevel)'") }
        if let key = self.bootstrapKey, key.count < 32 { throw ValidationError("--bootstrap-key must be at least 32 characters") }
        for (flag, value) in [
            ("--rate-limit", self.rateLimit), ("--check-rate-limit", self.checkRateLimit), ("--anonymous-rate-limit", self.anonymousRateLimit),
        ]
        where value < 1 {
            throw ValidationError("\(flag) must be at least 1 request per minute")
        }
        for (flag, value) in [
            ("--share-client-failures", self.shareClientFailures), ("--share-failures", self.shareFailures),
            ("--share-reads-per-minute", self.shareReads),
            ("--public-rate-limit", self.publicRateLimit), ("--streams-per-principal", self.streamsPerPrincipal),
        ] where !(1...100_000).contains(value) {
            throw ValidationError("\(flag) must be between 1 and 100000")
        }
        for (flag, value, range) in [
            ("--idle-timeout", self.idleTimeout, 1...86_400), ("--head-timeout", self.headTimeout, 1...3_600),
            ("--max-connections", self.maxConnections, 1...1_000_000), ("--max-header-bytes", self.maxHeaderBytes, 1_024...1_048_576),
        ] where !range.contains(value) {
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        guard (1...256).contains(self.jobWorkers) else { throw ValidationError("--job-workers must be between 1 and 256") }
        guard (1...1_000_000).contains(self.eventBuffer) else { throw ValidationError("--event-buffer must be between 1 and 1000000") }
    }

    func run() async throws {
        let (settings, policy) = try reportingConfigurationErrors {
            let database = try DatabaseURL(parsing: self.database.url)
            let settings = Settings(
                host: self.host,
                port: self.port,
                database: database,
                policies: self.policies,
                logLevel: Logger.Level(rawValue: self.logLevel) ?? .info,
                bootstrapKey: self.bootstrapKey,
                rateLimits: RateLimits(
                    perPrincipal: self.rateLimit,
                    checksPerPrincipal: self.checkRateLimit,
                    perAnonymousAddress: self.anonymousRateLimit,
                    publicPerAddress: self.publicRateLimit,
                    streamsPerPrincipal: self.streamsPerPrincipal
                ),
                jwt: try self.jwtSettings(),
                jobWorkers: self.jobWorkers,
                eventBuffer: self.eventBuffer,
                blobFolder: self.blobFolder,
                trustedProxies: Set(self.trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
                secretKey: try Settings.loadSecretKey(
                    configured: self.secretKeyFlag ?? self.environment["AUTHZ_SECRET_KEY"],
                    folder: Settings.dataFolder(for: database)
                ),
                shareLimits: ShareLimits(
                    clientFailures: self.shareClientFailures,
                    shareFailures: self.shareFailures,
                    readsPerMinute: self.shareReads
                ),
                connectionLimits: ConnectionLimits(
                    idleTimeout: .seconds(self.idleTimeout),
                    headTimeout: .seconds(self.headTimeout),
                    maxConnections: self.maxConnections,
                    maxHeaderBytes: self.maxHeaderBytes
                ),
                grpc: self.grpcPort == 0 ? nil : GRPCSettings(host: self.grpcHost, port: self.grpcPort),
                console: ["on", "true", "1"].contains(self.console.lowercased())
            )
            return (settings, try PolicyDirectory(path: settings.policies).load())
        }
        var logger = Logger(label: "authz")
        logger.logLevel = settings.logLevel
        logger.info("starting", metadata: ["database": "\(settings.database)", "policies": "\(settings.policies)"])

        try await settings.database.withService(policy: policy, logger: logger, Serving(settings: settings))
    }

    /// Bootstrap, then serve until a signal stops the application.
    struct Serving: ServiceTask {
        let settings: Settings

        func run(_ service: IdentityService, logger: Logger) async throws {
            try await BootstrapCommand.bootstrap(service, configuredKey: self.settings.bootstrapKey)
            try await buildApplication(settings: self.settings, service: service, logger: logger).runService()
        }
    }
}
