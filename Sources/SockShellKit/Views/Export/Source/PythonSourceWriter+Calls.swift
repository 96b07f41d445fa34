/// Expressions and calls in Python, and the few helpers a program uses.
extension PythonSourceWriter {
  static let arithmetic: [BinaryOperator: String] = [
    .add: "+", .subtract: "-", .multiply: "*", .divide: "/", .modulo: "%", .power: "**", .bitAnd: "&",
    .bitOr: "|", .bitXor: "^", .shiftLeft: "<<", .shiftRight: ">>",
  ]

  mutating func expression(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .literal(let value): return try literal(value, line: line)
    case .variable("_from", _): throw SourceExport.Refusal(SourceSyntax.fromRefusal, line: line)
    case .variable(let variable, _):
      if variable == "argv" || variable == "argc" { helpers.insert("argv") }
      return name(variable)
    case .constant(let constant, let value): return try self.constant(constant, value, line: line)
    case .word(let word): return PythonProgramWriter.bytes(Array(word.utf8))
    case .arrayLiteral(let keys, let values):
      var next = 0
      var items: [String] = []
      for (key, value) in zip(keys, values) {
        let written: String
        switch key {
        case .none: written = String(next)
        case .some(.literal(.int(let number))):
          written = String(number)
          next = max(next, number)
        case .some(let key):
          written = try expression(key, line: line)
        }
        if key == nil || { if case .some(.literal(.int)) = key { true } else { false } }() {
          next = (Int(written) ?? next) &+ 1
        }
        items.append("\(written): \(try expression(value, line: line))")
      }
      return "{" + items.joined(separator: ", ") + "}"
    case .isset(let items):
      return try items.map { (item) throws(SourceExport.Refusal) -> String in
        switch item {
        case .index(let base, let key, _):
          return "\(try operand(base, line: line)).get(\(try expression(key, line: line))) is not None"
        case .variable(let variable, _) where !assigned.contains(variable):
          // Not given a value yet where the text stands: looked up, rather than a NameError.
          return "locals().get(\"\(name(variable))\") is not None"
        default: return "\(try operand(item, line: line)) is not None"
        }
      }.joined(separator: " and ")
    case .empty(let inner): return "not " + (try truth(inner, line: line, asOperand: true))
    case .index(.variable(let variable, _), let key, _) where arrays.contains(variable) || variable == "argv":
      if variable == "argv" { helpers.insert("argv") }
      return "\(name(variable))[\(try expression(key, line: line))]"
    case .index(let base, let key, _):
      // An array's element, or a string's byte as a string: which, only the run knows.
      helpers.insert("at")
      return "at(\(try expression(base, line: line)), \(try expression(key, line: line)))"
    case .concat(let items), .interpolated(let items):
      return try items.map { (item) throws(SourceExport.Refusal) -> String in
        try bytes(item, line: line)
      }.joined(separator: " + ")
    case .bitOr(let items):
      return try items.map { (item) throws(SourceExport.Refusal) -> String in try operand(item, line: line) }
        .joined(separator: " | ")
    case .call(let callee, let arguments, _): return try call(callee, arguments, line: line)
    case .unary(let op, let inner, _):
      let written = try operand(inner, line: line)
      switch op {
      case .negate: return "-" + written
      case .plus: return "+" + written
      case .not: return "not " + (try truth(inner, line: line, asOperand: true))
      case .bitNot: return "~" + written
      case .silence: return try expression(inner, line: line)
      }
    case .binary(let op, let left, let right, _):
      let first = try operand(left, line: line)
      let second = try operand(right, line: line)
      if op == .divide {
        helpers.insert("divide")
        return "divide(\(try expression(left, line: line)), \(try expression(right, line: line)))"
      }
      if let symbol = PythonSourceWriter.arithmetic[op] { return "\(first) \(symbol) \(second)" }
      switch op {
      case .identical, .notIdentical:
        // `=== false`, `=== null`: the very value, as Python's `is` asks.
        let isSingleton = [left, right].contains {
          if case .literal(.bool) = $0 { true } else if case .literal(.null) = $0 { true } else { false }
        }
        let positive = op == .identical
        return "\(first) \(isSingleton ? (positive ? "is" : "is not") : (positive ? "==" : "!=")) \(second)"
      case .equal, .notEqual:
        // `== false`, `!= true`: the other side's truth, as PHP compares with a bool.
        for (flag, other) in [(left, right), (right, left)] {
          guard case .literal(.bool(let value)) = flag else { continue }
          let test = try truth(other, line: line, asOperand: true)
          return (op == .equal) == value ? test : "not \(test)"
        }
        return "\(first) \(op == .equal ? "==" : "!=") \(second)"
      case .less: return "\(first) < \(second)"
      case .greater: return "\(first) > \(second)"
      case .lessEqual: return "\(first) <= \(second)"
      case .greaterEqual: return "\(first) >= \(second)"
      default: throw SourceExport.Refusal("the operator \(op.spelling) has no Python spelling here", line: line)
      }
    case .logical(let op, let left, let right, _):
      let first = try operand(left, line: line)
      let second = try operand(right, line: line)
      switch op {
      case .and: return "\(try truth(left, line: line, asOperand: true)) and \(try truth(right, line: line, asOperand: true))"
      case .or: return "\(try truth(left, line: line, asOperand: true)) or \(try truth(right, line: line, asOperand: true))"
      case .xor: return "bool(\(first)) != bool(\(second))"
      case .coalesce:
        if case .index(let base, let key, _) = left {
          return "\(try operand(base, line: line)).get(\(try expression(key, line: line)), \(second))"
        }
        if case .variable(let variable, _) = left, !assigned.contains(variable) {
          return "locals().get(\"\(name(variable))\", \(second)) if locals().get(\"\(name(variable))\") is not None else \(second)"
        }
        return "\(first) if \(first) is not None else \(second)"
      }
    case .ternary(let test, let middle, let otherwise, _):
      let condition = try truth(test, line: line, asOperand: true)
      let last = try operand(otherwise, line: line)
      guard let middle else { return "\(try operand(test, line: line)) if \(condition) else \(last)" }
      return "\(try operand(middle, line: line)) if \(condition) else \(last)"
    case .cast(let type, let inner, _):
      let written = try expression(inner, line: line)
      switch type {
      case .int:
        helpers.insert("to_int")
        return "to_int(\(written))"
      case .float: return "float(\(written))"
      case .bool: return try truth(inner, line: line)
      case .string:
        helpers.insert("as_bytes")
        return "as_bytes(\(written))"
      case .array: throw SourceExport.Refusal("(array) has no Python spelling here", line: line)
      }
    case .assign(.variable(let variable, _), .plain, let value, _):
      assigned.insert(variable)
      return "(\(name(variable)) := \(try expression(value, line: line)))"
    case .increment(.variable(let variable, _), let delta, let prefix, _):
      // `++$n` is the new value, `$n--` the old one: an assignment expression either way.
      let step = delta > 0 ? "+ 1" : "- 1"
      let back = delta > 0 ? "- 1" : "+ 1"
      return prefix ? "(\(name(variable)) := \(name(variable)) \(step))" : "((\(name(variable)) := \(name(variable)) \(step)) \(back))"
    case .assign, .increment, .print, .exit, .append, .unset:
      throw SourceExport.Refusal(
        "an assignment, ++, print or exit inside an expression is not written in Python: make it a statement of its own",
        line: line)
    }
  }

  /// An expression whose value must be bytes: as it is when it is bytes already (a literal, a
  /// concatenation, a string function's value), through as_bytes otherwise.
  mutating func bytes(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .literal(.bytes(let bytes)): return PythonProgramWriter.bytes(bytes)
    case .word, .concat, .interpolated: return try operand(expr, line: line)
    case .call(let callee, _, _)
    where ["strrev", "strtoupper", "strtolower", "trim", "rtrim", "ltrim", "str_repeat", "str_replace", "strval",
      "implode", "sprintf", "strerror"].contains(ScriptTree.commands.lookup(callee)?.name ?? ""):
      return try operand(expr, line: line)
    default:
      helpers.insert("as_bytes")
      return "as_bytes(\(try expression(expr, line: line)))"
    }
  }

  /// An expression as a condition, with PHP's truth: a comparison as it is, any other value
  /// through truthy(), for which the string "0" is false as in PHP (Python's b"0" is true).
  mutating func truth(_ expr: Expr, line: Int, asOperand: Bool = false) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .binary(let op, _, _, _) where PythonSourceWriter.arithmetic[op] == nil:
      return asOperand ? try operand(expr, line: line) : try expression(expr, line: line)
    case .logical, .isset, .empty, .literal(.bool), .constant(_, .bool), .unary(.not, _, _):
      return asOperand ? try operand(expr, line: line) : try expression(expr, line: line)
    case .call(let callee, _, _)
    where ["in_array", "str_contains", "str_starts_with", "array_key_exists", "is_int", "is_string", "is_array",
      "is_bool", "is_null"].contains(ScriptTree.commands.lookup(callee)?.name ?? ""):
      return try expression(expr, line: line)
    default:
      helpers.insert("truthy")
      return "truthy(\(try expression(expr, line: line)))"
    }
  }

  /// A concatenation or a string with variables in it: written as a sum of bytes.
  static func isJoined(_ expr: Expr) -> Bool {
    switch expr {
    case .concat, .interpolated: true
    default: false
    }
  }

  /// Where an assignment stores: a variable, or an element of an array (`a[k][j]`).
  mutating func target(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .variable(let variable, _): return name(variable)
    case .index(let base, let key, _): return "\(try container(base, line: line))[\(try expression(key, line: line))]"
    default: throw SourceExport.Refusal("this assignment's target is not written in Python", line: line)
    }
  }

  /// An array stored into (`$a['x'][] = 1`): one that is not there yet is made, as PHP makes it.
  mutating func container(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    switch expr {
    case .variable(let variable, _): return name(variable)
    case .index(let base, let key, _):
      return "\(try container(base, line: line)).setdefault(\(try expression(key, line: line)), {})"
    default: throw SourceExport.Refusal("this assignment's target is not written in Python", line: line)
    }
  }

  /// An operand: in parentheses unless it stands alone.
  mutating func operand(_ expr: Expr, line: Int) throws(SourceExport.Refusal) -> String {
    let written = try expression(expr, line: line)
    switch expr {
    case .literal(.int(let number)) where number < 0: return "(\(written))"
    case .literal, .variable, .constant, .word, .arrayLiteral, .index, .call: return written
    case .concat(let items) where items.count == 1: return written
    case .interpolated(let items) where items.count == 1: return written
    default: return "(\(written))"
    }
  }

  private func literal(_ value: Value, line: Int) throws(SourceExport.Refusal) -> String {
    switch value {
    case .null: return "None"
    case .bool(let flag): return flag ? "True" : "False"
    case .int(let number): return String(number)
    case .double(let number):
      guard number.isFinite else { return number.isNaN ? "float(\"nan\")" : (number < 0 ? "-float(\"inf\")" : "float(\"inf\")") }
      return SourceSyntax.float(number)
    case .bytes(let bytes): return PythonProgramWriter.bytes(bytes)
    default: throw SourceExport.Refusal("a \(value.kindName) literal has no Python spelling here", line: line)
    }
  }

  /// The socket module's constants by name; PHP's own by their value.
  private mutating func constant(_ constant: String, _ value: Value, line: Int) throws(SourceExport.Refusal)
    -> String
  {
    let prefixes = ["AF_", "SOCK_", "MSG_", "SOL_", "SO_", "IPPROTO_", "SHUT_", "TCP_", "IP_", "IPV6_", "SOMAXCONN"]
    if prefixes.contains(where: constant.hasPrefix) {
      modules.insert("socket")
      return "socket." + constant
    }
    if constant.hasPrefix("SOCKET_E") {
      modules.insert("errno")
      return "errno." + constant.dropFirst(7)
    }
    if constant.hasPrefix("E"), constant.dropFirst().allSatisfy({ $0.isUppercase || $0.isNumber }),
      case .int = value
    {
      modules.insert("errno")
      return "errno." + constant
    }
    return try literal(value, line: line)
  }

  /// The socket: an operand of `.bind(…)`.
  mutating func socket(_ arguments: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    guard let first = arguments.first else { throw SourceExport.Refusal("a socket call without its socket", line: line) }
    return try operand(first, line: line)
  }

  mutating func argument(_ arguments: [Expr], _ position: Int, line: Int, or fallback: String? = nil)
    throws(SourceExport.Refusal) -> String
  {
    guard position < arguments.count else {
      guard let fallback else { throw SourceExport.Refusal("an argument is missing", line: line) }
      return fallback
    }
    return try expression(arguments[position], line: line)
  }

  /// A domain, type or protocol: `socket.AF_INET`, `socket.SOCK_STREAM | socket.SOCK_NONBLOCK`.
  mutating func socketArgument(_ arguments: [Expr], _ position: Int, _ kind: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    guard position < arguments.count else { return "0" }
    if case .bitOr(let items) = arguments[position] {
      return try items.map { (item) throws(SourceExport.Refusal) -> String in
        try socketArgument([item], 0, kind, line: line)
      }.joined(separator: " | ")
    }
    if let word = SourceSyntax.socketConstant(arguments[position], kind: kind), word != "0" {
      modules.insert("socket")
      return "socket." + (word == "SOL_TCP" ? "IPPROTO_TCP" : word == "SOL_UDP" ? "IPPROTO_UDP" : word)
    }
    return try expression(arguments[position], line: line)
  }

  /// An address for bind, connect, sendto: the host as a str, the port after it.
  mutating func address(_ arguments: [Expr], from position: Int, socket: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    try address(arguments[position], position + 1 < arguments.count ? arguments[position + 1] : nil, socket: socket, line: line)
  }

  mutating func address(_ hostExpr: Expr, _ portExpr: Expr?, socket: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    helpers.insert("address")
    let host: String
    if case .word(let word) = hostExpr {
      host = "\"" + word + "\""
    } else {
      host = try expression(hostExpr, line: line)
    }
    let port = try portExpr.map { (port) throws(SourceExport.Refusal) -> String in try expression(port, line: line) } ?? "None"
    return "address(\(socket), \(host), \(port))"
  }

  /// MSG_ flags: `socket.MSG_PEEK | socket.MSG_DONTWAIT`, or 0.
  mutating func flagsArgument(_ flags: Expr?, line: Int) throws(SourceExport.Refusal) -> String {
    guard let flags else { return "0" }
    if case .word(let word) = flags {
      modules.insert("socket")
      return word.split(whereSeparator: { $0 == "|" || $0 == "," }).map {
        let name = String($0.filter { $0 != " " }).uppercased()
        return "socket." + (name.hasPrefix("MSG_") ? name : "MSG_" + name)
      }.joined(separator: " | ")
    }
    return try expression(flags, line: line)
  }
}
