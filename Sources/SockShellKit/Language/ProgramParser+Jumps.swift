/// `switch` and the jumps out of loops and switches: `break N`, `continue N`, and PHP's warning
/// when a `continue` targets a switch.
extension Parser {
  /// `switch (EXPR) { case A: … default: … }`, or `switch (EXPR): … endswitch;`. A case's label
  /// ends with `:` or `;`; `default` may stand anywhere, once. The switch counts as a loop for
  /// `break` and `continue`, as in PHP.
  mutating func switchStatement() throws(SyntaxError) -> ProgramStatement {
    let keyword = current
    try nest(keyword)
    defer { depth -= 1 }
    advance()
    let subject = try parenthesizedCondition(after: "switch")
    let open = current
    let alternative = isOperator(.colon)
    guard tag == .leftBrace || alternative else {
      throw SyntaxError(
        "expected '{' after switch (…) to open its cases, found \(describe(current))",
        column: current.column)
    }
    advance()
    program?.breakables.append(.switchBlock)
    defer { program?.breakables.removeLast() }
    func atClose(_ parser: Parser) -> Bool {
      alternative ? parser.atKeyword("endswitch") : parser.tag == .rightBrace
    }
    var cases: [SwitchCase] = []
    var sawDefault = false
    while true {
      var texts: [ProgramStatement] = []
      takeTexts(into: &texts)
      if !texts.isEmpty {
        throw SyntaxError(
          "text outside <?php ?> cannot stand between a switch's cases", column: current.column)
      }
      if atClose(self) { break }
      if tag == .end {
        throw SyntaxError(
          alternative
            ? "'switch (…):' is never closed with 'endswitch;'"
            : "the switch's '{' is never closed with '}'",
          column: open.column, unfinished: true)
      }
      let label = current
      var value: Expr?
      if atKeyword("case") {
        advance()
        value = try expression()
      } else if atKeyword("default") || atGluedDefault {
        if sawDefault {
          throw SyntaxError("Switch statements may only contain one default clause", column: label.column)
        }
        sawDefault = true
        let glued = atGluedDefault
        advance()
        if glued {
          try caseBody(label: label, value: nil, into: &cases, atClose: atClose)
          continue
        }
      } else {
        throw SyntaxError(
          "expected 'case' or 'default' in the switch, found \(describe(current))", column: current.column)
      }
      guard isOperator(.colon) || tag == .semicolon else {
        throw SyntaxError(
          "expected ':' after the \(value == nil ? "default" : "case's value"), found \(describe(current))",
          column: current.column)
      }
      advance()
      try caseBody(label: label, value: value, into: &cases, atClose: atClose)
    }
    advance()
    if alternative { try expectSemicolon() }
    return .switchOn(subject, cases)
  }

  /// The statements of a case, up to the next label or the switch's end.
  private mutating func caseBody(
    label: RawToken, value: Expr?, into cases: inout [SwitchCase], atClose: (Parser) -> Bool
  ) throws(SyntaxError) {
    var body: [ProgramStatement] = []
    while true {
      takeTexts(into: &body)
      if atKeyword("case") || atKeyword("default") || atGluedDefault || atClose(self) || tag == .end { break }
      body.append(try programStatement())
    }
    cases.append(SwitchCase(label: value, line: lineOf(label), body: body))
  }

  /// `default:` read as one word, as a line of the shell reads `host:port`.
  private var atGluedDefault: Bool {
    tag == .word && Parser.equalsIgnoringCase(bytes(current), "default:")
  }

  /// `break`, `break N`, `continue N`: N is checked against the loops around, as PHP does when it
  /// compiles the file.
  mutating func loopJump() throws(SyntaxError) -> ProgramStatement {
    let isBreak = atKeyword("break")
    let keyword = isBreak ? "break" : "continue"
    let column = current.column
    advance()
    var levels = 1
    if tag == .int {
      levels = current.number
      guard levels >= 1 else {
        throw SyntaxError("'\(keyword)' operator accepts only positive integers", column: current.column)
      }
    }
    // Checked before the number is passed: a mistake found at the end of the text is not one that
    // more text could mend.
    let breakables = program?.breakables ?? []
    guard !breakables.isEmpty else {
      throw SyntaxError("'\(keyword)' not in the 'loop' or 'switch' context", column: column)
    }
    guard levels <= breakables.count else {
      throw SyntaxError("Cannot '\(keyword)' \(levels) levels", column: column)
    }
    if !isBreak, breakables[breakables.count - levels] == .switchBlock {
      warnContinueTargetsSwitch(levels: levels, outermost: levels == breakables.count, column: column)
    }
    if tag == .int { advance() }
    try expectSemicolon()
    return isBreak ? .breakLoops(levels) : .continueLoops(levels)
  }

  /// PHP's compile-time warning for a `continue` that leaves a switch: it works as `break` does,
  /// which is rarely what was meant inside a loop.
  private mutating func warnContinueTargetsSwitch(levels: Int, outermost: Bool, column: Int) {
    let continued = levels == 1 ? "continue" : "continue \(levels)"
    let broken = levels == 1 ? "break" : "break \(levels)"
    var message = "\"\(continued)\" targeting switch is equivalent to \"\(broken)\""
    if !outermost { message += ". Did you mean to use \"continue \(levels + 1)\"?" }
    var token = current
    token.column = column
    let warning = PHPProgram.Warning(message: message, line: lineOf(token))
    program?.warnings.append(warning)
  }
}
