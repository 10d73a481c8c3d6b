package import Foundation

/// A payload that writes itself as JSON bytes, for the routes where encoding is most of the
/// cost (checks). Others go through `JSONEncoder`.
package protocol JSONWritable {
    func write(to output: inout JSONOutput)
}
