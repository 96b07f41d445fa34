/// A PHP file's lines taken apart as PHP takes them: text outside `<?php … ?>` is printed as it
/// is, code inside runs. A `#!` first line is skipped, and the newline right after `?>` is eaten,
/// as PHP does. A file that does not start with `<?php` (after a `#!` line) is all code: a
/// sockshell script.
public struct PHPFileText {
  public enum Part: Equatable, Sendable {
    /// Printed as it is.
    case text([UInt8])
    /// Statements to run.
    case code(ArraySlice<UInt8>)
  }

  private var inCode = true
  private var lineNumber = 0
  /// The label of a heredoc or nowdoc the code has opened and not yet closed: its lines are
  /// the string's, and a `?>` in them is text, not the end of the code.
  private var heredocLabel: [UInt8]?
  /// The first line of code has been seen: whether the file is PHP is known.
  public private(set) var decided = false
  /// The file uses PHP's tags (it opened with `<?php`).
  public private(set) var isPHP = false

  public init() {}

  private static let open = Array("<?php".utf8)
  private static let close = Array("?>".utf8)

  /// The parts of the next line of the file, in order.
  public mutating func parts(of line: ArraySlice<UInt8>) -> [Part] {
    lineNumber += 1
    if lineNumber == 1, line.starts(with: [35, 33]) { return [] }  // #!
    if !decided {
      decided = true
      let trimmed = line.drop { $0 == 32 || $0 == 9 }
      if trimmed.starts(with: PHPFileText.open) {
        isPHP = true
        inCode = false
      }
    }
    guard isPHP else { return [.code(line)] }
    var parts: [Part] = []
    var rest = line[...]
    while true {
      var scanned = rest
      if inCode, let label = heredocLabel {
        guard let end = PHPFileText.heredocEnd(of: label, in: rest) else {
          parts.append(.code(rest))
          break
        }
        heredocLabel = nil
        // The code after the closing label goes on as any other.
        scanned = rest[end...]
      }
      if inCode {
        let (found, opened) = PHPFileText.closingTag(in: scanned)
        guard let close = found else {
          heredocLabel = opened
          if !rest.isEmpty { parts.append(.code(rest)) }
          break
        }
        // Even blank, the code before `?>` is kept: the tag ends its statement as a `;` does.
        parts.append(.code(rest[..<close]))
        rest = rest[(close + 2)...]
        inCode = false
        // PHP eats the line's end right after `?>`: text on the same line still prints.
        if rest.isEmpty { break }
      } else {
        guard let open = PHPFileText.firstIndex(of: PHPFileText.open, in: rest) else {
          parts.append(.text(Array(rest) + [10]))
          break
        }
        if open > rest.startIndex { parts.append(.text(Array(rest[..<open]))) }
        rest = rest[(open + PHPFileText.open.count)...]
        inCode = true
      }
    }
    return parts
  }

  private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = haystack.startIndex
    while index + needle.count <= haystack.endIndex {
      if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  /// Where `?>` ends the code, outside quoted strings (in PHP it ends a `//` comment too); when
  /// there is none, the label of a heredoc or nowdoc that the line opens at its end.
  private static func closingTag(in code: ArraySlice<UInt8>) -> (close: Int?, heredoc: [UInt8]?) {
    var quote: UInt8?
    var index = code.startIndex
    while index < code.endIndex {
      let byte = code[index]
      if let open = quote {
        if byte == 92 {
          index += 2
          continue
        }
        if byte == open { quote = nil }
      } else if byte == 34 || byte == 39 {
        quote = byte
      } else if byte == 63, index + 1 < code.endIndex, code[index + 1] == 62 {
        return (index, nil)
      } else if byte == 60, let label = heredocLabel(openedAt: index, in: code) {
        return (nil, label)
      }
      index += 1
    }
    return (nil, nil)
  }

  /// `<<<LABEL`, `<<<"LABEL"` or `<<<'LABEL'` at `index`, ending the line: the label.
  private static func heredocLabel(openedAt index: Int, in code: ArraySlice<UInt8>) -> [UInt8]? {
    guard code[index...].starts(with: [60, 60, 60]) else { return nil }
    var rest = code[(index + 3)...].drop { $0 == 32 || $0 == 9 }
    var quote: UInt8?
    if let first = rest.first, first == 34 || first == 39 {
      quote = first
      rest = rest.dropFirst()
    }
    let label = rest.prefix { Lexer.isWordChar($0) }
    guard let first = label.first, !Lexer.isDigit(first) else { return nil }
    rest = rest[label.endIndex...]
    if let quote {
      guard rest.first == quote else { return nil }
      rest = rest.dropFirst()
    }
    guard rest.isEmpty || rest.elementsEqual([13]) else { return nil }
    return Array(label)
  }

  /// Where the closing label of a heredoc ends, if `line` holds it: after blanks, the label not
  /// followed by more of a name.
  private static func heredocEnd(of label: [UInt8], in line: ArraySlice<UInt8>) -> Int? {
    let start = line.drop { $0 == 32 || $0 == 9 }
    guard start.starts(with: label) else { return nil }
    let end = start.startIndex + label.count
    guard end == line.endIndex || !Lexer.isWordChar(line[end]) else { return nil }
    return end
  }
}
