/// PHP's heredoc (`<<<EOT`, `<<<"EOT"`: a double-quoted string without the quotes) and nowdoc
/// (`<<<'EOT'`: no escapes, no interpolation), with PHP 7.3's flexible closing marker: it may be
/// indented, that indentation is removed from every line of the text, and code may follow it on
/// its line (`EOT;`, `EOT)`, `EOT, …`). The newline before the closing line is not part of the
/// text.
extension Scanner {
  /// What the scanner found after `<<<`.
  struct HeredocOpening {
    var label: Range<Int>
    var isNowdoc: Bool
    /// The byte after the opening line's newline.
    var bodyStart: Int
  }

  /// At `<<<`: the heredoc or nowdoc that starts here as a string token, or nil when the `<<<`
  /// opens none (it is then `<<` and `<`, as PHP reads it). The token is a plain literal; a heredoc
  /// that interpolates keeps its raw text instead, its `number` set to 2 and its `double` to the
  /// indentation to remove, for the parser to split (Interpolation.swift).
  mutating func heredoc(from start: Int, literals: inout [UInt8]) throws(SyntaxError) -> RawToken? {
    guard let opening = try heredocOpening(from: start) else { return nil }
    let labelLength = opening.label.count
    let shown = heredocSpelling(opening)
    // The closing line: blanks, then the label not followed by more of a name.
    var lineStart = opening.bodyStart
    var labelAt = 0
    while true {
      var at = lineStart
      while at < line.count, line[at] == 32 || line[at] == 9 { at += 1 }
      if at + labelLength <= line.count, line[at..<(at + labelLength)].elementsEqual(line[opening.label]),
        at + labelLength == line.count || !Lexer.isWordChar(line[at + labelLength])
      {
        labelAt = at
        break
      }
      while at < line.count, line[at] != 10 { at += 1 }
      guard at < line.count else { throw unclosedHeredoc(shown, opening: opening, column: start + 1) }
      lineStart = at + 1
    }
    // The text ends before the newline that ends the line above the closing line.
    var bodyEnd = opening.bodyStart
    if lineStart > opening.bodyStart {
      bodyEnd = lineStart - 1
      if bodyEnd > opening.bodyStart, line[bodyEnd - 1] == 13 { bodyEnd -= 1 }
    }
    let indentation = lineStart..<labelAt
    try checkIndentation(indentation, of: opening.bodyStart..<bodyEnd)
    index = labelAt + labelLength

    let from = literals.count
    var result = RawToken(.string, column: start + 1, start: from, end: from)
    if !opening.isNowdoc && interpolates(opening.bodyStart..<bodyEnd) {
      literals.append(contentsOf: line[opening.bodyStart..<bodyEnd])
      result.number = 2
      result.double = Double(indentation.count)
    } else {
      try decodeHeredoc(
        opening.bodyStart..<bodyEnd, removing: indentation.count, escapes: !opening.isNowdoc, into: &literals)
    }
    result.end = literals.count
    return result
  }

  /// `<<<LABEL`, `<<< "LABEL"` or `<<<'LABEL'` and the end of its line; nil when no label follows.
  private func heredocOpening(from start: Int) throws(SyntaxError) -> HeredocOpening? {
    var at = start + 3
    while at < line.count, line[at] == 32 || line[at] == 9 { at += 1 }
    var quote: UInt8?
    if at < line.count, line[at] == UInt8(ascii: "\"") || line[at] == UInt8(ascii: "'") {
      quote = line[at]
      at += 1
    }
    let labelStart = at
    guard at < line.count, Lexer.isLetter(line[at]) || line[at] >= 0x80 else {
      guard quote == nil else {
        throw SyntaxError("expected a label after '<<<' and its quote, as in <<<'EOT'", column: at + 1)
      }
      return nil
    }
    while at < line.count, Lexer.isWordChar(line[at]) { at += 1 }
    var opening = HeredocOpening(label: labelStart..<at, isNowdoc: quote == UInt8(ascii: "'"), bodyStart: 0)
    if let quote {
      guard at < line.count, line[at] == quote else {
        throw SyntaxError(
          "the label of \(heredocSpelling(opening)) must be closed with \(Character(UnicodeScalar(quote)))",
          column: at + 1)
      }
      at += 1
    }
    if at + 1 < line.count, line[at] == 13, line[at + 1] == 10 { at += 1 }
    guard at < line.count else {
      throw unclosedHeredoc(heredocSpelling(opening), opening: opening, column: start + 1)
    }
    guard line[at] == 10 else {
      throw SyntaxError(
        "\(heredocSpelling(opening)) must end its line: the text starts on the next line", column: at + 1)
    }
    opening.bodyStart = at + 1
    return opening
  }

