/// How a usage summary is broken down.
public enum UsageGrouping: String, Hashable, Sendable, CaseIterable {
    case provider, team, day
}
