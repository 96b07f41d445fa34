/// PHP's constructs that look like calls or values but are not functions: arrays (`[…]`,
/// `array(…)`, `key => value`), isset, empty, unset, print and exit/die.
extension Parser {
  /// At `=>` (lexed as `=` then `>`, side by side).
  var atDoubleArrow: Bool {
    tag == .assign && nextTag == .op && upcoming.number == Token.Operator.greater.rawValue
      && upcoming.column == current.column + 1
  }

  /// The items of `[…]` or `array(…)` after the opening bracket, up to the closing one:
  /// `value` or `key => value`, separated by commas, a trailing comma allowed.
  mutating func arrayItems(closing: Token.Tag, opened token: RawToken) throws(SyntaxError) -> Expr {
    let outer = inCommandForm
    inCommandForm = false
    defer { inCommandForm = outer }
    var keys: [Expr?] = []
    var values: [Expr] = []
    let closer = closing == .rightBracket ? "]" : ")"
    while tag != closing {
      if tag == .end {
        throw SyntaxError(
          "'\(closer == "]" ? "[" : "array(")' is never closed with '\(closer)'", column: token.column, unfinished: true)
      }
      let first = try expression()
      if atDoubleArrow {
        advance()
        advance()
        keys.append(first)
        values.append(try expression())
      } else {
        keys.append(nil)
        values.append(first)
      }
      if tag == .comma {
        advance()
      } else if tag != closing {
        throw SyntaxError("expected ',' or '\(closer)' in an array, found \(describe(current))", column: current.column)
      }
    }
    advance()
    return .arrayLiteral(keys: keys, values: values)
  }

  /// `array(…)`, `isset(…)`, `empty(…)` and `unset(…)`: PHP's constructs that look like calls
  /// (the current token is the `(`); nil for any other word.
  mutating func languageConstruct(_ word: UnsafeBufferPointer<UInt8>, _ token: RawToken) throws(SyntaxError)
    -> Expr?
  {
    let isArray = Parser.equalsIgnoringCase(word, "array")
    let isIsset = Parser.equalsIgnoringCase(word, "isset")
    let isEmpty = Parser.equalsIgnoringCase(word, "empty")
    let isUnset = Parser.equalsIgnoringCase(word, "unset")
    guard isArray || isIsset || isEmpty || isUnset else { return nil }
    try nest(token)
    defer { depth -= 1 }
    let open = current.column
    advance()
    if isArray { return try arrayItems(closing: .rightParen, opened: token) }
    let outer = inCommandForm
    inCommandForm = false
    defer { inCommandForm = outer }
    let name = text(token).lowercased()
    var operands: [Expr] = []
    while tag != .rightParen {
      if tag == .end { throw SyntaxError("'(' is never closed with ')'", column: open, unfinished: true) }
      let operand = try expression()
      switch operand {
      case .variable, .index: operands.append(operand)
      default:
        if isEmpty { operands.append(operand) } else {
          throw SyntaxError(
            "\(name)() takes variables and elements such as $a or $a['k'], not an expression", column: current.column)
        }
      }
      if tag == .comma { advance() } else if tag != .rightParen {
        throw SyntaxError("expected ',' or ')' in \(name)(), found \(describe(current))", column: current.column)
      }
    }
    advance()
    if isEmpty {
      guard operands.count == 1 else { throw SyntaxError("empty() takes exactly one value", column: open) }
      return .empty(operands[0])
    }
    guard !operands.isEmpty else { throw SyntaxError("\(name)() needs at least one variable", column: open) }
    return isIsset ? .isset(operands) : .unset(operands)
  }

  /// `print EXPR`: its operand is everything up to an `and`, `or` or `xor` (PHP's precedence for
  /// print), so `print "a" . "b"` prints both and `print "a" and f()` prints "a" only.
  mutating func printConstruct() throws(SyntaxError) -> Expr {
    let token = current
    try nest(token)
    defer { depth -= 1 }
    advance()
    return .print(try binary(above: Precedence.and), column: token.column)
  }

  /// `exit`, `exit()`, `exit(EXPR)`, and the same with `die`.
  mutating func exitConstruct() throws(SyntaxError) -> Expr {
    let token = current
    advance()
    let scriptRules = program?.shell == true
    guard tag == .leftParen else { return .exit(nil, scriptRules: scriptRules, column: token.column) }
    try nest(token)
    defer { depth -= 1 }
    let open = current.column
    advance()
    var value: Expr?
    if tag != .rightParen { value = try expression() }
    try expect(.rightParen, closing: open)
    return .exit(value, scriptRules: scriptRules, column: token.column)
  }
}
