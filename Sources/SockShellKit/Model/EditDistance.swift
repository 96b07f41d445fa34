/// Levenshtein distance, used only on the error path to suggest a spelling.
public enum EditDistance {
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// Up to three candidates within a distance that grows with the name's length.
  public static func closest(to name: String, in candidates: [String]) -> [String] {
    // No name sockshell knows is this long; the distance of a pasted megabyte would take seconds.
    guard name.utf8.count <= 64 else { return [] }
    let limit = max(1, name.utf8.count / 3)
    let upper = name.uppercased()
    var scored: [(name: String, distance: Int)] = []
    // Lengths further apart than the limit cannot be within it: skip them without the table.
    for candidate in candidates where abs(candidate.utf8.count - name.utf8.count) <= limit {
      let d = distance(upper, candidate.uppercased())
      if d <= limit { scored.append((candidate, d)) }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
    return scored.prefix(3).map { $0.name }
  }
}
