import Foundation
public import Identity
public import Logging

/// Everything `authz serve` is configured by (API.md §6). The command line defines each
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

    public init(
        host: String, port: Int, database: DatabaseURL, policies: String, logLevel: Logger.Level, bootstrapKey: String? = nil,
        rateLimits: RateLimits = RateLimits(), jwt: JWTSettings? = nil, jobWorkers: Int = 4, eventBuffer: Int = 1024, blobFolder: String? = nil
    ) {
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
    }

    public static func defaultBlobFolder(for database: DatabaseURL) -> String {
        switch database {
        case .sqlite(let path): ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("blobs")
        case .postgres: ".data/blobs"
        }
    }
}
