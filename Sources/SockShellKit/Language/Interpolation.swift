/// PHP's interpolation in double-quoted strings and heredocs: `"$x"`, `"$x[0]"`, `"$x[key]"`,
/// `"$x[$i]"`, `"${x}"`, `"{$x}"`, `"{$a['k'][0]}"`. The lexer hands over the raw text between
/// the quotes, or of a heredoc's lines (escapes not yet decoded, a heredoc's indentation not yet
/// removed); this splits it into literal parts and expressions.
extension Parser {
  mutating func interpolation(_ token: RawToken) throws(SyntaxError) -> Expr {
    // Each `{$…}` is parsed by a parser of its own, one level deeper than this one.
    try nest(token)
    defer { depth -= 1 }
    let raw = Array(literals[token.start..<token.end])
    let isHeredoc = token.number == 2
    // The indentation of the heredoc's closing line, removed from each line of literal text.
    let indentation = isHeredoc ? Int(token.double) : 0
    // The raw text begins one byte after the opening quote, or on the line after `<<<EOT`.
    var base = token.column + 1
    if isHeredoc {
      var at = token.column - 1
      while at < line.count, line[at] != 10 { at += 1 }
      base = at + 2
    }
    var parts: [Expr] = []
    var text: [UInt8] = []
    var i = 0
    func flush() {
      if !text.isEmpty {
        parts.append(.literal(.bytes(text)))
        text.removeAll()
      }
    }
    try raw.withUnsafeBufferPointer { (bytes) throws(SyntaxError) in
      func skipIndentation() {
        let lineStart = i
        while i < bytes.count, i - lineStart < indentation, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
      }
      skipIndentation()
      while i < bytes.count {
        let c = bytes[i]
        if c == 92, i + 1 < bytes.count, !(isHeredoc && bytes[i + 1] == 10) {
          i += 1
          do throws(SyntaxError) {
            try Lexer.decodeEscape(bytes, at: &i, into: &text, inHeredoc: isHeredoc)
          } catch {
            throw SyntaxError(error.message, column: error.column + base - 1)
          }
        } else if c == UInt8(ascii: "$"), i + 1 < bytes.count, Lexer.isLetter(bytes[i + 1]) {
          flush()
          parts.append(try simpleVariable(bytes, at: &i, column: base + i))
        } else if c == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") {
          // "${name}": the deprecated form PHP 8.2 still runs; only a plain name is taken here.
          var end = i + 2
          while end < bytes.count, Lexer.isWordChar(bytes[end]) { end += 1 }
          guard end > i + 2, Lexer.isLetter(bytes[i + 2]), end < bytes.count, bytes[end] == UInt8(ascii: "}")
          else {
            throw SyntaxError("'${' in a string must hold a variable name and '}': \"${name}\"", column: base + i)
          }
          flush()
          parts.append(.variable(String(decoding: bytes[(i + 2)..<end], as: UTF8.self), column: base + i))
          i = end + 1
        } else if c == UInt8(ascii: "{"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "$") {
          flush()
          let end = try closingBrace(bytes, from: i + 1, column: base + i)
          parts.append(try embedded(Array(bytes[(i + 1)..<end]), column: base + i + 1))
          i = end + 1
        } else {
          text.append(c)
          i += 1
          if c == 10 { skipIndentation() }
        }
      }
    }
    flush()
    return .interpolated(parts)
  }

  /// `$name`, then at most one `[…]` of PHP's simple syntax: a number, an unquoted key or a variable.
  private func simpleVariable(_ bytes: UnsafeBufferPointer<UInt8>, at i: inout Int, column: Int) throws(SyntaxError)
    -> Expr
  {
    var end = i + 1
    while end < bytes.count, Lexer.isWordChar(bytes[end]) { end += 1 }
    let variable = Expr.variable(String(decoding: bytes[(i + 1)..<end], as: UTF8.self), column: column)
    i = end
    guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return variable }
    var at = i + 1
    let key: Expr
    if at < bytes.count, Lexer.isDigit(bytes[at]) || bytes[at] == UInt8(ascii: "-") {
      let negative = bytes[at] == UInt8(ascii: "-")
      if negative { at += 1 }
      let start = at
      while at < bytes.count, Lexer.isDigit(bytes[at]) { at += 1 }
      let digits = bytes[start..<at]
      // PHP reads a canonical decimal as an integer key, anything else ("01") as a string key.
      if let number = Int(String(decoding: digits, as: UTF8.self)), !digits.isEmpty,
        digits.count == 1 || digits.first != UInt8(ascii: "0")
      {
        key = .literal(.int(negative ? -number : number))
      } else {
        key = .literal(.bytes((negative ? [UInt8(ascii: "-")] : []) + Array(digits)))
      }
    } else if at < bytes.count, Lexer.isLetter(bytes[at]) {
      let start = at
      while at < bytes.count, Lexer.isWordChar(bytes[at]) { at += 1 }
      key = .literal(.bytes(Array(bytes[start..<at])))
    } else if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "$"), Lexer.isLetter(bytes[at + 1]) {
      let start = at + 1
      at += 1
      while at < bytes.count, Lexer.isWordChar(bytes[at]) { at += 1 }
      key = .variable(String(decoding: bytes[start..<at], as: UTF8.self), column: column + start - i)
    } else {
      throw SyntaxError(
        "in a string, '$x[' takes a number, an unquoted key or a variable; use \"{$x[...]}\" for more",
        column: column + at - i + (end - i))
    }
    guard at < bytes.count, bytes[at] == UInt8(ascii: "]") else {
      throw SyntaxError("in a string, '$x[' must be closed with ']'", column: column)
    }
    i = at + 1
    return .index(variable, key, column: column)
  }

  /// The `}` that closes a `{$…}`, skipping quoted strings and nested braces in the expression.
  private func closingBrace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, column: Int) throws(SyntaxError)
    -> Int
  {
    var at = start
    var braces = 0
    var quote: UInt8?
    while at < bytes.count {
      let c = bytes[at]
      if let q = quote {
        if c == 92 {
          at += 1
        } else if c == q {
          quote = nil
        }
      } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
        quote = c
      } else if c == UInt8(ascii: "{") {
        braces += 1
      } else if c == UInt8(ascii: "}") {
        if braces == 0 { return at }
        braces -= 1
      }
      at += 1
    }
    throw SyntaxError("'{$' in a string is never closed with '}'", column: column)
  }

  /// The expression inside `{$…}`, lexed and parsed on its own; it must be all one expression.
  private func embedded(_ source: [UInt8], column: Int) throws(SyntaxError) -> Expr {
    do {
      return try source.withUnsafeBufferPointer { (buffer) throws(SyntaxError) -> Expr in
        var tokens: [RawToken] = []
        var literals: [UInt8] = []
        try Lexer.scan(buffer, into: &tokens, literals: &literals, program: true)
        var parser = Parser(tokens: tokens, line: buffer, literals: literals, commands: commands)
        parser.depth = depth
        let expr = try parser.expression()
        guard parser.tag == .end else {
          throw SyntaxError("unexpected \(parser.describe(parser.current)) in '{$…}'", column: parser.current.column)
        }
        return expr
      }
    } catch {
      var shifted = error
      shifted.column += column - 1
      throw shifted
    }
  }
}
