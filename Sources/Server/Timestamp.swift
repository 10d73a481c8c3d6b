import Foundation

/// RFC 3339 UTC with fractional seconds, as every timestamp of the API is written.
enum Timestamp {
    /// `2026-03-19T12:00:00.250Z`, the same text `ISO8601FormatStyle` writes with fractional
    /// seconds, by arithmetic: every response carries one, and the format style cost a
    /// calendar lookup each time.
    static func format(_ date: Date) -> String {
        // Whole seconds, then the fraction truncated to milliseconds, as Foundation does.
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        let milliseconds = min(999, Int(((interval - whole) * 1000).rounded(.down)))
        let seconds = Int64(whole)
        let days = Int((seconds - ((seconds % 86_400) + 86_400) % 86_400) / 86_400)
        let secondOfDay = Int(((seconds % 86_400) + 86_400) % 86_400)
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // Written straight into the string's storage: one allocation per timestamp (every
        // response has one), not a scratch array and then the string.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            func digits(_ value: Int, _ count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            digits(year, 4)
            put(UInt8(ascii: "-"))
            digits(month, 2)
            put(UInt8(ascii: "-"))
            digits(day, 2)
            put(UInt8(ascii: "T"))
            digits(secondOfDay / 3600, 2)
            put(UInt8(ascii: ":"))
            digits(secondOfDay / 60 % 60, 2)
            put(UInt8(ascii: ":"))
            digits(secondOfDay % 60, 2)
            put(UInt8(ascii: "."))
            digits(milliseconds, 3)
            put(UInt8(ascii: "Z"))
            return index
        }
    }

    /// With or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: false).parse(text))
    }
}
