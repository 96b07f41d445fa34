/// Expressions: PHP 8's operators by precedence climbing, unary and postfix forms, and the
/// primary values (literals, variables, constants, lists, calls). Statements and command form
/// are in Parser.swift.
extension Parser {
  /// How tightly each binary operator binds, PHP 8's table from the loosest (`or`) up; the
  /// prefix operators and `**` bind tighter than all of these and are parsed by `unary`.
  enum Precedence {
    static let or = 1, xor = 2, and = 3, assignment = 4, ternary = 5, coalesce = 6, orOr = 7, andAnd = 8
    static let bitOr = 9, bitXor = 10, bitAnd = 11, equality = 12, comparison = 13, concat = 14
    static let shift = 15, additive = 16, multiplicative = 17
  }

  enum BinaryForm {
    case arithmetic(BinaryOperator)
    case logical(LogicalOperator)
    case concat, pipe, ternary
  }

  /// The binary operator at the current token with its precedence, or nil when the expression
  /// ends here.
  func binaryOperator() -> (precedence: Int, form: BinaryForm)? {
    switch tag {
    case .dot: return (Precedence.concat, .concat)
    case .pipe: return (Precedence.bitOr, .pipe)
    case .word:
      // In command form `and`, `or` and `xor` end the arguments: `create inet stream or die`.
      if inCommandForm { return nil }
      if atKeyword("and") { return (Precedence.and, .logical(.and)) }
      if atKeyword("xor") { return (Precedence.xor, .logical(.xor)) }
      // On a line `… or die(…)` ends the statement: the statement takes it. In a program `die`
      // is an expression like any other, as in PHP.
      if atKeyword("or"), program != nil || !isKeyword(upcoming, "die") && !isKeyword(upcoming, "exit") {
        return (Precedence.or, .logical(.or))
      }
      return nil
    case .op:
      guard let op = Token.Operator(rawValue: current.number) else { return nil }
      // In command form a sign with a space before it and none after starts the next argument,
      // as in a shell: `select [$a] null null -1`; `$n - 1` with spaces around subtracts.
      if inCommandForm, op == .minus || op == .plus, current.spaceBefore, !upcoming.spaceBefore {
        return nil
      }
      switch op {
      case .plus: return (Precedence.additive, .arithmetic(.add))
      case .minus: return (Precedence.additive, .arithmetic(.subtract))
      case .star: return (Precedence.multiplicative, .arithmetic(.multiply))
      case .slash: return (Precedence.multiplicative, .arithmetic(.divide))
      case .percent: return (Precedence.multiplicative, .arithmetic(.modulo))
      case .shiftLeft: return (Precedence.shift, .arithmetic(.shiftLeft))
      case .shiftRight: return (Precedence.shift, .arithmetic(.shiftRight))
      case .less: return (Precedence.comparison, .arithmetic(.less))
      case .greater: return (Precedence.comparison, .arithmetic(.greater))
      case .lessEqual: return (Precedence.comparison, .arithmetic(.lessEqual))
      case .greaterEqual: return (Precedence.comparison, .arithmetic(.greaterEqual))
      case .equal: return (Precedence.equality, .arithmetic(.equal))
      case .notEqual: return (Precedence.equality, .arithmetic(.notEqual))
      case .identical: return (Precedence.equality, .arithmetic(.identical))
      case .notIdentical: return (Precedence.equality, .arithmetic(.notIdentical))
      case .spaceship: return (Precedence.equality, .arithmetic(.spaceship))
      case .amp: return (Precedence.bitAnd, .arithmetic(.bitAnd))
      case .caret: return (Precedence.bitXor, .arithmetic(.bitXor))
      case .andAnd: return (Precedence.andAnd, .logical(.and))
      case .orOr: return (Precedence.orOr, .logical(.or))
      case .coalesce: return (Precedence.coalesce, .logical(.coalesce))
      case .question: return (Precedence.ternary, .ternary)
      default: return nil
      }
    default: return nil
    }
  }

