/// Finds a name among a fixed set without hashing: names are bucketed by length and first byte,
/// and a bucket holds one or two names whose comparison is a word compare for short strings.
/// Command and constant lookups run for every line of a script, where String hashing showed up.
public struct NameIndex: Sendable {
  private var buckets: [[(name: String, value: Int)]]

  public init(_ entries: [(name: String, value: Int)]) {
    buckets = Array(repeating: [], count: 64 * 128)
    for entry in entries { buckets[NameIndex.bucket(entry.name)].append(entry) }
  }

  private static func bucket(_ name: String) -> Int {
    let utf8 = name.utf8
    return (utf8.count & 63) * 128 + Int((utf8.first ?? 0) & 127)
  }

  public func find(_ name: String) -> Int? {
    for entry in buckets[NameIndex.bucket(name)] where entry.name == name { return entry.value }
    return nil
  }
}
