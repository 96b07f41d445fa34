/// A token as the parser reads it: its kind, where its text lies, and its number. Plain data, so
/// the parser copies tokens freely and no reference is counted; a word becomes a String only
/// when the syntax tree keeps it.
struct RawToken {
  var tag: Token.Tag
  /// Blank space came before the token: in command form `f [1, 2]` is two arguments, `f[1]` one.
  var spaceBefore = false
  /// 1-based, in bytes.
  var column: Int
  /// The text: offsets in the line, or for a string literal in the lexer's decoded bytes.
  var start: Int
  var end: Int
  /// The value of a handle, an iovec or an integer.
  var number = 0
  var double = 0.0

  init(_ tag: Token.Tag, column: Int, start: Int, end: Int) {
    self.tag = tag
    self.column = column
    self.start = start
    self.end = end
  }
}

/// Splits one line into tokens. Works on the line's bytes where they lie (a script's lines are
/// slices of one buffer): no regexes, no Foundation, and string literals may hold any byte.
enum Lexer {
  /// Tokens of a line as the tests and tools see them, each with its payload.
  public static func tokenize(_ line: String) throws(SyntaxError) -> [Token] {
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
    let bytes = Array(line.utf8)
    try bytes.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in
      try scan(buffer, into: &tokens, literals: &literals)
    }
    return bytes.withUnsafeBufferPointer { buffer in
      tokens.map { raw in
        var token = Token(kind: kind(of: raw, line: buffer, literals: literals), column: raw.column)
        token.spaceBefore = raw.spaceBefore
        return token
      }
    }
  }

  /// A line still being typed, as far as it lexes: what completion reads.
  struct UnfinishedLine {
    /// Ending with `.end` (where the line ends or a comment starts) unless a string is open.
    var tokens: [Token] = []
    /// The last byte the lexer rejected; the tokens go on after it.
    var lastRejected: Int?
    /// The quote of a string left open (or holding a bad escape): the tokens stop there.
    var openString: Int?
  }

  /// The tokens of an unfinished line, never failing: completion must read lines the parser
  /// would reject.
  static func tokenizeUnfinished(_ line: [UInt8]) -> UnfinishedLine {
    var result = UnfinishedLine()
    var literals: [UInt8] = []
    line.withUnsafeBufferPointer { buffer in
      var scanner = Scanner(line: buffer)
      while true {
        let before = scanner.index
        do {
          let raw = try scanner.next(literals: &literals)
          var token = Token(kind: kind(of: raw, line: buffer, literals: literals), column: raw.column)
          token.spaceBefore = raw.column - 1 > before
          result.tokens.append(token)
          if raw.tag == .end { return }
        } catch {
          // The rejected token starts at the first byte the scanner did not skip as blank.
          var start = before
          while start < buffer.count, [32, 9, 10, 13].contains(buffer[start]) { start += 1 }
          if buffer[start] == UInt8(ascii: "\"") || buffer[start] == UInt8(ascii: "'") {
            result.openString = start
            return
          }
          result.lastRejected = start
          scanner.index = start + 1
        }
      }
    }
    return result
  }

  /// The payload-carrying kind of a raw token, for messages and tests.
  static func kind(of token: RawToken, line: UnsafeBufferPointer<UInt8>, literals: [UInt8]) -> Token.Kind {
    switch token.tag {
    case .variable: .variable(text(token, line))
    case .word: .word(text(token, line))
    case .handle: .handle(token.number)
    case .iovec: .iovec(token.number)
    case .int: .int(token.number)
    case .double: .double(token.double)
    case .string: .string(Array(literals[token.start..<token.end]))
    case .leftParen: .leftParen
    case .rightParen: .rightParen
    case .leftBracket: .leftBracket
    case .rightBracket: .rightBracket
    case .comma: .comma
    case .semicolon: .semicolon
    case .assign: .assign
    case .coalesceAssign: .coalesceAssign
    case .dot: .dot
    case .pipe: .pipe
    case .end: .end
    }
  }

  @inline(__always)
  static func text(_ token: RawToken, _ line: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: line[token.start..<token.end]), as: UTF8.self)
  }

  /// Fills `tokens` (emptied first, its storage kept, so a script reuses one buffer); string
  /// literals are decoded into `literals`, which their tokens point into.
  static func scan(
    _ line: UnsafeBufferPointer<UInt8>, into tokens: inout [RawToken], literals: inout [UInt8]
  ) throws(SyntaxError) {
    tokens.clearKeepingCapacity()
    literals.clearKeepingCapacity()
    var scanner = Scanner(line: line)
    while true {
      let before = scanner.index
      var token = try scanner.next(literals: &literals)
      token.spaceBefore = token.column - 1 > before
      tokens.append(token)
      if token.tag == .end { return }
    }
  }

  static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 || c == 95 }
  static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  static func isWordChar(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c >= 0x80 }
  /// Characters that join the parts of an address, a path or a name: `127.0.0.1`, `::1`, `/tmp/s.sock`.
  static func isJoiner(_ c: UInt8) -> Bool {
    c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") || c == UInt8(ascii: "-")
      || c == UInt8(ascii: "@") || c == UInt8(ascii: "%") || c == UInt8(ascii: "~")
  }

  /// `5353`, `-1`, `0x1f`, `0.5`; anything else (`127.0.0.1`) stays a word.
  static func number(_ text: String) -> Token.Kind? {
    guard let first = text.utf8.first, isDigit(first) || first == UInt8(ascii: "-") else { return nil }
    if let value = Int(text) { return .int(value) }
    let utf8 = text.utf8
    if first == UInt8(ascii: "0"), utf8.count > 2, utf8.dropFirst().first! | 0x20 == UInt8(ascii: "x"),
      let value = Int(text.dropFirst(2), radix: 16)
    {
      return .int(value)
    }
    let digitsAndOneDot =
      text.utf8.allSatisfy { isDigit($0) || $0 == 46 || $0 == 45 }
      && text.utf8.filter({ $0 == 46 }).count == 1
    if digitsAndOneDot, let value = Double(text) { return .double(value) }
    return nil
  }

  static func hexValue(_ c: UInt8) -> Int? {
    switch c {
    case 48...57: Int(c - 48)
    case 65...70: Int(c - 55)
    case 97...102: Int(c - 87)
    default: nil
    }
  }
}

