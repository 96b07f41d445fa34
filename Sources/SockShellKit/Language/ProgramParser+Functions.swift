/// A program's functions: their declaration (hoisted at the top level), `return` and `global`.
extension Parser {
  /// `function name($a, &$b, $c = EXPR) { … }`, kept in the program's table; a name that a
  /// sockshell command or PHP function has, or that is declared twice, is PHP's compile error.
  mutating func functionDeclaration() throws(SyntaxError) {
    let line = lineOf(current)
    advance()
    let nameToken = current
    let name = text(nameToken)
    if commands.commandName(bytes(nameToken)) != nil {
      throw SyntaxError("Cannot redeclare \(name)()", column: nameToken.column)
    }
    let key = name.lowercased()
    if let earlier = program?.functions[key] {
      let place =
        earlier.line > 0 ? "previously declared on line \(earlier.line)" : "declared earlier in this session"
      throw SyntaxError("Cannot redeclare \(name)() (\(place))", column: nameToken.column)
    }
    advance()
    let open = try openParenthesis(after: "the function's name")
    var parameters: [UserFunction.Parameter] = []
    while tag != .rightParen {
      // A type (`int $a`, `?string $s`) is accepted and not checked.
      if tag == .op, current.number == Token.Operator.question.rawValue { advance() }
      if tag == .word { advance() }
      var byReference = false
      if tag == .op, current.number == Token.Operator.amp.rawValue {
        byReference = true
        advance()
      }
      guard tag == .variable else {
        throw SyntaxError("expected a parameter such as $name, found \(describe(current))", column: current.column)
      }
      let parameter = text(current)
      if parameters.contains(where: { $0.name == parameter }) {
        throw SyntaxError("Redefinition of parameter $\(parameter)", column: current.column)
      }
      advance()
      var defaultValue: Expr?
      if tag == .assign {
        advance()
        defaultValue = try expression()
      }
      parameters.append(UserFunction.Parameter(name: parameter, byReference: byReference, defaultValue: defaultValue))
      if tag == .comma {
        advance()
      } else if tag != .rightParen {
        throw SyntaxError(
          "expected ',' or ')' in the parameters of \(name), found \(describe(current))", column: current.column)
      }
    }
    try expect(.rightParen, closing: open)
    // A return type (`: int`, `: ?array`) is accepted and not checked.
    if tag == .op, current.number == Token.Operator.colon.rawValue {
      advance()
      if tag == .op, current.number == Token.Operator.question.rawValue { advance() }
      if tag == .word { advance() }
    }
    guard tag == .leftBrace else {
      throw SyntaxError("expected '{' to open the body of \(name), found \(describe(current))", column: current.column)
    }
    // The body is parsed as a block: its nesting counts against the parser's bound, and no loop
    // of the program encloses it for `break`.
    let outerBreakables = program?.breakables ?? []
    program?.breakables = []
    defer { program?.breakables = outerBreakables }
    guard case .block(let body) = try programStatement() else { return }
    program?.functions[key] = UserFunction(name: name, parameters: parameters, body: body, line: line)
  }

  /// `return;` or `return EXPR;`
  mutating func returnStatement() throws(SyntaxError) -> ProgramStatement {
    let line = lineOf(current)
    advance()
    var value: Expr?
    if tag != .semicolon { value = try expression() }
    try expectSemicolon()
    return .returnValue(value, line: line)
  }

  /// `global $a, $b;`
  mutating func globalStatement() throws(SyntaxError) -> ProgramStatement {
    advance()
    var names: [String] = []
    while true {
      guard tag == .variable else {
        throw SyntaxError("expected a variable after 'global', found \(describe(current))", column: current.column)
      }
      names.append(text(current))
      advance()
      guard tag == .comma else { break }
      advance()
    }
    try expectSemicolon()
    return .global(names)
  }
}
