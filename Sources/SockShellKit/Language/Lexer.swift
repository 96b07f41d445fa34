/// Splits one line into tokens. Works on bytes: the per-line path stays free of regexes and
/// Foundation, and string literals may hold any byte.
public struct Lexer {
  private let bytes: ArraySlice<UInt8>
  private let base: Int
  private var index: Int

  public init(_ line: String) { self.init(bytes: Array(line.utf8)[...]) }
  public init(bytes: [UInt8]) { self.init(bytes: bytes[...]) }

  /// A line inside a larger buffer (a script file), lexed where it lies.
  public init(bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    self.base = bytes.startIndex
    self.index = bytes.startIndex
  }

  public static func tokenize(_ line: String) throws(SyntaxError) -> [Token] {
    var lexer = Lexer(line)
    return try lexer.tokenize()
  }

  public mutating func tokenize() throws(SyntaxError) -> [Token] {
    var tokens: [Token] = []
    tokens.reserveCapacity(16)
    try tokenize(into: &tokens)
    return tokens
  }

  /// Fills `tokens`, emptied first with its storage kept, so a script reuses one buffer.
  public mutating func tokenize(into tokens: inout [Token]) throws(SyntaxError) {
    tokens.clearKeepingCapacity()
    while true {
      let before = index
      var token = try next()
      token.spaceBefore = base + token.column - 1 > before
      tokens.append(token)
      if token.kind == .end { return }
    }
  }