  /// An expression with every operator, `and`, `or` and `xor` included.
  mutating func expression() throws(SyntaxError) -> Expr {
    // Most arguments are one token with no operator after it: straight to the token.
    switch tag {
    // `print` takes the operators after its operand that bind tighter than `and`.
    case .word where atKeyword("print"): break
    case .int, .double, .string, .handle, .iovec, .variable, .word:
      switch nextTag {
      case .dot, .pipe, .leftBracket, .leftParen, .op, .assign, .coalesceAssign: break
      case .word where isKeyword(upcoming, "and") || isKeyword(upcoming, "or") || isKeyword(upcoming, "xor"): break
      default: return try primary()
      }
    default: break
    }
    return try binary(above: 0)
  }

  /// Operators binding tighter than `minimum`, by precedence climbing: one recursion per operator
  /// of higher precedence, each counted against the nesting bound, as is each operator of a
  /// chain (`1+1+…` builds a tree as deep as it is long).
  mutating func binary(above minimum: Int) throws(SyntaxError) -> Expr {
    let outerDepth = depth
    defer { depth = outerDepth }
    var left = try unary()
    var lastNonAssociative: Int?
    var lastWasShortTernary: Bool?
    while let (precedence, form) = binaryOperator(), precedence > minimum {
      let token = current
      if precedence == lastNonAssociative {
        throw SyntaxError("unexpected \(describe(token)): \(describe(token)) does not chain; use parentheses", column: token.column)
      }
      if case .ternary = form, let wasShort = lastWasShortTernary {
        let isShort = nextTag == .op && upcoming.number == Token.Operator.colon.rawValue
        if !(wasShort && isShort) {
          throw SyntaxError(
            "nested ternaries need parentheses: write (a ? b : c) ? d : e or a ? b : (c ? d : e)",
            column: token.column)
        }
      }
      try nest(token)
      advance()
      lastNonAssociative = nil
      lastWasShortTernary = nil
      switch form {
      case .concat:
        let right = try binary(above: precedence)
        if case .concat(var parts) = left {
          parts.append(right)
          left = .concat(parts)
        } else {
          left = .concat([left, right])
        }
      case .pipe:
        let right = try binary(above: precedence)
        if case .bitOr(var parts) = left {
          parts.append(right)
          left = .bitOr(parts)
        } else {
          left = .bitOr([left, right])
        }
      case .logical(let op):
        // `??` groups to the right.
        let right = try binary(above: op == .coalesce ? precedence - 1 : precedence)
        left = .logical(op, left, right, column: token.column)
      case .arithmetic(let op):
        let right = try binary(above: precedence)
        left = .binary(op, left, right, column: token.column)
        if precedence == Precedence.comparison || precedence == Precedence.equality {
          lastNonAssociative = precedence
        }
      case .ternary:
        var middle: Expr?
        if isOperator(.colon) {
          lastWasShortTernary = true
        } else {
          middle = try binary(above: 0)
          lastWasShortTernary = false
          guard isOperator(.colon) else {
            throw SyntaxError(
              "expected ':' of the '?' at \(place(token.column)), found \(describe(current))",
              column: current.column)
          }
        }
        advance()
        let right = try binary(above: Precedence.ternary)
        left = .ternary(left, middle, right, column: token.column)
      }
    }
    return left
  }

  func isOperator(_ op: Token.Operator) -> Bool {
    tag == .op && current.number == op.rawValue
  }

  static let casts: [(StaticString, CastType)] = [
    ("int", .int), ("integer", .int), ("float", .float), ("double", .float), ("string", .string),
    ("bool", .bool), ("boolean", .bool), ("array", .array),
  ]

