/// Expressions, calls and functions in C, and the helpers a program uses.
extension CSourceWriter {
  /// A value's truth as PHP takes it, as a C condition.
  func truthy(_ value: CValue) -> String {
    switch value.kind {
    case .number, .boolean: value.code
    case .socket: "\(value.code) != -1"
    case .count: "\(value.code) > 0"
    case .status: "\(value.code) == 0"
    case .bytes: "truthy(\(value.code))"
    }
  }

  mutating func truth(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    let value = try expression(expr, line: line)
    return truthy(value)
  }

  /// Whether an expression assigns or increments anything.
  static func changesSomething(_ expr: Expr) -> Bool {
    var found = false
    var stack = [expr]
    while let next = stack.popLast(), !found {
      switch next {
      case .assign, .increment: found = true
      case .binary(_, let left, let right, _), .logical(_, let left, let right, _): stack += [left, right]
      case .unary(_, let inner, _), .cast(_, let inner, _): stack.append(inner)
      case .concat(let items), .interpolated(let items): stack += items
      default: break
      }
    }
    return found
  }

  /// A value as an operand: in parentheses unless it stands alone.
  func operand(_ value: CValue) -> String {
    let plain = value.code.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    let call = value.code.hasSuffix(")") && value.code.first?.isLetter == true && !value.code.contains(" ")
    return plain || call ? value.code : "(\(value.code))"
  }

  /// A number, for arithmetic and comparison; a string is refused rather than guessed at.
  private mutating func numeric(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    let value = try expression(expr, line: line)
    guard value.kind != .bytes else {
      throw SourceExport.Refusal("arithmetic on a string: C needs intval() around it", line: line)
    }
    return operand(value)
  }

  /// A value as bytes: a string as it is, a number through number().
  mutating func bytes(_ value: CValue) -> String {
    if let literal = value.literal {
      return "text(\(CProgramWriter.string(literal)), \(literal.count))"
    }
    switch value.kind {
    case .bytes: return value.code
    // As PHP makes a string of a bool (true "1", false ""), and of false from a call.
    // Each through a helper, so that the value (a call, perhaps) is made once.
    case .boolean: return "bool_text(\(value.code))"
    case .status: return "status_text(\(value.code))"
    case .count, .socket: return "count_text(\(value.code))"
    case .number:
      return "number(\(value.code))"
    }
  }

