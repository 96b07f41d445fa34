/// Compares real output with a transcript. In an expected line `...` matches any text; a line
/// that is only `...` matches any number of lines.
public enum OutputMatcher {
  public static func lineMatches(_ pattern: String, _ actual: String) -> Bool {
    let pieces = split(Array(pattern.utf8))
    guard pieces.count > 1 else { return pattern == actual }
    let text = Array(actual.utf8)
    guard text.starts(with: pieces[0]) else { return false }
    var position = pieces[0].count
    for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
      guard let found = find(piece, in: text, from: position) else { return false }
      position = found + piece.count
    }
    let last = pieces[pieces.count - 1]
    return text.count - position >= last.count && text.suffix(last.count).elementsEqual(last)
  }

  /// The parts of a pattern between its `...`.
  private static func split(_ pattern: [UInt8]) -> [[UInt8]] {
    var pieces: [[UInt8]] = [[]]
    var index = 0
    while index < pattern.count {
      if index + 2 < pattern.count + 0, pattern[index] == 46, pattern[index + 1] == 46,
        pattern[index + 2] == 46
      {
        pieces.append([])
        index += 3
      } else {
        pieces[pieces.count - 1].append(pattern[index])
        index += 1
      }
    }
    return pieces
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard needle.count <= haystack.count - start else { return nil }
    var index = start
    while index + needle.count <= haystack.count {
      if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  public static func matches(_ expected: [String], _ actual: [String]) -> Bool {
    // match[i][j]: expected[i...] matches actual[j...]
    let e = expected.count, a = actual.count
    var match = [[Bool]](repeating: [Bool](repeating: false, count: a + 1), count: e + 1)
    match[e][a] = true
    for i in stride(from: e - 1, through: 0, by: -1) {
      for j in stride(from: a, through: 0, by: -1) {
        if expected[i] == "..." {
          match[i][j] = match[i + 1][j] || (j < a && match[i][j + 1])
        } else {
          match[i][j] = j < a && lineMatches(expected[i], actual[j]) && match[i + 1][j + 1]
        }
      }
    }
    return match[0][0]
  }

  /// Pairs expected and actual lines that match, in order (a longest common subsequence).
  static func alignment(_ expected: [String], _ actual: [String]) -> [(Int?, Int?)] {
    let e = expected.count, a = actual.count
    var length = [[Int]](repeating: [Int](repeating: 0, count: a + 1), count: e + 1)
    for i in stride(from: e - 1, through: 0, by: -1) {
      for j in stride(from: a - 1, through: 0, by: -1) {
        length[i][j] =
          lineMatches(expected[i], actual[j])
          ? length[i + 1][j + 1] + 1 : max(length[i + 1][j], length[i][j + 1])
      }
    }
    var pairs: [(Int?, Int?)] = []
    var i = 0, j = 0
    while i < e || j < a {
      if i < e, j < a, lineMatches(expected[i], actual[j]), length[i][j] == length[i + 1][j + 1] + 1 {
        pairs.append((i, j))
        i += 1
        j += 1
      } else if i < e, j == a || length[i + 1][j] >= length[i][j + 1] {
        pairs.append((i, nil))
        i += 1
      } else {
        pairs.append((nil, j))
        j += 1
      }
    }
    return pairs
  }

  /// A unified diff of one step: `-` expected lines that did not match, `+` actual lines.
  public static func diff(_ expected: [String], _ actual: [String]) -> [String] {
    alignment(expected, actual).map { pair in
      switch pair {
      case (let i?, _?): " " + expected[i]
      case (let i?, nil): "-" + expected[i]
      case (nil, let j?): "+" + actual[j]
      case (nil, nil): ""
      }
    }
  }

  /// The expected output rewritten from a real run: lines that still match (wildcards among
  /// them) are kept as written, the rest come from the run.
  public static func updated(_ expected: [String], _ actual: [String]) -> [String] {
    if matches(expected, actual) { return expected }
    return alignment(expected, actual).compactMap { pair in
      switch pair {
      case (let i?, _?): expected[i]
      case (nil, let j?): actual[j]
      default: nil
      }
    }
  }
}
