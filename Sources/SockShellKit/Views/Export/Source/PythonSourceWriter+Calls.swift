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
        default: return "\(try operand(item, line: line)) is not None"
        }
      }.joined(separator: " and ")
    case .empty(let inner): return "not " + (try operand(inner, line: line))
    case .index(let base, let key, _):
      return "\(try operand(base, line: line))[\(try expression(key, line: line))]"
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
      if let symbol = PythonSourceWriter.arithmetic[op] { return "\(first) \(symbol) \(second)" }
      switch op {
      case .identical, .notIdentical:
        // `=== false`, `=== null`: the very value, as Python's `is` asks.
        let isSingleton = [left, right].contains {
          if case .literal(.bool) = $0 { true } else if case .literal(.null) = $0 { true } else { false }
        }
        let positive = op == .identical
        return "\(first) \(isSingleton ? (positive ? "is" : "is not") : (positive ? "==" : "!=")) \(second)"
      case .equal: return "\(first) == \(second)"
      case .notEqual: return "\(first) != \(second)"
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
      case .int: return "int(\(written))"
      case .float: return "float(\(written))"
      case .bool: return "bool(\(written))"
      case .string:
        helpers.insert("as_bytes")
        return "as_bytes(\(written))"
      case .array: throw SourceExport.Refusal("(array) has no Python spelling here", line: line)
      }
    case .assign(.variable(let variable, _), .plain, let value, _):
      assigned.insert(variable)
      return "(\(name(variable)) := \(try expression(value, line: line)))"
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
  private mutating func socket(_ arguments: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    guard let first = arguments.first else { throw SourceExport.Refusal("a socket call without its socket", line: line) }
    return try operand(first, line: line)
  }

  private mutating func argument(_ arguments: [Expr], _ position: Int, line: Int, or fallback: String? = nil)
    throws(SourceExport.Refusal) -> String
  {
    guard position < arguments.count else {
      guard let fallback else { throw SourceExport.Refusal("an argument is missing", line: line) }
      return fallback
    }
    return try expression(arguments[position], line: line)
  }

  /// A domain, type or protocol: `socket.AF_INET`, `socket.SOCK_STREAM | socket.SOCK_NONBLOCK`.
  private mutating func socketArgument(_ arguments: [Expr], _ position: Int, _ kind: String, line: Int)
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
  private mutating func address(_ arguments: [Expr], from position: Int, socket: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    try address(arguments[position], position + 1 < arguments.count ? arguments[position + 1] : nil, socket: socket, line: line)
  }

  private mutating func address(_ hostExpr: Expr, _ portExpr: Expr?, socket: String, line: Int)
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
  private mutating func flagsArgument(_ flags: Expr?, line: Int) throws(SourceExport.Refusal) -> String {
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

  /// A call made as a statement, where PHP's by-reference outputs become Python's assignments;
  /// nil for a call written as an expression.
  mutating func statementCall(_ callee: String, _ arguments: [Expr], line: Int) throws(SourceExport.Refusal)
    -> String?
  {
    guard let spec = ScriptTree.commands.lookup(callee) else { return nil }
    switch spec.name {
    case "getsockname", "getpeername" where arguments.count == 3:
      helpers.formUnion(["attempt", "sock_name"])
      let targets = try [1, 2].map { (position) throws(SourceExport.Refusal) -> String in
        guard case .variable(let variable, _) = arguments[position] else {
          throw SourceExport.Refusal("\(callee) fills variables: give it $variables", line: line)
        }
        assigned.insert(variable)
        return name(variable)
      }
      let method = spec.name == "getsockname" ? "getsockname" : "getpeername"
      return "\(targets[0]), \(targets[1]) = attempt(\"\(method)\", sock_name, \(try socket(arguments, line: line)).\(method))"
    case "error_reporting", "ini_set", "ob_implicit_flush", "set_time_limit":
      return "pass  # \(spec.name)(): PHP's setting, nothing in Python"
    case "recv", "recvfrom":
      guard let shape = TransferShape(spec.name, arguments) else { return nil }
      switch shape {
      case .recv(let target, let length, let flags, let into?):
        let buffer = try TransferShape.variable(into, for: callee, line: line)
        assigned.insert(buffer)
        helpers.insert("attempt")
        return "\(name(buffer)) = attempt(\"recv\", \(try operand(target, line: line)).recv, \(try expression(length, line: line)), "
          + "\(try flagsArgument(flags, line: line)))"
      case .recvfrom(let target, let length, let flags, let into?):
        var targets: [String] = []
        for item in [into.data, into.host] + (into.port.map { [$0] } ?? []) {
          let variable = try TransferShape.variable(item, for: callee, line: line)
          assigned.insert(variable)
          targets.append(name(variable))
        }
        if targets.count == 2 { targets.append("_") }
        helpers.insert("receive_from")
        return "\(targets.joined(separator: ", ")) = receive_from(\(try operand(target, line: line)), "
          + "\(try expression(length, line: line)), \(try flagsArgument(flags, line: line)))"
      default: return nil
      }
    case "clear_error":
      helpers.insert("attempt")
      return "last_errno = 0"
    case "close":
      return "\(try socket(arguments, line: line)).close()"
    default:
      if spec.family == .shell, !["die", "sleep", "usleep", "unlink"].contains(spec.name) {
        if spec.name == "quit" {
          modules.insert("sys")
          return "sys.exit(0)"
        }
        return "pass  # sockshell: \(callee) (the shell's own command)"
      }
      return nil
    }
  }

  /// A command or function as Python makes it.
  mutating func call(_ callee: String, _ arguments: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    guard let spec = ScriptTree.commands.lookup(callee) else {
      let written = try arguments.map { (item) throws(SourceExport.Refusal) -> String in
        try expression(item, line: line)
      }
      return "\(name(callee))(\(written.joined(separator: ", ")))"
    }
    func value(_ position: Int, or fallback: String? = nil) throws(SourceExport.Refusal) -> String {
      try argument(arguments, position, line: line, or: fallback)
    }
    func text(_ position: Int) throws(SourceExport.Refusal) -> String {
      guard position < arguments.count else { throw SourceExport.Refusal("an argument is missing", line: line) }
      return try bytes(arguments[position], line: line)
    }
    helpers.insert("attempt")
    switch spec.name {
    case "create":
      return "attempt(\"socket\", socket.socket, \(try socketArgument(arguments, 0, "domain", line: line)), "
        + "\(try socketArgument(arguments, 1, "type", line: line)), \(try socketArgument(arguments, 2, "protocol", line: line)))"
    case "create_pair":
      helpers.insert("pair")
      return "attempt(\"socketpair\", pair, \(try socketArgument(arguments, 0, "domain", line: line)), "
        + "\(try socketArgument(arguments, 1, "type", line: line)), \(try socketArgument(arguments, 2, "protocol", line: line)))"
    case "bind", "connect":
      let target = try socket(arguments, line: line)
      return "attempt(\"\(spec.name)\", \(target).\(spec.name), \(try address(arguments, from: 1, socket: target, line: line)))"
    case "recv", "send", "recvfrom", "sendto":
      guard let shape = TransferShape(spec.name, arguments) else {
        throw SourceExport.Refusal("`\(callee)` is missing an argument", line: line)
      }
      switch shape {
      case .recv(let target, let length, let flags, nil):
        return "attempt(\"recv\", \(try operand(target, line: line)).recv, \(try expression(length, line: line)), "
          + "\(try flagsArgument(flags, line: line)))"
      case .recvfrom(let target, let length, let flags, nil):
        helpers.insert("receive_from")
        return "receive_from(\(try operand(target, line: line)), \(try expression(length, line: line)), "
          + "\(try flagsArgument(flags, line: line)))[0]"
      case .recv, .recvfrom:
        throw SourceExport.Refusal(
          "`\(callee)` fills variables and counts: Python writes it as a statement of its own", line: line)
      case .send(let target, let data, let length, let flags):
        var written = try bytes(data, line: line)
        if let length { written = "\(written)[:\(try expression(length, line: line))]" }
        return "attempt(\"send\", \(try operand(target, line: line)).send, \(written), \(try flagsArgument(flags, line: line)))"
      case .sendto(let target, let data, let length, let flags, let host, let port):
        var written = try bytes(data, line: line)
        if let length { written = "\(written)[:\(try expression(length, line: line))]" }
        let sock = try operand(target, line: line)
        return "attempt(\"sendto\", \(sock).sendto, \(written), \(try flagsArgument(flags, line: line)), "
          + "\(try address(host, port, socket: sock, line: line)))"
      }
    case "set_option", "get_option":
      guard arguments.count == (spec.name == "set_option" ? 4 : 3) else {
        throw SourceExport.Refusal("`\(callee)` takes a socket, a level and an option\(spec.name == "set_option" ? " and its value" : "")", line: line)
      }
      if spec.name == "set_option", case .arrayLiteral = arguments[3] {
        throw SourceExport.Refusal("an option whose value is an array (SO_LINGER, a timeout) is not written in Python yet", line: line)
      }
      let target = try socket(arguments, line: line)
      let level = try socketArgument(arguments, 1, "level", line: line)
      let option = try socketArgument(arguments, 2, "option", line: line)
      return spec.name == "set_option"
        ? "attempt(\"setsockopt\", \(target).setsockopt, \(level), \(option), \(try value(3)))"
        : "attempt(\"getsockopt\", \(target).getsockopt, \(level), \(option))"
    case "listen":
      return "attempt(\"listen\", \(try socket(arguments, line: line)).listen, \(try value(1, or: "0")))"
    case "accept":
      helpers.insert("accept")
      return "attempt(\"accept\", accept, \(try socket(arguments, line: line)))"
    case "read":
      modules.insert("os")
      let mode = arguments.count > 2 ? SourceSyntax.word(arguments[2]) : nil
      if mode == "PHP_NORMAL_READ" || { if arguments.count > 2, case .literal(.int(1)) = arguments[2] { true } else { false } }() {
        helpers.insert("read_line")
        return "attempt(\"read\", read_line, \(try socket(arguments, line: line)), \(try value(1)))"
      }
      return "attempt(\"read\", os.read, \(try socket(arguments, line: line)).fileno(), \(try value(1)))"
    case "write":
      modules.insert("os")
      // A concatenation needs no parentheses of its own as an argument.
      var data = try text(1)
      if arguments.count > 2 {
        data = "\(data)[:\(try value(2))]"
      } else if PythonSourceWriter.isJoined(arguments[1]), data.hasPrefix("("), data.hasSuffix(")") {
        data = String(data.dropFirst().dropLast())
      }
      return "attempt(\"write\", os.write, \(try socket(arguments, line: line)).fileno(), \(data))"
    case "shutdown":
      guard let how = SourceSyntax.shutdownHow(arguments.count > 1 ? arguments[1] : nil) else {
        throw SourceExport.Refusal("shutdown's HOW must be rd, wr or rdwr to be written in Python", line: line)
      }
      return "attempt(\"shutdown\", \(try socket(arguments, line: line)).shutdown, socket.\(how))"
    case "close": return "\(try socket(arguments, line: line)).close()"
    case "set_nonblock", "set_block":
      modules.insert("os")
      return "attempt(\"fcntl\", os.set_blocking, \(try socket(arguments, line: line)).fileno(), \(spec.name == "set_block" ? "True" : "False"))"
    case "select":
      helpers.insert("select_ready")
      return "attempt(\"select\", select_ready, \(try value(0)), \(try value(1)), \(try value(2)), \(try value(3, or: "None")))"
    case "last_error": return "last_errno"
    case "strerror":
      modules.insert("os")
      return "os.strerror(\(try value(0))).encode()"
    case "strlen": return "len(\(try text(0)))"
    case "strrev": return "\(try text(0))[::-1]"
    case "strtoupper": return "\(try text(0)).upper()"
    case "strtolower": return "\(try text(0)).lower()"
    case "trim", "rtrim", "ltrim":
      let method = ["trim": "strip", "rtrim": "rstrip", "ltrim": "lstrip"][spec.name]!
      let characters = arguments.count > 1 ? try text(1) : "b\" \\t\\n\\r\\0\\x0b\""
      return "\(try text(0)).\(method)(\(characters))"
    case "str_repeat": return "\(try text(0)) * \(try value(1))"
    case "str_contains": return "\(try text(1)) in \(try text(0))"
    case "str_starts_with": return "\(try text(0)).startswith(\(try text(1)))"
    case "str_replace": return "\(try text(2)).replace(\(try text(0)), \(try text(1)))"
    case "count": return "len(\(try value(0)))"
    case "intval": return "int(\(try value(0)))"
    case "strval": return try text(0)
    case "sleep", "usleep":
      modules.insert("time")
      return spec.name == "sleep" ? "time.sleep(\(try value(0)))" : "time.sleep(\(try value(0)) / 1000000)"
    case "time":
      modules.insert("time")
      return "int(time.time())"
    case "microtime":
      modules.insert("time")
      return "time.time()"
    case "implode": return "\(try text(0)).join(as_bytes(item) for item in \(try value(1)).values())"
    case "explode": return "dict(enumerate(\(try text(1)).split(\(try text(0)))))"
    case "in_array": return "\(try value(0)) in \(try value(1)).values()"
    case "array_search":
      helpers.insert("search")
      return "search(\(try value(0)), \(try value(1)))"
    case "array_keys": return "dict(enumerate(\(try value(0))))"
    case "array_values": return "dict(enumerate(\(try value(0)).values()))"
    case "sprintf": return "\(try text(0)) % (\(try (1..<arguments.count).map { (position) throws(SourceExport.Refusal) -> String in try value(position) }.joined(separator: ", ")),)"
    case "printf":
      helpers.insert("out")
      return "out(\(try text(0)) % (\(try (1..<arguments.count).map { (position) throws(SourceExport.Refusal) -> String in try value(position) }.joined(separator: ", ")),))"
    case "substr":
      helpers.insert("substr")
      return "substr(\(try text(0)), \(try value(1))\(arguments.count > 2 ? ", " + (try value(2)) : ""))"
    case "strpos":
      helpers.insert("strpos")
      return "strpos(\(try text(0)), \(try text(1)))"
    case "gethostbyname":
      modules.insert("socket")
      return "socket.gethostbyname(\(try text(0)).decode()).encode()"
    case "getservbyname":
      return "attempt(\"getservbyname\", socket.getservbyname, \(try text(0)).decode(), \(try text(1)).decode())"
    default:
      throw SourceExport.Refusal("`\(callee)` is not written in Python yet", line: line)
    }
  }

  // MARK: - Helpers

  static let helperOrder = [
    "argv", "as_bytes", "truthy", "out", "attempt", "address", "accept", "pair", "receive_from", "read_line", "sock_name", "push", "search", "strpos", "substr", "select_ready",
  ]

  static let helperModules: [String: [String]] = [
    "argv": ["sys"], "out": ["sys"], "attempt": ["errno", "sys"], "receive_from": ["errno", "sys"], "address": ["socket"], "select_ready": ["select"],
  ]

  static let helperText: [String: [String]] = [
    "argv": [
      "# PHP's $argv and $argc: the program's arguments as bytes, by their index.",
      "argv = {index: argument.encode() for index, argument in enumerate(sys.argv)}", "argc = len(sys.argv)",
    ],
    "as_bytes": [
      "def as_bytes(value):",
      "    \"\"\"A value as PHP makes it a string: bytes as they are, true as b\"1\", false and null empty.\"\"\"",
      "    if isinstance(value, bytes):", "        return value",
      "    if value is True:", "        return b\"1\"",
      "    if value is False or value is None:", "        return b\"\"",
      "    return str(value).encode()",
    ],
    "truthy": [
      "def truthy(value):", "    \"\"\"PHP's truth: as Python's, but the string \"0\" is false too.\"\"\"",
      "    return bool(value) and value != b\"0\"",
    ],
    "out": [
      "def out(*values):", "    \"\"\"echo: each value written as bytes.\"\"\"",
      "    for value in values:", "        sys.stdout.buffer.write(as_bytes(value))", "    sys.stdout.flush()",
    ],
    "attempt": [
      "last_errno = 0", "", "",
      "def attempt(name, call, *arguments):",
      "    \"\"\"Makes one call. An OSError is said on stderr with its errno and gives False, as a failed",
      "    call is false in PHP; socket_last_error() is last_errno.\"\"\"",
      "    global last_errno", "    try:", "        result = call(*arguments)", "    except OSError as error:",
      "        last_errno = error.errno",
      "        print(f\"{name}: {errno.errorcode.get(error.errno, error.errno)} ({error.strerror})\", file=sys.stderr)",
      "        return False", "    return True if result is None else result",
    ],
    "address": [
      "def address(sock, host, port):",
      "    \"\"\"The address bind() and connect() take: a path for AF_UNIX, else (host, port).\"\"\"",
      "    if isinstance(host, bytes):", "        host = host.decode()",
      "    return host if sock.family == socket.AF_UNIX else (host, port or 0)",
    ],
    "accept": [
      "def accept(listener):", "    \"\"\"accept(2): the new socket; the peer's address is the socket's to tell.\"\"\"",
      "    connection, _ = listener.accept()", "    return connection",
    ],
    "receive_from": [
      "def receive_from(sock, length, flags):",
      "    \"\"\"recvfrom(2): the data, the sender's host (bytes) and port; False and None when it failed.\"\"\"",
      "    got = attempt(\"recvfrom\", sock.recvfrom, length, flags)", "    if got is False:",
      "        return False, None, None", "    data, sender = got", "    if isinstance(sender, str):",
      "        return data, sender.encode(), 0", "    return data, sender[0].encode(), sender[1]",
    ],
    "pair": [
      "def pair(family, kind, protocol):",
      "    \"\"\"socketpair(2): the two connected sockets, as the array socket_create_pair fills.\"\"\"",
      "    first, second = socket.socketpair(family, kind, protocol)", "    return {0: first, 1: second}",
    ],
    "read_line": [
      "def read_line(sock, length):",
      "    \"\"\"PHP_NORMAL_READ: a byte a call, up to a newline or carriage return.\"\"\"",
      "    line = b\"\"", "    while len(line) < length:", "        byte = os.read(sock.fileno(), 1)",
      "        if not byte:", "            break", "        line += byte", "        if byte in b\"\\r\\n\":",
      "            break", "    return line",
    ],
    "sock_name": [
      "def sock_name(call):", "    \"\"\"getsockname()/getpeername(): the host as bytes, and the port.\"\"\"",
      "    name = call()", "    if isinstance(name, str):", "        return name.encode(), 0",
      "    return name[0].encode(), name[1]",
    ],
    "push": [
      "def push(array, value):", "    \"\"\"$array[] = value: the next integer key.\"\"\"",
      "    keys = [key for key in array if isinstance(key, int)]",
      "    array[max(keys) + 1 if keys else 0] = value",
    ],
    "strpos": [
      "def strpos(haystack, needle):", "    \"\"\"strpos: where needle first is, or False.\"\"\"",
      "    found = haystack.find(needle)", "    return False if found < 0 else found",
    ],
    "substr": [
      "def substr(string, start, length=None):",
      "    \"\"\"substr, as PHP 8 counts: a negative start from the end, a negative length short of it.\"\"\"",
      "    if start < 0:", "        start = max(len(string) + start, 0)", "    if length is None:",
      "        return string[start:]", "    end = start + length if length >= 0 else len(string) + length",
      "    return string[start:max(end, start)]",
    ],
    "search": [
      "def search(value, array):", "    \"\"\"array_search: the first key whose value equals, or False.\"\"\"",
      "    for key, item in array.items():", "        if item == value:", "            return key",
      "    return False",
    ],
    "select_ready": [
      "def select_ready(read, write, exceptional, seconds):",
      "    \"\"\"socket_select: leaves in each dict only the sockets that are ready; their count.\"\"\"",
      "    lists = [list((d or {}).values()) for d in (read, write, exceptional)]",
      "    ready = select.select(*lists, seconds)",
      "    for found, d in zip(ready, (read, write, exceptional)):",
      "        for key in [key for key, sock in (d or {}).items() if sock not in found]:",
      "            del d[key]",
      "    return sum(len(found) for found in ready)",
    ],
  ]
}