  /// `<<<EOT`, `<<<"EOT"` or `<<<'EOT'`, as the program wrote it, for messages.
  private func heredocSpelling(_ opening: HeredocOpening) -> String {
    let label = String(decoding: line[opening.label], as: UTF8.self)
    let quote = opening.label.lowerBound > 0 ? line[opening.label.lowerBound - 1] : 0
    switch quote {
    case UInt8(ascii: "\""): return "<<<\"\(label)\""
    case UInt8(ascii: "'"): return "<<<'\(label)'"
    default: return "<<<\(label)"
    }
  }

  private func unclosedHeredoc(_ shown: String, opening: HeredocOpening, column: Int) -> SyntaxError {
    let label = String(decoding: line[opening.label], as: UTF8.self)
    return SyntaxError(
      "\(opening.isNowdoc ? "nowdoc" : "heredoc") \(shown) is never closed: no line ends it with \(label)",
      column: column, unfinished: true)
  }

  /// PHP's rules for the closing line's indentation: spaces or tabs, not both, and every line of
  /// the text indented at least as much (a line of blanks only may be shorter).
  private func checkIndentation(_ indentation: Range<Int>, of body: Range<Int>) throws(SyntaxError) {
    guard !indentation.isEmpty else { return }
    let usingSpaces = line[indentation.lowerBound] == 32
    for at in indentation where (line[at] == 32) != usingSpaces {
      throw SyntaxError("Invalid indentation - tabs and spaces cannot be mixed", column: at + 1)
    }
    guard !body.isEmpty else { return }
    var lineStart = body.lowerBound
    while lineStart <= body.upperBound {
      for skip in 0..<indentation.count {
        let at = lineStart + skip
        guard at < body.upperBound, line[at] != 10, line[at] != 13 else { break }
        if line[at] != 32 && line[at] != 9 {
          throw SyntaxError(
            "Invalid body indentation level (expecting an indentation level of at least \(indentation.count))",
            column: at + 1)
        }
        if (line[at] == 32) != usingSpaces {
          throw SyntaxError("Invalid indentation - tabs and spaces cannot be mixed", column: at + 1)
        }
      }
      guard let newline = line[lineStart..<body.upperBound].firstIndex(of: 10) else { break }
      lineStart = newline + 1
    }
  }

  /// The text holds `$name`, `${` or `{$` outside an escape.
  private func interpolates(_ body: Range<Int>) -> Bool {
    var at = body.lowerBound
    while at < body.upperBound {
      let c = line[at]
      if c == 92 {
        at += 2
        continue
      }
      if c == UInt8(ascii: "$"), at + 1 < body.upperBound,
        Lexer.isLetter(line[at + 1]) || line[at + 1] == UInt8(ascii: "{")
      {
        return true
      }
      if c == UInt8(ascii: "{"), at + 1 < body.upperBound, line[at + 1] == UInt8(ascii: "$") { return true }
      at += 1
    }
    return false
  }

  /// The text line by line, without its indentation, its escapes decoded unless it is a nowdoc.
  private func decodeHeredoc(
    _ body: Range<Int>, removing indentation: Int, escapes: Bool, into out: inout [UInt8]
  ) throws(SyntaxError) {
    guard !body.isEmpty else { return }
    var lineStart = body.lowerBound
    while true {
      let newline = line[lineStart..<body.upperBound].firstIndex(of: 10) ?? body.upperBound
      var contentStart = lineStart
      // Checked already: what is skipped is blanks.
      while contentStart < newline, contentStart - lineStart < indentation,
        line[contentStart] == 32 || line[contentStart] == 9
      {
        contentStart += 1
      }
      if escapes {
        let content = UnsafeBufferPointer(rebasing: line[contentStart..<newline])
        var at = 0
        while at < content.count {
          let c = content[at]
          at += 1
          if c == 92 {
            do {
              try Lexer.decodeEscape(content, at: &at, into: &out, inHeredoc: true)
            } catch {
              throw SyntaxError(error.message, column: error.column + contentStart)
            }
          } else {
            out.append(c)
          }
        }
      } else {
        out.append(contentsOf: line[contentStart..<newline])
      }
      guard newline < body.upperBound else { return }
      out.append(10)
      lineStart = newline + 1
    }
  }
}
