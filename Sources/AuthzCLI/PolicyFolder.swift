import Foundation

/// The policy folder of a command: the argument, else `AUTHZ_POLICIES`, else `policies`,
/// the same default the server uses (docs/API.md §6).
enum PolicyFolder {
    static func resolve(_ argument: String?) -> String {
        argument ?? ProcessInfo.processInfo.environment["AUTHZ_POLICIES"] ?? "policies"
    }
}
