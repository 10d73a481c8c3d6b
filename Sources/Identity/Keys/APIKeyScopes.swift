import Foundation

/// Scopes as stored: a JSON array of permission names, or NULL for an unscoped key.
package enum APIKeyScopes {
    package static func encode(_ scopes: [String]?) throws -> String? {
        try scopes.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    }

    package static func decode(_ text: String?) throws -> [String]? {
        try text.map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }
}