/// The lexer's cursor over one line.
private struct Scanner {
  let line: UnsafeBufferPointer<UInt8>
  var index = 0

  init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

  @inline(__always)
  private func peek(_ offset: Int = 0) -> UInt8? {
    let at = index + offset
    return at < line.count ? line[at] : nil
  }

  private func token(_ tag: Token.Tag, from start: Int) -> RawToken {
    RawToken(tag, column: start + 1, start: start, end: index)
  }

  /// Where `[::1]` or `[fe80::1%lo]` ends, when the bracket at `index` opens an IPv6 address:
  /// hex digits, colons (at least two), dots and a `%scope`, then `]`.
  private func bracketedIPv6End() -> Int? {
    var at = index + 1
    var colons = 0
    while at < line.count {
      let c = line[at]
      if c == UInt8(ascii: "]") {
        guard colons >= 2 else { return nil }
        // `[::1]:5353`: the port written in belongs to the same word.
        var end = at + 1
        if end + 1 < line.count, line[end] == UInt8(ascii: ":"), Lexer.isDigit(line[end + 1]) {
          end += 1
          while end < line.count, Lexer.isDigit(line[end]) { end += 1 }
        }
        return end
      }
      if c == UInt8(ascii: ":") {
        colons += 1
      } else if !(Lexer.isDigit(c) || (c | 0x20) >= 97 && (c | 0x20) <= 102 || c == UInt8(ascii: ".")
        || c == UInt8(ascii: "%") || (colons > 0 && Lexer.isLetter(c)))
      {
        return nil
      }
      at += 1
    }
    return nil
  }

