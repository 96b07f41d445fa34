import Glibc

/// Finds a name among a fixed set: an open-addressed table with a cheap byte hash. Command and
/// constant lookups run for every line of a script, where Swift's seeded String hashing showed,
/// and a small table stays in cache beside the kernel's own work. The names are kept as one run
/// of bytes, so a word can be looked up straight from the line it was typed in.
public struct NameIndex: Sendable {
  /// The names as given, handed back so that a word found here needs no String of its own.
  private let names: [String]
  private let bytes: [UInt8]
  /// Where each name starts in `bytes`; one more entry marks the end of the last.
  private let starts: [Int]
  private let values: [Int]
  /// Slot → position in `starts`, or -1.
  private let slots: [Int32]
  private let mask: Int

  public init(_ entries: [(name: String, value: Int)]) {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    for entry in entries {
      starts.append(bytes.count)
      bytes += entry.name.utf8
    }
    starts.append(bytes.count)
    self.bytes = bytes
    self.starts = starts
    names = entries.map(\.name)
    values = entries.map(\.value)
    var capacity = 16
    while capacity < entries.count * 4 { capacity *= 2 }
    mask = capacity - 1
    var slots = [Int32](repeating: -1, count: capacity)
    for (position, entry) in entries.enumerated() {
      var name = entry.name
      var slot = name.withUTF8 { NameIndex.hash($0) } & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(position)
    }
    self.slots = slots
  }

  /// FNV-1a over the UTF-8 bytes.
  @inline(__always)
  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt32 = 2_166_136_261
    for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    return Int(hash)
  }

  public func find(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
    entry(name).map { values[$0] }
  }

  /// The entry's value and its name as stored.
  public func found(_ name: UnsafeBufferPointer<UInt8>) -> (name: String, value: Int)? {
    entry(name).map { (names[$0], values[$0]) }
  }

  private func entry(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
    var slot = NameIndex.hash(name) & mask
    return bytes.withUnsafeBufferPointer { stored in
      while true {
        let position = Int(slots[slot])
        if position < 0 { return nil }
        let start = starts[position]
        if starts[position + 1] - start == name.count,
          name.isEmpty || memcmp(stored.baseAddress! + start, name.baseAddress!, name.count) == 0
        {
          return position
        }
        slot = (slot + 1) & mask
      }
    }
  }
}
