/// The store in use keeps identities but not workloads (no store this package ships).
public struct WorkloadsUnsupported: Error, CustomStringConvertible {
    public var description: String { "the store does not keep jobs, workflows, shares, assets or usage" }
}