  /// Digits after a sigil (`#12`, `%3`), as a number.
  private mutating func digits(_ what: String, column: Int) throws(SyntaxError) -> Int {
    var value = 0
    var overflow = false
    while let c = peek(), Lexer.isDigit(c) {
      let product = value.multipliedReportingOverflow(by: 10)
      let sum = product.partialValue.addingReportingOverflow(Int(c - 48))
      overflow = overflow || product.overflow || sum.overflow
      value = sum.partialValue
      index += 1
    }
    if overflow { throw SyntaxError("\(what) number too large", column: column) }
    return value
  }

  mutating func next(literals: inout [UInt8]) throws(SyntaxError) -> RawToken {
    while let c = peek(), c == 32 || c == 9 || c == 10 || c == 13 { index += 1 }
    let start = index
    let column = start + 1
    guard let c = peek() else { return token(.end, from: start) }

    switch c {
    case UInt8(ascii: "%"):
      guard let d = peek(1), Lexer.isDigit(d) else {
        throw SyntaxError("'%' must be followed by an iovec number (%1)", column: column)
      }
      index += 1
      var result = token(.iovec, from: start)
      result.number = try digits("iovec", column: column)
      result.end = index
      return result
    case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
      index = line.count
      return token(.end, from: start)
    case UInt8(ascii: "#"):
      if let d = peek(1), Lexer.isDigit(d) {
        index += 1
        var result = token(.handle, from: start)
        result.number = try digits("handle", column: column)
        result.end = index
        return result
      }
      index = line.count
      return token(.end, from: start)
    case UInt8(ascii: "$"):
      index += 1
      guard let first = peek(), Lexer.isLetter(first) else {
        throw SyntaxError("'$' must be followed by a variable name", column: column)
      }
      while let c = peek(), Lexer.isWordChar(c) { index += 1 }
      // The text is the name, without the `$`.
      return RawToken(.variable, column: column, start: start + 1, end: index)
    case UInt8(ascii: "\""):
      let from = literals.count
      try scanDoubleQuoted(column: column, into: &literals)
      return RawToken(.string, column: column, start: from, end: literals.count)
    case UInt8(ascii: "'"):
      let from = literals.count
      try scanSingleQuoted(column: column, into: &literals)
      return RawToken(.string, column: column, start: from, end: literals.count)
    case UInt8(ascii: "("): index += 1; return token(.leftParen, from: start)
    case UInt8(ascii: ")"): index += 1; return token(.rightParen, from: start)
    case UInt8(ascii: "["):
      if let end = bracketedIPv6End() {
        // `[::1]`: IPv6's bracket notation is an address, not a list.
        index = end
        return token(.word, from: start)
      }
      index += 1
      return token(.leftBracket, from: start)
    case UInt8(ascii: "]"): index += 1; return token(.rightBracket, from: start)
    case UInt8(ascii: ","): index += 1; return token(.comma, from: start)
    case UInt8(ascii: "|"): index += 1; return token(.pipe, from: start)
    case UInt8(ascii: ";"): index += 1; return token(.semicolon, from: start)
    case UInt8(ascii: "="): index += 1; return token(.assign, from: start)
    case UInt8(ascii: "?") where peek(1) == UInt8(ascii: "?") && peek(2) == UInt8(ascii: "="):
      index += 3
      return token(.coalesceAssign, from: start)
    case UInt8(ascii: "."):
      // `./file` and `../file` are paths; any other dot is concatenation.
      if peek(1) == UInt8(ascii: "/") || (peek(1) == UInt8(ascii: ".") && peek(2) == UInt8(ascii: "/")) {
        return word(from: start)
      }
      index += 1
      return token(.dot, from: start)
    case UInt8(ascii: "-"):
      if let d = peek(1), Lexer.isDigit(d) { return word(from: start) }
      // An option word: `handles --all`.
      if peek(1) == UInt8(ascii: "-"), let l = peek(2), Lexer.isLetter(l) { return word(from: start) }
      if let l = peek(1), Lexer.isLetter(l) { return word(from: start) }
      throw SyntaxError("unexpected '-'", column: column)
    default:
      if Lexer.isWordChar(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") || c == UInt8(ascii: "@") {
        return word(from: start)
      }
      let shown =
        c >= 0x20 && c < 0x7f ? "'\(Character(UnicodeScalar(c)))'" : "byte 0x" + String(c, radix: 16)
      throw SyntaxError("unexpected \(shown)", column: column)
    }
  }

