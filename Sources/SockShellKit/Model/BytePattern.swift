/// A byte string to search for, prepared once for many searches (str_replace and explode look for
/// the same needle again and again). Short needles are compared in place; longer ones use
/// Knuth-Morris-Pratt, so a 16 MiB haystack and a long, repetitive needle cost linear time, not
/// their product.
struct BytePattern {
  let needle: [UInt8]
  /// KMP's failure function, for needles longer than `shortNeedle`: Int32 keeps it at four bytes
  /// a needle byte (needles are bounded by the string limit, far below Int32.max).
  private let failure: [Int32]
  private static let shortNeedle = 16

  init(_ needle: [UInt8]) {
    self.needle = needle
    guard needle.count > BytePattern.shortNeedle else {
      failure = []
      return
    }
    var table = [Int32](repeating: 0, count: needle.count)
    var matched = 0
    for index in 1..<needle.count {
      while matched > 0 && needle[index] != needle[matched] { matched = Int(table[matched - 1]) }
      if needle[index] == needle[matched] { matched += 1 }
      table[index] = Int32(matched)
    }
    failure = table
  }

  /// Where the needle first starts at or after `start`; an empty needle is found at `start`.
  func firstIndex(in haystack: [UInt8], from start: Int = 0) -> Int? {
    let count = needle.count
    guard start >= 0, start <= haystack.count, count <= haystack.count - start else { return nil }
    guard count > 0 else { return start }
    if failure.isEmpty {
      let first = needle[0]
      var index = start
      let last = haystack.count - count
      while index <= last {
        if haystack[index] == first {
          var offset = 1
          while offset < count && haystack[index + offset] == needle[offset] { offset += 1 }
          if offset == count { return index }
        }
        index += 1
      }
      return nil
    }
    var matched = 0
    for index in start..<haystack.count {
      while matched > 0 && haystack[index] != needle[matched] { matched = Int(failure[matched - 1]) }
      if haystack[index] == needle[matched] { matched += 1 }
      if matched == count { return index - count + 1 }
    }
    return nil
  }
}
