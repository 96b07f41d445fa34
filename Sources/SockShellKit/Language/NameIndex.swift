/// Finds a name among a fixed set: an open-addressed table with a cheap byte hash. Command and
/// constant lookups run for every line of a script, where Swift's seeded String hashing showed,
/// and a small table stays in cache beside the kernel's own work.
public struct NameIndex: Sendable {
  private let names: [String]
  private let values: [Int]
  /// Slot → position in `names`, or -1.
  private let slots: [Int32]
  private let mask: Int

  public init(_ entries: [(name: String, value: Int)]) {
    names = entries.map(\.name)
    values = entries.map(\.value)
    var capacity = 16
    while capacity < entries.count * 4 { capacity *= 2 }
    mask = capacity - 1
    var slots = [Int32](repeating: -1, count: capacity)
    for (position, entry) in entries.enumerated() {
      var slot = NameIndex.hash(entry.name) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(position)
    }
    self.slots = slots
  }

  /// FNV-1a over the UTF-8 bytes.
  private static func hash(_ name: String) -> Int {
    // Over the contiguous bytes: iterating a String's UTF8View costs several times more.
    var name = name
    return name.withUTF8 { bytes in
      var hash: UInt32 = 2_166_136_261
      for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
      return Int(hash)
    }
  }

  public func find(_ name: String) -> Int? {
    var slot = NameIndex.hash(name) & mask
    while true {
      let position = Int(slots[slot])
      if position < 0 { return nil }
      if names[position] == name { return values[position] }
      slot = (slot + 1) & mask
    }
  }
}
