package import Foundation

/// A payload that writes itself as JSON bytes, for the routes where encoding is most of the
/// cost (checks). Others go through `JSONEncoder`.
package protocol JSONWritable {
    func write(to output: inout JSONOutput)
    /// About how many bytes `write` writes: the output is reserved once at that size instead
    /// of growing (and copying) through a large answer.
    var sizeHint: Int { get }
}

extension JSONWritable {
    package var sizeHint: Int { 512 }
}