  /// `(int)` at the current token: the cast, or nil.
  func castAhead() -> CastType? {
    guard tag == .leftParen, nextTag == .word, position + 2 < tokens.count, tokens[position + 2].tag == .rightParen
    else { return nil }
    let word = bytes(upcoming)
    for (name, type) in Parser.casts where Parser.equalsIgnoringCase(word, name) { return type }
    return nil
  }

  /// Prefix operators, casts, `**` (which binds tighter than they do: `-2 ** 2` is -4) and
  /// assignment, whose target is whatever variable precedes it (`!$a = f()` assigns first).
  mutating func unary() throws(SyntaxError) -> Expr {
    let token = current
    if tag == .op, let op = Token.Operator(rawValue: token.number) {
      let unaryOp: UnaryOperator?
      switch op {
      case .minus: unaryOp = .negate
      case .plus: unaryOp = .plus
      case .bang: unaryOp = .not
      case .tilde: unaryOp = .bitNot
      case .at: unaryOp = .silence
      case .increment, .decrement:
        try nest(token)
        defer { depth -= 1 }
        advance()
        let target = try unary()
        guard Parser.isAssignable(target) else {
          throw SyntaxError("'\(op.spelling)' needs a variable or an element to change", column: token.column)
        }
        return .increment(target, delta: op == .increment ? 1 : -1, prefix: true, column: token.column)
      default: unaryOp = nil
      }
      if let unaryOp {
        try nest(token)
        defer { depth -= 1 }
        advance()
        let operand = try unary()
        // A negative literal is a literal, as before operators: `-1` costs nothing at run time.
        if unaryOp == .negate, case .literal(let value) = operand {
          switch value {
          case .int(let n) where n != Int.min: return .literal(.int(-n))
          case .double(let d): return .literal(.double(-d))
          default: break
          }
        }
        return .unary(unaryOp, operand, column: token.column)
      }
    }
    if let type = castAhead() {
      try nest(token)
      defer { depth -= 1 }
      advance()
      advance()
      advance()
      return .cast(type, try unary(), column: token.column)
    }
    let base = try postfix()
    if Parser.isAssignable(base), let operation = assignmentAhead() {
      try nest(current)
      defer { depth -= 1 }
      let column = current.column
      advance()
      let value = try binary(above: Precedence.assignment - 1)
      return .assign(base, operation, value, column: column)
    }
    if case .append = base {
      throw SyntaxError("'[]' without an index can only be assigned to: $a[] = value", column: token.column)
    }
    if isOperator(.increment) || isOperator(.decrement), Parser.isAssignable(base),
      !(inCommandForm && current.spaceBefore)
    {
      let delta = isOperator(.increment) ? 1 : -1
      let column = current.column
      advance()
      return .increment(base, delta: delta, prefix: false, column: column)
    }
    if isOperator(.power) {
      try nest(current)
      defer { depth -= 1 }
      let column = current.column
      advance()
      return .binary(.power, base, try unary(), column: column)
    }
    return base
  }

  /// The assignment operator at the current token, if there is one.
  func assignmentAhead() -> AssignOperation? {
    switch tag {
    case .assign: return .plain
    case .coalesceAssign: return .coalesce
    case .op:
      switch Token.Operator(rawValue: current.number) {
      case .plusAssign: return .arithmetic(.add)
      case .minusAssign: return .arithmetic(.subtract)
      case .starAssign: return .arithmetic(.multiply)
      case .slashAssign: return .arithmetic(.divide)
      case .percentAssign: return .arithmetic(.modulo)
      case .powerAssign: return .arithmetic(.power)
      case .pipeAssign: return .arithmetic(.bitOr)
      case .ampAssign: return .arithmetic(.bitAnd)
      case .caretAssign: return .arithmetic(.bitXor)
      case .shiftLeftAssign: return .arithmetic(.shiftLeft)
      case .shiftRightAssign: return .arithmetic(.shiftRight)
      case .dotAssign: return .concat
      default: return nil
      }
    default: return nil
    }
  }

