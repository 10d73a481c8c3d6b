import Foundation

/// RFC 3339 UTC with fractional seconds, as every timestamp of the API is written.
enum Timestamp {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
