import APIKeys
import Foundation
public import Identity
public import Logging
public import Workloads

/// Everything `authz serve` is configured by (docs/API.md §6). The command line defines each
/// setting once — a flag whose default is its environment variable — and builds this value;
/// nothing else reads the environment.
public struct Settings: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    public var policies: String
    public var logLevel: Logger.Level
    /// `AUTHZ_BOOTSTRAP_KEY`: the platform admin's key, when scripts need to know it.
    public var bootstrapKey: String?
    public var rateLimits: RateLimits
    /// Nil: JWTs are not accepted.
    public var jwt: JWTSettings?
    /// How many jobs this process runs at once.
    public var jobWorkers: Int
    /// How many change-log records an event-stream subscriber may fall behind before it is
    /// disconnected.
    public var eventBuffer: Int
    /// Where asset blobs are kept: beside the SQLite file by default, `.data/blobs` with
    /// PostgreSQL (several replicas need it on shared storage).
    public var blobFolder: String
    /// Socket peers whose `X-Forwarded-For` is believed (exact addresses); from anyone else the
    /// header is ignored and the peer is the client.
    public var trustedProxies: Set<String>
    /// The key share snapshots are sealed with (32 bytes): `AUTHZ_SECRET_KEY`, or a file in the
    /// data folder created on first start.
    public var secretKey: [UInt8]
    public var shareLimits: ShareLimits
    public var connectionLimits: ConnectionLimits
    /// Nil: no gRPC listener.
    public var grpc: GRPCSettings?
    /// Serve the admin console at `/console` (and name its accept page in invitations).
    public var console: Bool

    public init(
        host: String,
        port: Int,
        database: DatabaseURL,
        policies: String,
        logLevel: Logger.Level,
        bootstrapKey: String? = nil,
        rateLimits: RateLimits = RateLimits(),
        jwt: JWTSettings? = nil,
        jobWorkers: Int = 4,
        eventBuffer: Int = 1024,
        blobFolder: String? = nil,
        trustedProxies: Set<String> = [],
        secretKey: [UInt8]? = nil,
        shareLimits: ShareLimits = ShareLimits(),
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        grpc: GRPCSettings? = nil,
        console: Bool = true
    ) {
        self.connectionLimits = connectionLimits
        self.grpc = grpc
        self.console = console
        self.host = host
        self.port = port
        self.database = database
        self.policies = policies
        self.logLevel = logLevel
        self.bootstrapKey = bootstrapKey
        self.rateLimits = rateLimits
        self.jwt = jwt
        self.jobWorkers = jobWorkers
        self.eventBuffer = eventBuffer
        self.blobFolder = blobFolder ?? Self.defaultBlobFolder(for: database)
        self.trustedProxies = trustedProxies
        // Without one (tests), a key for this process only: shares made now open only here.
        self.secretKey = secretKey ?? SecureRandom.bytes(32)
        self.shareLimits = shareLimits
    }

    /// The data folder of the default files (the secret key): beside the SQLite file, `.data`
    /// with PostgreSQL.
    public static func dataFolder(for database: DatabaseURL) -> String {
        switch database {
        case .sqlite(let path): (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        case .postgres: ".data"
        }
    }

    /// `configured` (any string of 32 or more characters, hashed to 32 bytes) or the key in
    /// `folder/secret.key`, created (mode 0600) when missing.
    public static func loadSecretKey(configured: String?, folder: String) throws -> [UInt8] {
        if let configured {
            guard configured.count >= 32 else { throw SettingsError("AUTHZ_SECRET_KEY must be at least 32 characters") }
            return Digest.blake2b(Array(configured.utf8))
        }
        let path = (folder as NSString).appendingPathComponent("secret.key")
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw SettingsError("\(path) must hold exactly 32 bytes") }
            return Array(data)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = SecureRandom.bytes(32)
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw SettingsError("cannot write \(path)")
        }
        return key
    }

    public static func defaultBlobFolder(for database: DatabaseURL) -> String {
        switch database {
        case .sqlite(let path): ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("blobs")
        case .postgres: ".data/blobs"
        }
    }
}