  mutating func expression(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> CValue {
    switch expr {
    case .literal(.int(let number)): return CValue(code: number == Int.min ? "LONG_MIN" : String(number), kind: .number)
    case .literal(.bool(let flag)): return CValue(code: flag ? "1" : "0", kind: .boolean)
    case .literal(.bytes(let bytes)): return literal(bytes)
    case .word(let word): return literal(Array(word.utf8))
    case .literal(let other):
      throw SourceExport.Refusal("a \(other.kindName) has no C spelling here", line: line)
    case .variable("_from", _): throw SourceExport.Refusal(SourceSyntax.fromRefusal, line: line)
    case .variable("argc", _):
      return CValue(code: "arg_count", kind: .number)
    case .index(.variable("argv", _), let key, _):
      return CValue(code: "argument(\(try numeric(key, line: line)))", kind: .bytes)
    case .isset(let items) where items.allSatisfy({ if case .index(.variable("argv", _), _, _) = $0 { true } else { false } }):
      let tests = try items.map { (item) throws(SourceExport.Refusal) -> String in
        guard case .index(_, let key, _) = item else { return "1" }
        return "arg_count > \(try numeric(key, line: line))"
      }
      return CValue(code: tests.joined(separator: " && "), kind: .boolean)
    case .logical(.coalesce, .index(.variable("argv", _), let key, _), let fallback, _):
      // `$argv[1] ?? 5360`: the argument when there is one, as the fallback's kind.
      let index = try numeric(key, line: line)
      let other = try expression(fallback, line: line)
      var given = "argument(\(index))"
      if other.kind != .bytes {
        given = "to_number(\(given))"
      }
      let otherwise = other.kind == .bytes ? bytes(other) : operand(other)
      return CValue(code: "arg_count > \(index) ? \(given) : \(otherwise)", kind: other.kind == .bytes ? .bytes : .number)
    case .variable(let variable, _):
      scope.read.insert(variable)
      guard let kind = scope.kinds[variable] else {
        throw SourceExport.Refusal("$\(variable) is used before it is given a value, which C cannot", line: line)
      }
      return CValue(code: name(variable), kind: kind)
    case .constant(let constant, let value): return try self.constant(constant, value, line: line)
    case .concat(let items), .interpolated(let items):
      var code: String?
      for item in items {
        let part = bytes(try expression(item, line: line))
        code = code.map { "cat(\($0), \(part))" } ?? part
      }
      return CValue(code: code ?? "text(\"\", 0)", kind: .bytes)
    case .bitOr(let items):
      return CValue(
        code: try items.map { (item) throws(SourceExport.Refusal) -> String in try numeric(item, line: line) }
          .joined(separator: " | "), kind: .number)
    case .call(let callee, let arguments, _): return try call(callee, arguments, line: line)
    case .unary(let op, let inner, _):
      switch op {
      case .silence: return try expression(inner, line: line)
      case .not: return CValue(code: "!(\(try truth(inner, line: line)))", kind: .boolean)
      case .negate: return CValue(code: "-" + (try numeric(inner, line: line)), kind: .number)
      case .plus: return CValue(code: try numeric(inner, line: line), kind: .number)
      case .bitNot: return CValue(code: "~" + (try numeric(inner, line: line)), kind: .number)
      }
    case .binary(let op, let left, let right, _): return try binary(op, left, right, line: line)
    case .logical(let op, let left, let right, _):
      let first = try truth(left, line: line)
      let second = try truth(right, line: line)
      switch op {
      case .and: return CValue(code: "(\(first)) && (\(second))", kind: .boolean)
      case .or: return CValue(code: "(\(first)) || (\(second))", kind: .boolean)
      case .xor: return CValue(code: "!(\(first)) != !(\(second))", kind: .boolean)
      case .coalesce: throw SourceExport.Refusal("?? asks for null, which C has not", line: line)
      }
    case .ternary(let test, let middle, let otherwise, _):
      guard let middle else { throw SourceExport.Refusal("?: is not written in C here", line: line) }
      let condition = try truth(test, line: line)
      let first = try expression(middle, line: line)
      let second = try expression(otherwise, line: line)
      guard (first.kind == .bytes) == (second.kind == .bytes) else {
        throw SourceExport.Refusal("the two sides of ?: are a string and a number, which C cannot", line: line)
      }
      let kind = first.kind == .bytes ? Kind.bytes : first.kind == second.kind ? first.kind : .number
      let codes = kind == .bytes ? (bytes(first), bytes(second)) : (operand(first), operand(second))
      return CValue(code: "(\(condition)) ? \(codes.0) : \(codes.1)", kind: kind)
    case .cast(let type, let inner, _):
      let value = try expression(inner, line: line)
      switch type {
      case .int:
        guard value.kind == .bytes else { return CValue(code: value.code, kind: .number) }
        return CValue(code: "to_number(\(value.code))", kind: .number)
      case .string: return CValue(code: bytes(value), kind: .bytes)
      case .bool:
        return CValue(code: "!!(\(truthy(value)))", kind: .boolean)
      case .float, .array: throw SourceExport.Refusal("floats and arrays are not written in C here", line: line)
      }
    case .assign(.variable(let target, _), let operation, let value, _):
      switch operation {
      case .plain:
        let written = try assignment(target, value, line: line)
        return CValue(code: written.code, kind: written.kind)
      case .concat:
        let added = bytes(try expression(value, line: line))
        try give(target, .bytes, line: line)
        return CValue(code: "\(name(target)) = cat(\(name(target)), \(added))", kind: .bytes)
      case .arithmetic(let op):
        guard [.add, .subtract, .multiply, .modulo, .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight].contains(op),
          scope.kinds[target] != nil, scope.kinds[target] != .bytes
        else {
          throw SourceExport.Refusal("\(op.spelling)= on $\(target) is not written in C here", line: line)
        }
        scope.kinds[target] = .number
        return CValue(code: "\(name(target)) \(op.spelling)= \(try numeric(value, line: line))", kind: .number)
      case .coalesce: throw SourceExport.Refusal("??= asks for null, which C has not", line: line)
      }
    case .increment(.variable(let target, _), let delta, let prefix, _):
      guard let kind = scope.kinds[target], kind != .bytes else {
        throw SourceExport.Refusal("++ and -- on $\(target), which holds no number", line: line)
      }
      let symbol = delta > 0 ? "++" : "--"
      return CValue(code: prefix ? symbol + name(target) : name(target) + symbol, kind: .number)
    case .arrayLiteral, .index, .append, .isset, .unset, .assign, .increment:
      throw SourceExport.Refusal("arrays are not written in C here", line: line)
    case .empty(let inner):
      return CValue(code: "!(\(try truth(inner, line: line)))", kind: .boolean)
    case .print, .exit:
      throw SourceExport.Refusal("print and exit are written in C as statements of their own", line: line)
    }
  }

  private mutating func literal(_ bytes: [UInt8]) -> CValue {
    return CValue(code: "text(\(CProgramWriter.string(bytes)), \(bytes.count))", kind: .bytes, literal: bytes)
  }

  private mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, line: Int) throws(SourceExport.Refusal)
    -> CValue
  {
    if CSourceWriter.changesSomething(left) && CSourceWriter.changesSomething(right) {
      throw SourceExport.Refusal(
        "both sides of \(op.spelling) change a variable, in an order C leaves undefined: make one a statement of its own",
        line: line)
    }
    switch op {
    case .identical, .notIdentical, .equal, .notEqual:
      // `=== false`, `== true`: the other side's truth, as its kind has it.
      for (flag, other) in [(left, right), (right, left)] {
        guard case .literal(.bool(let truth)) = flag else { continue }
        let value = try expression(other, line: line)
        let strict = op == .identical || op == .notIdentical
        // What "the value is false" is for its kind: -1 from a call, a string's -1 length.
        var isFalse: String
        var isNotFalse: String
        switch value.kind {
        case .bytes where strict:
          (isFalse, isNotFalse) = ("\(operand(value)).len == -1", "\(operand(value)).len != -1")
        case .socket, .count, .status where strict:
          (isFalse, isNotFalse) = ("\(operand(value)) == -1", "\(operand(value)) != -1")
        default:
          isNotFalse = truthy(value)
          isFalse = "!(\(isNotFalse))"
        }
        let asksFalse = (op == .identical || op == .equal) != truth
        return CValue(code: asksFalse ? isFalse : isNotFalse, kind: .boolean)
      }
      let first = try expression(left, line: line)
      let second = try expression(right, line: line)
      let negated = op == .notIdentical || op == .notEqual
      if first.kind == .bytes || second.kind == .bytes {
        guard first.kind == second.kind else {
          throw SourceExport.Refusal("comparing a string with a number is not written in C here", line: line)
        }
        return CValue(code: (negated ? "!" : "") + "same(\(bytes(first)), \(bytes(second)))", kind: .boolean)
      }
      return CValue(code: "\(operand(first)) \(negated ? "!=" : "==") \(operand(second))", kind: .boolean)
    case .add, .subtract, .multiply, .modulo, .bitAnd, .bitOr, .bitXor, .shiftLeft, .shiftRight, .less, .greater,
      .lessEqual, .greaterEqual:
      let comparison = [.less, .greater, .lessEqual, .greaterEqual].contains(op)
      if comparison {
        let first = try expression(left, line: line)
        let second = try expression(right, line: line)
        if first.kind == .bytes && second.kind == .bytes {
          // Two strings, compared byte by byte (PHP compares numeric strings as numbers).
          return CValue(code: "order(\(bytes(first)), \(bytes(second))) \(op.spelling) 0", kind: .boolean)
        }
      }
      return CValue(
        code: "\(try numeric(left, line: line)) \(op.spelling) \(try numeric(right, line: line))",
        kind: comparison ? .boolean : .number)
    case .divide, .power, .spaceship:
      throw SourceExport.Refusal("\(op.spelling) may give a float in PHP, which is not written in C here", line: line)
    }
  }

  private mutating func constant(_ constant: String, _ value: SockShellKit.Value, line: Int) throws(SourceExport.Refusal) -> CValue {
    let prefixes = ["AF_", "SOCK_", "MSG_", "SOL_SOCKET", "SO_", "IPPROTO_", "SHUT_", "TCP_", "IP_", "IPV6_", "SOMAXCONN"]
    if constant == "SOL_TCP" { return CValue(code: "IPPROTO_TCP", kind: .number) }
    if constant == "SOL_UDP" { return CValue(code: "IPPROTO_UDP", kind: .number) }
    if prefixes.contains(where: constant.hasPrefix) { return CValue(code: constant, kind: .number) }
    if constant.hasPrefix("SOCKET_E") { return CValue(code: String(constant.dropFirst(7)), kind: .number) }
    return try expression(.literal(value), line: line)
  }
}
