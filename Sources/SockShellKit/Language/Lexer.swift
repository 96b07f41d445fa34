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
  @inline(__always)
  static func text(_ token: RawToken, _ line: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: line[token.start..<token.end]), as: UTF8.self)
  }

  /// Fills `tokens` (emptied first, its storage kept, so a script reuses one buffer); string
  /// literals are decoded into `literals`, which their tokens point into.
  /// With `program`, the bytes are a whole PHP program: a `//` or `#` comment ends at the line's
  /// end rather than ending the input, and `/* … */` comments are skipped. `phpOnly` (a PHP
  /// file's code, which it is by default) reads words as PHP alone; without it, statements of the
  /// shell over several lines keep command form's handles, addresses and paths.
  static func scan(
    _ line: UnsafeBufferPointer<UInt8>, into tokens: inout [RawToken], literals: inout [UInt8],
    program: Bool = false, phpOnly: Bool? = nil
  ) throws(SyntaxError) {
    tokens.clearKeepingCapacity()
    literals.clearKeepingCapacity()
    var scanner = Scanner(line: line)
    scanner.program = program
    scanner.phpOnly = phpOnly ?? program
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
struct Scanner {
  let line: UnsafeBufferPointer<UInt8>
  var index = 0
  /// The token before this one ends a value (`$a`, `5`, `)`): then `-1`, `/x` and `%1` after a
  /// space start a new argument only in the shell's way (space before, none after), and
  /// otherwise are operators.
  var afterValue = false
  /// Scanning a whole PHP program, in which newlines are blanks like any other.
  var program = false
  /// Scanning PHP only: a word is a PHP name or number, never one of the shell's addresses, paths,
  /// options, iovecs or handles (`10/5` divides, `PHP_EOL.$x` concatenates, `default:` is a label),
  /// and `#` always starts a comment.
  var phpOnly = false

  init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

  mutating func next(literals: inout [UInt8]) throws(SyntaxError) -> RawToken {
    let token = try scan(literals: &literals)
    switch token.tag {
    case .variable, .handle, .iovec, .int, .double, .string, .word, .rightParen, .rightBracket, .rightBrace:
      afterValue = true
    default:
      afterValue = false
    }
    return token
  }

  func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

  mutating func op(_ op: Token.Operator, length: Int, from start: Int) -> RawToken {
    index += length
    var result = token(.op, from: start)
    result.number = op.rawValue
    return result
  }

  @inline(__always)
  func peek(_ offset: Int = 0) -> UInt8? {
    let at = index + offset
    return at < line.count ? line[at] : nil
  }

  func token(_ tag: Token.Tag, from start: Int) -> RawToken {
    RawToken(tag, column: start + 1, start: start, end: index)
  }

  /// Where `[::1]` or `[fe80::1%lo]` ends, when the bracket at `index` opens an IPv6 address:
  /// hex digits, colons (at least two), dots and a `%scope`, then `]`.
  func bracketedIPv6End() -> Int? {
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
  mutating func digits(_ what: String, column: Int) throws(SyntaxError) -> Int {
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

  /// A name and then `(` start at `position`: `socket_create(`.
  func callFollows(at position: Int) -> Bool {
    var end = position
    guard end < line.count, Lexer.isLetter(line[end]) else { return false }
    while end < line.count, Lexer.isLetter(line[end]) || Lexer.isDigit(line[end]) { end += 1 }
    return end < line.count && line[end] == UInt8(ascii: "(")
  }

  /// In a program, a comment runs to the end of its line (`//`, `#`) or to its `*/`.
  @inline(__always)
  mutating func skipBlanksAndProgramComments() throws(SyntaxError) {
    while let c = peek() {
      if c == 32 || c == 9 || c == 10 || c == 13 {
        index += 1
      } else if program, c == UInt8(ascii: "#") && (phpOnly || peek(1).map(Lexer.isDigit) != true)
        || c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")
      {
        while let c = peek(), c != 10 { index += 1 }
      } else if program, c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
        let column = index + 1
        index += 2
        while peek() != nil, !(peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { index += 1 }
        guard peek() != nil else {
          throw SyntaxError("'/*' comment is never closed with '*/'", column: column, unfinished: true)
        }
        index += 2
      } else {
        return
      }
    }
  }

  mutating func scan(literals: inout [UInt8]) throws(SyntaxError) -> RawToken {
    try skipBlanksAndProgramComments()
    let start = index
    let column = start + 1
    guard let c = peek() else { return token(.end, from: start) }
    // As a shell splits words: a sign or sigil with a space before it and none after starts a
    // new argument (`read $s -1`, `readv $s %1`); with no value before it, it starts one anyway.
    let spaced = start == 0 || isBlank(line[start - 1])
    let startsArgument = !afterValue || (spaced && peek(1).map { !isBlank($0) } == true)

    switch c {
    case UInt8(ascii: "%"):
      guard !phpOnly, let d = peek(1), Lexer.isDigit(d), startsArgument else {
        if peek(1) == UInt8(ascii: "=") { return op(.percentAssign, length: 2, from: start) }
        return op(.percent, length: 1, from: start)
      }
      index += 1
      var result = token(.iovec, from: start)
      result.number = try digits("iovec", column: column)
      result.end = index
      return result
    case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
      index = line.count
      return token(.end, from: start)
    case UInt8(ascii: "/"):
      // `/tmp/s.sock` is a path where an argument starts; anything else divides.
      if !phpOnly, startsArgument, let after = peek(1), Lexer.isLetter(after) || after == UInt8(ascii: ".") {
        return try word(from: start)
      }
      if peek(1) == UInt8(ascii: "=") { return op(.slashAssign, length: 2, from: start) }
      return op(.slash, length: 1, from: start)
    case UInt8(ascii: "+"):
      if peek(1) == UInt8(ascii: "+") { return op(.increment, length: 2, from: start) }
      if peek(1) == UInt8(ascii: "=") { return op(.plusAssign, length: 2, from: start) }
      return op(.plus, length: 1, from: start)
    case UInt8(ascii: "*"):
      if peek(1) == UInt8(ascii: "*") {
        if peek(2) == UInt8(ascii: "=") { return op(.powerAssign, length: 3, from: start) }
        return op(.power, length: 2, from: start)
      }
      if peek(1) == UInt8(ascii: "=") { return op(.starAssign, length: 2, from: start) }
      return op(.star, length: 1, from: start)
    case UInt8(ascii: "&"):
      if peek(1) == UInt8(ascii: "&") { return op(.andAnd, length: 2, from: start) }
      if peek(1) == UInt8(ascii: "=") { return op(.ampAssign, length: 2, from: start) }
      return op(.amp, length: 1, from: start)
    case UInt8(ascii: "^"):
      if peek(1) == UInt8(ascii: "=") { return op(.caretAssign, length: 2, from: start) }
      return op(.caret, length: 1, from: start)
    case UInt8(ascii: "~"):
      return op(.tilde, length: 1, from: start)
    // PHP's `@` before an expression silences its warnings: always in a PHP file; on a line only
    // before a variable or a call (`@$a['k']`, `@socket_create(…)`), since `@name` there is a Unix
    // socket's abstract name.
    case UInt8(ascii: "@") where phpOnly || peek(1) == UInt8(ascii: "$") || callFollows(at: index + 1):
      return op(.at, length: 1, from: start)
    case UInt8(ascii: "!"):
      if peek(1) == UInt8(ascii: "=") {
        if peek(2) == UInt8(ascii: "=") { return op(.notIdentical, length: 3, from: start) }
        return op(.notEqual, length: 2, from: start)
      }
      return op(.bang, length: 1, from: start)
    case UInt8(ascii: "<"):
      if peek(1) == UInt8(ascii: "=") {
        if peek(2) == UInt8(ascii: ">") { return op(.spaceship, length: 3, from: start) }
        return op(.lessEqual, length: 2, from: start)
      }
      if peek(1) == UInt8(ascii: "<") {
        if peek(2) == UInt8(ascii: "<"), let heredoc = try heredoc(from: start, literals: &literals) {
          return heredoc
        }
        if peek(2) == UInt8(ascii: "=") { return op(.shiftLeftAssign, length: 3, from: start) }
        return op(.shiftLeft, length: 2, from: start)
      }
      if peek(1) == UInt8(ascii: ">") { return op(.notEqual, length: 2, from: start) }
      return op(.less, length: 1, from: start)
    case UInt8(ascii: ">"):
      if peek(1) == UInt8(ascii: "=") { return op(.greaterEqual, length: 2, from: start) }
      if peek(1) == UInt8(ascii: ">") {
        if peek(2) == UInt8(ascii: "=") { return op(.shiftRightAssign, length: 3, from: start) }
        return op(.shiftRight, length: 2, from: start)
      }
      return op(.greater, length: 1, from: start)
    case UInt8(ascii: ":") where peek(1) != UInt8(ascii: ":"):
      return op(.colon, length: 1, from: start)
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
      let interpolates = try scanDoubleQuoted(column: column, into: &literals)
      var result = RawToken(.string, column: column, start: from, end: literals.count)
      if interpolates { result.number = 1 }
      return result
    case UInt8(ascii: "'"):
      let from = literals.count
      try scanSingleQuoted(column: column, into: &literals)
      return RawToken(.string, column: column, start: from, end: literals.count)
    case UInt8(ascii: "("): index += 1; return token(.leftParen, from: start)
    case UInt8(ascii: ")"): index += 1; return token(.rightParen, from: start)
    case UInt8(ascii: "["):
      if !phpOnly, let end = bracketedIPv6End() {
        // `[::1]`: IPv6's bracket notation is an address, not a list.
        index = end
        return token(.word, from: start)
      }
      index += 1
      return token(.leftBracket, from: start)
    case UInt8(ascii: "]"): index += 1; return token(.rightBracket, from: start)
    // Braces are a program's blocks; on a line they stay the error they were.
    case UInt8(ascii: "{") where program: index += 1; return token(.leftBrace, from: start)
    case UInt8(ascii: "}") where program: index += 1; return token(.rightBrace, from: start)
    case UInt8(ascii: ","): index += 1; return token(.comma, from: start)
    case UInt8(ascii: "|"):
      if peek(1) == UInt8(ascii: "|") { return op(.orOr, length: 2, from: start) }
      if peek(1) == UInt8(ascii: "=") { return op(.pipeAssign, length: 2, from: start) }
      index += 1
      return token(.pipe, from: start)
    case UInt8(ascii: ";"): index += 1; return token(.semicolon, from: start)
    case UInt8(ascii: "="):
      if peek(1) == UInt8(ascii: "=") {
        if peek(2) == UInt8(ascii: "=") { return op(.identical, length: 3, from: start) }
        return op(.equal, length: 2, from: start)
      }
      index += 1
      return token(.assign, from: start)
    case UInt8(ascii: "?") where peek(1) == UInt8(ascii: "?") && peek(2) == UInt8(ascii: "="):
      index += 3
      return token(.coalesceAssign, from: start)
    case UInt8(ascii: "?"):
      if peek(1) == UInt8(ascii: "?") { return op(.coalesce, length: 2, from: start) }
      return op(.question, length: 1, from: start)
    case UInt8(ascii: "."):
      // `./file` and `../file` are paths; any other dot is concatenation.
      if !phpOnly,
        peek(1) == UInt8(ascii: "/") || (peek(1) == UInt8(ascii: ".") && peek(2) == UInt8(ascii: "/"))
      {
        return try word(from: start)
      }
      if let d = peek(1), Lexer.isDigit(d), !afterValue { return try number(from: start) }
      if peek(1) == UInt8(ascii: "=") { return op(.dotAssign, length: 2, from: start) }
      index += 1
      return token(.dot, from: start)
    case UInt8(ascii: "-"):
      // An option word where an argument starts: `handles --all`, `lesson -a`.
      if !phpOnly, spaced, afterValue, peek(1) == UInt8(ascii: "-"), let l = peek(2), Lexer.isLetter(l) {
        return try word(from: start)
      }
      if !phpOnly, spaced, afterValue, let l = peek(1), Lexer.isLetter(l) { return try word(from: start) }
      if peek(1) == UInt8(ascii: "-") { return op(.decrement, length: 2, from: start) }
      if peek(1) == UInt8(ascii: "=") { return op(.minusAssign, length: 2, from: start) }
      return op(.minus, length: 1, from: start)
    default:
      if Lexer.isWordChar(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") || c == UInt8(ascii: "@") {
        return try word(from: start)
      }
      let shown =
        c >= 0x20 && c < 0x7f ? "'\(Character(UnicodeScalar(c)))'" : "byte 0x" + String(c, radix: 16)
      throw SyntaxError("unexpected \(shown)", column: column)
    }
  }

}
