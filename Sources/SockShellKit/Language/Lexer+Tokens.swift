/// Tokens as the tests and the completer see them: each with its payload, and a line still being
/// typed read as far as it lexes, never failing.
extension Lexer {
  /// Tokens of a line (or with `program`, of a PHP program's code) as the tests and tools see
  /// them, each with its payload.
  public static func tokenize(_ line: String, program: Bool = false) throws(SyntaxError) -> [Token] {
    var tokens: [RawToken] = []
    var literals: [UInt8] = []
    let bytes = Array(line.utf8)
    try bytes.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in
      try scan(buffer, into: &tokens, literals: &literals, program: program)
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
    /// The quote of a string left open (or holding a bad escape), or the `<<<` of a heredoc left
    /// open: the tokens stop there.
    var openString: Int?
  }

  /// The tokens of an unfinished line, never failing: completion must read lines the parser
  /// would reject. Braces are tokens, as in a block typed at the prompt.
  static func tokenizeUnfinished(_ line: [UInt8]) -> UnfinishedLine {
    var result = UnfinishedLine()
    var literals: [UInt8] = []
    line.withUnsafeBufferPointer { buffer in
      var scanner = Scanner(line: buffer)
      while true {
        let before = scanner.index
        do throws(SyntaxError) {
          let raw = try scanner.next(literals: &literals)
          var token = Token(kind: kind(of: raw, line: buffer, literals: literals), column: raw.column)
          token.spaceBefore = raw.column - 1 > before
          result.tokens.append(token)
          if raw.tag == .end { return }
        } catch {
          // The rejected token starts at the first byte the scanner did not skip as blank.
          var start = before
          while start < buffer.count, [32, 9, 10, 13].contains(buffer[start]) { start += 1 }
          if error.unfinished || buffer[start] == UInt8(ascii: "\"") || buffer[start] == UInt8(ascii: "'") {
            result.openString = start
            return
          }
          scanner.index = start + 1
          // A brace, which only a program's lexer takes, is a block's.
          if buffer[start] == UInt8(ascii: "{") || buffer[start] == UInt8(ascii: "}") {
            var token = Token(kind: buffer[start] == UInt8(ascii: "{") ? .leftBrace : .rightBrace, column: start + 1)
            token.spaceBefore = start > before
            result.tokens.append(token)
            continue
          }
          result.lastRejected = start
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
    case .leftBrace: .leftBrace
    case .rightBrace: .rightBrace
    case .assign: .assign
    case .coalesceAssign: .coalesceAssign
    case .dot: .dot
    case .pipe: .pipe
    case .op: .op(Token.Operator(rawValue: token.number) ?? .plus)
    case .end: .end
    }
  }
}
