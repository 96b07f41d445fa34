extension Array {
  /// Empties the array and keeps its storage. `removeAll(keepingCapacity:)` goes through a
  /// generic replaceSubrange that costs hundreds of instructions; a line has one or two records.
  @inline(__always)
  mutating func clearKeepingCapacity() {
    while !isEmpty { removeLast() }
  }
}