  /// A bare word, which may turn out to be a number. Joiners belong to the word only when more
  /// of the word follows, so `$a.$b` and `strrev($x)."\n"` still see `.` as concatenation.
  private mutating func word(from start: Int) -> RawToken {
    index += 1
    while let c = peek() {
      if Lexer.isWordChar(c) {
        index += 1
      } else if Lexer.isJoiner(c), let after = peek(1),
        Lexer.isWordChar(after) || (Lexer.isJoiner(after) && after != UInt8(ascii: "."))
          || (c != UInt8(ascii: ".") && after == UInt8(ascii: "."))
      {
        index += 1
      } else if c == UInt8(ascii: ":") || c == UInt8(ascii: "/") {
        // A trailing `::` or `/` ends an IPv6 prefix or a folder name.
        index += 1
      } else {
        break
      }
    }
    var result = token(.word, from: start)
    let first = line[start]
    guard Lexer.isDigit(first) || first == UInt8(ascii: "-") else { return result }
    if let value = decimal(start..<index) {
      result.tag = .int
      result.number = value
      return result
    }
    switch Lexer.number(String(decoding: UnsafeBufferPointer(rebasing: line[start..<index]), as: UTF8.self)) {
    case .int(let value)?:
      result.tag = .int
      result.number = value
    case .double(let value)?:
      result.tag = .double
      result.double = value
    default: break
    }
    return result
  }

  /// `5353` or `-1` read straight from the bytes; nil for anything else, which takes the
  /// general path (hex, a fraction, a number too large).
  private func decimal(_ range: Range<Int>) -> Int? {
    var at = range.lowerBound
    let negative = line[at] == UInt8(ascii: "-")
    if negative { at += 1 }
    guard at < range.upperBound, range.upperBound - at <= 18 else { return nil }
    var value = 0
    while at < range.upperBound {
      let c = line[at]
      guard Lexer.isDigit(c) else { return nil }
      value = value * 10 + Int(c - 48)
      at += 1
    }
    return negative ? -value : value
  }

  private mutating func scanDoubleQuoted(column: Int, into out: inout [UInt8]) throws(SyntaxError) {
    index += 1
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "\"") { return }
      guard c == 92, let e = peek() else {
        out.append(c)
        continue
      }
      index += 1
      switch e {
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "v"): out.append(11)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "e"): out.append(27)
      case 92, UInt8(ascii: "\""), UInt8(ascii: "$"): out.append(e)
      case UInt8(ascii: "x"):
        var value = 0
        var digits = 0
        while digits < 2, let h = peek(), let nibble = Lexer.hexValue(h) {
          value = value * 16 + nibble
          digits += 1
          index += 1
        }
        guard digits > 0 else {
          throw SyntaxError("\\x must be followed by one or two hex digits", column: index)
        }
        out.append(UInt8(value))
      case 48...55:
        // Octal, one to three digits, as PHP reads "\0" and "\012".
        var value = Int(e - 48)
        var digits = 1
        while digits < 3, let o = peek(), (48...55).contains(o) {
          value = value * 8 + Int(o - 48)
          digits += 1
          index += 1
        }
        out.append(UInt8(value & 0xff))
      default:
        // PHP keeps an unknown escape as written.
        out.append(92)
        out.append(e)
      }
    }
    throw SyntaxError("unterminated string (a \" is missing)", column: column)
  }

  private mutating func scanSingleQuoted(column: Int, into out: inout [UInt8]) throws(SyntaxError) {
    index += 1
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "'") { return }
      if c == 92, let e = peek(), e == UInt8(ascii: "'") || e == 92 {
        index += 1
        out.append(e)
      } else {
        out.append(c)
      }
    }
    throw SyntaxError("unterminated string (a ' is missing)", column: column)
  }
}
