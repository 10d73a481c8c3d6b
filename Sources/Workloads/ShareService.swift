public import APIKeys
public import Foundation
public import Identity
public import JSON

/// Public share links: created with a sealed public snapshot of a job, workflow run or asset,
/// optionally password protected; opened by anyone with the token, through every check of the
/// states table, with wrong passwords locked out per client and per share. Locks and failures
/// live in the store, so they survive restarts and hold on every replica.
public struct ShareService: Sendable {
    public let identity: IdentityService
    public let limits: ShareLimits
    let seal: KeyedHash
    let hasher: PasswordHasher
    let pool: HashingPool
    /// Verified against for unknown tokens, so they cost what a wrong password costs.
    let dummyHash: String

    public init(
        identity: IdentityService,
        secretKey: [UInt8],
        limits: ShareLimits = ShareLimits(),
        hasher: PasswordHasher = .owasp,
        pool: HashingPool = HashingPool()
    ) {
        self.identity = identity
        self.limits = limits
        self.seal = KeyedHash(key: secretKey)
        self.hasher = hasher
        self.pool = pool
        self.dummyHash = hasher.hash(SecureRandom.bytes(32))
    }

    // MARK: Managing

    /// The resource's organization and team become the share's; its public snapshot is taken
    /// now and sealed.
    public func create(
        resourceType: String,
        resourceID: UUID,
        password: String?,
        expiresAt: Date?,
        creator: UUID,
        audit: AuditContext
    ) async throws(IdentityError) -> (IssuedShare, revision: UInt64) {
        let now = self.identity.now()
        if let expiresAt, expiresAt <= now { throw .invalid(field: "expires_at", message: "must be in the future") }
        if let password, !(8...256).contains(password.count) { throw .invalid(field: "password", message: "must be 8 to 256 characters") }
        let (organization, team, snapshot) = try await self.identity.readWorkloads { transaction in
            try await Self.publicView(of: resourceType, resourceID, transaction)
        }
        let hasher = self.hasher
        let passwordHash: String?
        if let password {
            do {
                passwordHash = try await self.pool.run { hasher.hash(Array(password.utf8)) }
            } catch {
                throw .unavailable("hashing: \(error)")
            }
        } else {
            passwordHash = nil
        }
        let id = UUID.timeOrdered(at: now)
        let token = Hex.encode(SecureRandom.bytes(32))
        let text = JSONValue.object(snapshot).text
        let share = Share(
            id: id,
            organizationID: organization,
            teamID: team,
            createdBy: creator,
            resourceType: resourceType,
            resourceID: resourceID,
            tokenDigest: Digest.blake2b(Array(token.utf8)),
            passwordHash: passwordHash,
            snapshot: text,
            mac: self.mac(id: id, resourceType: resourceType, resourceID: resourceID, snapshot: text),
            expiresAt: expiresAt,
            createdAt: now
        )
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            try await transaction.insertShare(share)
            return (
                IssuedShare(share: share, token: token),
                [.resourceCreated(organization: organization, type: Share.resourceType, id: id, team: team, creator: creator)]
            )
        }
    }

    public func share(_ id: UUID) async throws(IdentityError) -> Share? {
        try await self.identity.readWorkloads { try await $0.share(id) }
    }

    public func shares(organization: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [Share] {
        try await self.identity.readWorkloads { try await $0.shares(organization: organization, after: after, limit: limit) }
    }

    /// Revoked at once; revoking again is 409.
    public func revoke(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> (Share, revision: UInt64) {
        let now = self.identity.now()
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            guard var share = try await transaction.share(id) else { throw IdentityError.notFound("share") }
            guard share.revokedAt == nil else { throw IdentityError.conflict("the share is already revoked") }
            try await transaction.revokeShare(id, at: now)
            share.revokedAt = now
            return (share, [.shareRevoked(organization: share.organizationID, share: id)])
        }
    }

    // MARK: Opening

    /// The public snapshot behind `token`, for `client` (its address), or the state that
    /// prevents it. The order is the point: known and live first, then the password (the lock
    /// before any hashing), then the evidence. `isAvailable` says whether the shared resource
    /// still exists.
    public func open(
        token: String,
        password: String?,
        client: String,
        isAvailable: @Sendable (Share) -> Bool
    ) async throws -> [String: JSONValue] {
        let now = self.identity.now()
        let digest = Digest.blake2b(Array(token.utf8))
        guard let share = try await self.identity.readWorkloads({ try await $0.share(tokenDigest: digest) }) else {
            if let password {
                let dummy = self.dummyHash
                _ = try await self.pool.run { PasswordHasher.verify(Array(password.utf8), against: dummy) }
            }
            throw ShareAccessError.notFound
        }
        if share.revokedAt != nil { throw ShareAccessError.revoked }
        if let expiresAt = share.expiresAt, expiresAt <= now { throw ShareAccessError.expired }
        if let hash = share.passwordHash {
            guard let password else { throw ShareAccessError.passwordRequired }
            if let until = try await self.reserveGuess(share, client: client, at: now) {
                try await Task.sleep(for: self.limits.lockedDelay)
                throw ShareAccessError.locked(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))), limit: self.limits.clientFailures)
            }
            let matches: Bool
            do {
                matches = try await self.pool.run { PasswordHasher.verify(Array(password.utf8), against: hash) }
            } catch {
                // Not checked: the guess gives its place back.
                try await self.forgetGuess(share, client: client, at: now)
                throw error
            }
            guard matches else {
                try await self.recordFailure(share, client: client, at: now)
                throw ShareAccessError.wrongPassword
            }
            try await self.forgetGuess(share, client: client, at: now)
        }
        let expected = self.mac(id: share.id, resourceType: share.resourceType, resourceID: share.resourceID, snapshot: share.snapshot)
        guard ConstantTime.equals(expected, share.mac), case .object(let snapshot)? = JSONValue(text: share.snapshot) else {
            throw ShareAccessError.evidenceUnverified
        }
        guard isAvailable(share) else { throw ShareAccessError.artifactFiltered }
        guard PublicSnapshot.isPublic(snapshot) else { throw ShareAccessError.payloadRejected }
        return snapshot
    }

    /// A guess takes its place among the failures before it is hashed, in one write
    /// transaction with the lock and the count: writes are serialised, so however many
    /// guesses arrive at once, no more than the limit are ever checked. Returns the end of the
    /// lock when the guess may not be checked; the place is given back if it proves right.
    func reserveGuess(_ share: Share, client: String, at now: Date) async throws -> Date? {
        let limits = self.limits
        return try await self.identity.writeWorkloads { transaction in
            if let until = try await transaction.shareLock(share: share.id, client: client, at: now) { return (until, []) }
            if let until = try await Self.lockOverLimits(share, client: client, at: now, limits: limits, transaction) { return (until, []) }
            try await transaction.recordShareFailure(share: share.id, client: client, at: now)
            return (nil, [])
        }.0
    }

    func forgetGuess(_ share: Share, client: String, at now: Date) async throws {
        _ = try await self.identity.writeWorkloads { transaction in
            try await transaction.forgetShareFailure(share: share.id, client: client, at: now)
            return ((), [])
        }
    }

    /// Audits the failure (already counted by `reserveGuess`) and locks the client (or the
    /// whole share) once its threshold is reached inside its window.
    func recordFailure(_ share: Share, client: String, at now: Date) async throws {
        let limits = self.limits
        _ = try await self.identity.writeWorkloads { transaction in
            try await IdentityService.appendAudit(
                AuditEvent(
                    organizationID: share.organizationID,
                    context: AuditContext(actorID: nil, clientAddress: client),
                    action: "share.password_failed",
                    targetType: Share.resourceType,
                    targetID: share.id,
                    outcome: .denied,
                    createdAt: now
                ),
                transaction
            )
            _ = try await Self.lockOverLimits(share, client: client, at: now, limits: limits, transaction)
            return ((), [])
        }
    }

    /// Locks the client out of the share once its failures reach the client limit inside its
    /// window, and the share for everyone once all failures reach the share limit; the end of
    /// the first lock set (the client's before the share's), nil when neither limit is reached.
    static func lockOverLimits(
        _ share: Share,
        client: String,
        at now: Date,
        limits: ShareLimits,
        _ transaction: any WorkloadTransaction
    ) async throws -> Date? {
        var ends: [Date] = []
        let byClient = try await transaction.countShareFailures(
            share: share.id,
            client: client,
            since: now.addingTimeInterval(-limits.clientWindow.seconds)
        )
        if byClient >= limits.clientFailures {
            let until = now.addingTimeInterval(limits.clientLock.seconds)
            try await transaction.lockShare(share: share.id, client: client, until: until)
            ends.append(until)
        }
        let byAnyone = try await transaction.countShareFailures(
            share: share.id,
            client: nil,
            since: now.addingTimeInterval(-limits.shareWindow.seconds)
        )
        if byAnyone >= limits.shareFailures {
            let until = now.addingTimeInterval(limits.shareLock.seconds)
            try await transaction.lockShare(share: share.id, client: "", until: until)
            ends.append(until)
        }
        return ends.first
    }

    /// What the MAC covers: the share, what it points at, and the snapshot, so a snapshot
    /// cannot be edited or moved to another share.
    func mac(id: UUID, resourceType: String, resourceID: UUID, snapshot: String) -> [UInt8] {
        self.seal.digest(Array("\(id.uuidString.lowercased())\n\(resourceType)\n\(resourceID.uuidString.lowercased())\n\(snapshot)".utf8))
    }

    /// The organization, team and public snapshot of a shareable resource.
    static func publicView(
        of type: String,
        _ id: UUID,
        _ transaction: any WorkloadTransaction
    ) async throws -> (organization: UUID, team: UUID?, snapshot: [String: JSONValue]) {
        switch type {
        case Job.resourceType:
            guard let job = try await transaction.job(id) else { throw IdentityError.notFound("job") }
            return (job.organizationID, job.teamID, PublicSnapshot.of(job))
        case WorkflowRun.resourceType:
            guard let run = try await transaction.workflowRun(id) else { throw IdentityError.notFound("workflow run") }
            let definition = try await transaction.workflowDefinition(run.definitionID)
            return (run.organizationID, run.teamID, PublicSnapshot.of(run, definition: definition))
        case Asset.resourceType:
            guard let asset = try await transaction.asset(id) else { throw IdentityError.notFound("asset") }
            return (asset.organizationID, asset.teamID, PublicSnapshot.of(asset))
        default:
            throw IdentityError.invalid(field: "resource.type", message: "must be job, workflow_run or asset")
        }
    }
}