  /// Where `[::1]` or `[fe80::1%lo]` ends, when the bracket at `index` opens an IPv6 address:
  /// hex digits, colons (at least two), dots and a `%scope`, then `]`.
  private func bracketedIPv6End() -> Int? {
    var at = index + 1
    var colons = 0
    while at < bytes.endIndex {
      let c = bytes[at]
      if c == UInt8(ascii: "]") {
        guard colons >= 2 else { return nil }
        // `[::1]:5353`: the port written in belongs to the same word.
        var end = at + 1
        if end + 1 < bytes.endIndex, bytes[end] == UInt8(ascii: ":"), Lexer.isDigit(bytes[end + 1]) {
          end += 1
          while end < bytes.endIndex, Lexer.isDigit(bytes[end]) { end += 1 }
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

  private func peek(_ offset: Int = 0) -> UInt8? {
    let at = index + offset
    return at < bytes.endIndex ? bytes[at] : nil
  }

  private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 || c == 95 }
  private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
  private static func isWordChar(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c >= 0x80 }
  /// Characters that join the parts of an address, a path or a name: `127.0.0.1`, `::1`, `/tmp/s.sock`.
  private static func isJoiner(_ c: UInt8) -> Bool {
    c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") || c == UInt8(ascii: "-")
      || c == UInt8(ascii: "@") || c == UInt8(ascii: "%") || c == UInt8(ascii: "~")
  }

  private mutating func next() throws(SyntaxError) -> Token {
    while let c = peek(), c == 32 || c == 9 || c == 10 || c == 13 { index += 1 }
    let start = index
    let column = start - base + 1
    guard let c = peek() else { return Token(kind: .end, column: column) }

    switch c {
    case UInt8(ascii: "%"):
      guard let d = peek(1), Lexer.isDigit(d) else {
        throw SyntaxError("'%' must be followed by an iovec number (%1)", column: column)
      }
      index += 1
      let digits = scanWhile(Lexer.isDigit)
      guard let number = Int(digits) else { throw SyntaxError("iovec number too large", column: column) }
      return Token(kind: .iovec(number), column: column)
    case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
      index = bytes.endIndex
      return Token(kind: .end, column: column)
    case UInt8(ascii: "#"):
      if let d = peek(1), Lexer.isDigit(d) {
        index += 1
        let digits = scanWhile(Lexer.isDigit)
        guard let number = Int(digits) else { throw SyntaxError("handle number too large", column: column) }
        return Token(kind: .handle(number), column: column)
      }
      index = bytes.endIndex
      return Token(kind: .end, column: column)
    case UInt8(ascii: "$"):
      index += 1
      guard let first = peek(), Lexer.isLetter(first) else {
        throw SyntaxError("'$' must be followed by a variable name", column: column)
      }
      return Token(kind: .variable(scanWhile(Lexer.isWordChar)), column: column)
    case UInt8(ascii: "\""):
      return Token(kind: .string(try scanDoubleQuoted(column: column)), column: column)
    case UInt8(ascii: "'"):
      return Token(kind: .string(try scanSingleQuoted(column: column)), column: column)
    case UInt8(ascii: "("): index += 1; return Token(kind: .leftParen, column: column)
    case UInt8(ascii: ")"): index += 1; return Token(kind: .rightParen, column: column)
    case UInt8(ascii: "["):
      if let end = bracketedIPv6End() {
        // `[::1]`: IPv6's bracket notation is an address, not a list.
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        index = end
        return Token(kind: .word(text), column: column)
      }
      index += 1
      return Token(kind: .leftBracket, column: column)
    case UInt8(ascii: "]"): index += 1; return Token(kind: .rightBracket, column: column)
    case UInt8(ascii: ","): index += 1; return Token(kind: .comma, column: column)
    case UInt8(ascii: "|"): index += 1; return Token(kind: .pipe, column: column)
    case UInt8(ascii: ";"): index += 1; return Token(kind: .semicolon, column: column)
    case UInt8(ascii: "="): index += 1; return Token(kind: .assign, column: column)
    case UInt8(ascii: "?") where peek(1) == UInt8(ascii: "?") && peek(2) == UInt8(ascii: "="):
      index += 3
      return Token(kind: .coalesceAssign, column: column)
    case UInt8(ascii: "."):
      // `./file` and `../file` are paths; any other dot is concatenation.
      if peek(1) == UInt8(ascii: "/") || (peek(1) == UInt8(ascii: ".") && peek(2) == UInt8(ascii: "/")) {
        return word(from: start, column: column)
      }
      index += 1
      return Token(kind: .dot, column: column)
    case UInt8(ascii: "-"):
      if let d = peek(1), Lexer.isDigit(d) { return word(from: start, column: column) }
      // An option word: `handles --all`.
      if peek(1) == UInt8(ascii: "-"), let l = peek(2), Lexer.isLetter(l) {
        return word(from: start, column: column)
      }
      if let l = peek(1), Lexer.isLetter(l) { return word(from: start, column: column) }
      throw SyntaxError("unexpected '-'", column: column)
    default:
      if Lexer.isWordChar(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") || c == UInt8(ascii: "@") {
        return word(from: start, column: column)
      }
      let shown =
        c >= 0x20 && c < 0x7f ? "'\(Character(UnicodeScalar(c)))'" : "byte 0x" + String(c, radix: 16)
      throw SyntaxError("unexpected \(shown)", column: column)
    }
  }

  private mutating func scanWhile(_ predicate: (UInt8) -> Bool) -> String {
    let start = index
    while let c = peek(), predicate(c) { index += 1 }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// A bare word, which may turn out to be a number. Joiners belong to the word only when more
  /// of the word follows, so `$a.$b` and `strrev($x)."\n"` still see `.` as concatenation.
  private mutating func word(from start: Int, column: Int) -> Token {
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
    // From a buffer pointer String takes its fast path; from a slice it validates generically.
    let text = bytes.withUnsafeBufferPointer { buffer in
      String(
        decoding: UnsafeBufferPointer(
          rebasing: buffer[(start - bytes.startIndex)..<(index - bytes.startIndex)]), as: UTF8.self)
    }
    let first = bytes[start]
    guard Lexer.isDigit(first) || first == UInt8(ascii: "-") else {
      return Token(kind: .word(text), column: column)
    }
    return Token(kind: Lexer.number(text) ?? .word(text), column: column)
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

  private mutating func scanDoubleQuoted(column: Int) throws(SyntaxError) -> [UInt8] {
    index += 1
    var out: [UInt8] = []
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "\"") { return out }
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
          throw SyntaxError("\\x must be followed by one or two hex digits", column: index - base)
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

  private mutating func scanSingleQuoted(column: Int) throws(SyntaxError) -> [UInt8] {
    index += 1
    var out: [UInt8] = []
    while let c = peek() {
      index += 1
      if c == UInt8(ascii: "'") { return out }
      if c == 92, let e = peek(), e == UInt8(ascii: "'") || e == 92 {
        index += 1
        out.append(e)
      } else {
        out.append(c)
      }
    }
    throw SyntaxError("unterminated string (a ' is missing)", column: column)
  }

  private static func hexValue(_ c: UInt8) -> Int? {
    switch c {
    case 48...57: Int(c - 48)
    case 65...70: Int(c - 55)
    case 97...102: Int(c - 87)
    default: nil
    }
  }
}