  /// A variable, an element of one, or `$a[]`: what can be assigned to.
  static func isAssignable(_ expr: Expr) -> Bool {
    switch expr {
    case .variable: true
    case .index(let base, _, _), .append(let base, _): isAssignable(base)
    default: false
    }
  }

  mutating func postfix() throws(SyntaxError) -> Expr {
    var base = try primary()
    // Each subscript wraps the tree once more: `$a[0][0]…` counts against the nesting bound.
    let outerDepth = depth
    defer { depth = outerDepth }
    // In command form a space ends an argument: `set_option $s SOL_SOCKET SO_LINGER [1, 0]`.
    while tag == .leftBracket && !(inCommandForm && current.spaceBefore) {
      try nest(current)
      let open = current.column
      advance()
      if tag == .rightBracket {
        advance()
        base = .append(base, column: open)
        continue
      }
      let subscriptExpr = try expression()
      try expect(.rightBracket, closing: open)
      base = .index(base, subscriptExpr, column: open)
    }
    return base
  }

  mutating func primary() throws(SyntaxError) -> Expr {
    let token = current
    switch token.tag {
    case .int:
      advance()
      return .literal(.int(token.number))
    case .double:
      advance()
      return .literal(.double(token.double))
    case .string:
      advance()
      // The lexer keeps a string that interpolates raw and marks it: 1, or 2 for a heredoc.
      if token.number != 0 { return try interpolation(token) }
      return .literal(.bytes(Array(literals[token.start..<token.end])))
    case .handle:
      advance()
      return .literal(.handle(token.number))
    case .iovec:
      advance()
      return .literal(.iovec(token.number))
    case .variable:
      advance()
      return .variable(text(token), column: token.column)
    case .leftParen:
      try nest(token)
      defer { depth -= 1 }
      advance()
      let outer = inCommandForm
      inCommandForm = false
      defer { inCommandForm = outer }
      let inner = try expression()
      try expect(.rightParen, closing: token.column)
      return inner
    case .leftBracket:
      try nest(token)
      defer { depth -= 1 }
      advance()
      return try arrayItems(closing: .rightBracket, opened: token)
    case .word:
      if !inCommandForm, atKeyword("print") { return try printConstruct() }
      if program != nil, atKeyword("exit") || atKeyword("die") { return try exitConstruct() }
      advance()
      let word = bytes(token)
      if tag == .leftParen, let construct = try languageConstruct(word, token) { return construct }
      if tag == .leftParen {
        try nest(token)
        defer { depth -= 1 }
        let name = commands.commandName(word) ?? text(token)
        let open = current.column
        advance()
        let outer = inCommandForm
        inCommandForm = false
        defer { inCommandForm = outer }
        var arguments: [Expr] = []
        arguments.reserveCapacity(4)
        while tag != .rightParen {
          if tag == .end {
            throw SyntaxError("'(' is never closed with ')'", column: open, unfinished: true)
          }
          arguments.append(try expression())
          if tag == .comma {
            advance()
          } else if tag != .rightParen {
            throw SyntaxError(
              "expected ',' or ')' in the arguments of \(name), found \(describe(current))",
              column: current.column)
          }
        }
        advance()
        return .call(name: name, arguments: arguments, column: token.column)
      }
      if Parser.equalsIgnoringCase(word, "null") { return .literal(.null) }
      if Parser.equalsIgnoringCase(word, "true") { return .literal(.bool(true)) }
      if Parser.equalsIgnoringCase(word, "false") { return .literal(.bool(false)) }
      if let constant = Constants.lookup(word) { return .constant(constant.name, constant.value) }
      let name = text(token)
      if Parser.looksLikeConstant(name) {
        let close = Constants.suggestions(for: name)
        let hint = close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)"
        throw SyntaxError("unknown constant \(name)\(hint)", column: token.column)
      }
      return .word(name)
    default:
      throw SyntaxError("expected a value, found \(describe(token))", column: token.column)
    }
  }
}
