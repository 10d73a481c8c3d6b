import Foundation

extension UnsafeRawBufferPointer {
    /// Whether these bytes are exactly `word`: how both batch scanners recognise a fixed name
    /// without making a string of the bytes.
    func spells(_ word: StaticString) -> Bool {
        self.count == word.utf8CodeUnitCount && (self.isEmpty || memcmp(self.baseAddress!, word.utf8Start, self.count) == 0)
    }
}
