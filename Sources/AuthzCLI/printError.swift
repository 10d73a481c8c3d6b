import Foundation

/// Diagnostics go to standard error so `authz policy test` output stays parseable.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
