/// Statements made for their effect, calls of sockshell's commands and of the script's own
/// functions, and the helpers, in C.
extension CSourceWriter {
  mutating func writeEffect(_ expr: Expr, line: Int) throws(SourceExport.Refusal) {
    manPages(expr)
    switch expr {
    case .print(let inner, _): try echo(inner, line: line)
    case .exit(let value, let scriptRules, _):
      guard let value else { return out.add("exit(0);") }
      if case .literal(.int(let status)) = value { return out.add("exit(\(status & 0xff));") }
      try echo(value, line: line)
      out.add(scriptRules && !tree.isPHP ? "exit(1);" : "exit(0);")
    case .logical(.or, let left, .exit(let value, let scriptRules, let column), _):
      // `f() or die("…")`: the exit, when the left side is false.
      out.add("if (!(\(try truth(left, line: line)))) {")
      out.depth += 1
      try writeEffect(.exit(value, scriptRules: scriptRules, column: column), line: line)
      out.depth -= 1
      out.add("}")
    case .call(let callee, let arguments, _):
      if let spec = ScriptTree.commands.lookup(callee) {
        if ["error_reporting", "ini_set", "ob_implicit_flush", "set_time_limit"].contains(spec.name) {
          return out.add("/* \(spec.name)(): PHP's setting, nothing in C */")
        }
        if spec.family == .shell, !["die", "sleep", "usleep", "unlink"].contains(spec.name) {
          return out.add(spec.name == "quit" ? "exit(0);" : "/* sockshell: \(callee) (the shell's own command) */")
        }
      }
      let made = try call(callee, arguments, line: line, statement: true).code
      // A count read through a variable's length (`(d = receive_from(…)).len`) is not wanted here.
      out.add(made.hasSuffix(".len") ? "(void)\(made);" : made + ";")
    case .assign, .increment: out.add(try expression(expr, line: line).code + ";")
    default:
      // A value made for nothing (`$n;`, a top-level `return $n`): evaluated, and said so to C.
      out.add("(void)(\(try expression(expr, line: line).code));")
    }
  }

  mutating func call(_ callee: String, _ arguments: [Expr], line: Int, statement: Bool = false)
    throws(SourceExport.Refusal) -> CValue
  {
    guard let spec = ScriptTree.commands.lookup(callee) else {
      return try userCall(callee, arguments, line: line, statement: statement)
    }
    func value(_ position: Int, or fallback: String? = nil) throws(SourceExport.Refusal) -> CValue {
      guard position < arguments.count else {
        guard let fallback else { throw SourceExport.Refusal("`\(callee)` is missing an argument", line: line) }
        return CValue(code: fallback, kind: .number)
      }
      return try expression(arguments[position], line: line)
    }
    func number(_ position: Int, or fallback: String? = nil) throws(SourceExport.Refusal) -> String {
      let found = try value(position, or: fallback)
      guard found.kind != .bytes else { throw SourceExport.Refusal("`\(callee)` wants a number there", line: line) }
      return operand(found)
    }
    func text(_ position: Int) throws(SourceExport.Refusal) -> String { bytes(try value(position)) }
    func socketConstant(_ position: Int, _ kind: String) throws(SourceExport.Refusal) -> String {
      guard position < arguments.count else { return "0" }
      if case .bitOr(let items) = arguments[position] {
        return try items.map { (item) throws(SourceExport.Refusal) -> String in
          if let word = SourceSyntax.socketConstant(item, kind: kind) { return word }
          return try expression(item, line: line).code
        }.joined(separator: " | ")
      }
      if let word = SourceSyntax.socketConstant(arguments[position], kind: kind) {
        return word == "SOL_TCP" ? "IPPROTO_TCP" : word == "SOL_UDP" ? "IPPROTO_UDP" : word
      }
      return try number(position)
    }
    /// The host as a C string: a literal as it is, a string variable through c_string().
    func host(_ position: Int) throws(SourceExport.Refusal) -> String {
      let found = try value(position)
      if let literal = found.literal { return CProgramWriter.string(literal) }
      guard found.kind == .bytes else { throw SourceExport.Refusal("the address must be a string", line: line) }
      return "c_string(\(found.code))"
    }
    func checked(_ call: String, _ code: String, _ kind: Kind) -> CValue {
      return CValue(code: "checked(\"\(call)\", \(code))", kind: kind)
    }
    switch spec.name {
    case "create":
      return checked(
        "socket", "socket(\(try socketConstant(0, "domain")), \(try socketConstant(1, "type")), \(try socketConstant(2, "protocol")))",
        .socket)
    case "bind", "connect":
      return checked(spec.name, "\(spec.name)_to(\(try number(0)), \(try host(1)), \(try number(2, or: "0")))", .status)
    case "listen": return checked("listen", "listen(\(try number(0)), \(try number(1, or: "0")))", .status)
    case "accept":
      return checked("accept", "accept_from(\(try number(0)))", .socket)
    case "read":
      let normal = arguments.count > 2
        && (SourceSyntax.word(arguments[2]) == "PHP_NORMAL_READ" || arguments[2] == .literal(.int(1)))
      return CValue(code: "\(normal ? "receive_line" : "receive")(\(try number(0)), \(try number(1)))", kind: .bytes)
    case "write":
      let data = try value(1)
      if let literal = data.literal {
        let count = arguments.count > 2 ? try number(2) : String(literal.count)
        return checked("write", "write(\(try number(0)), \(CProgramWriter.string(literal)), \(count))", .count)
      }
      let limit = arguments.count > 2 ? try number(2) : "-1"
      return checked("write", "put(\(try number(0)), \(bytes(data)), \(limit))", .count)
    case "close": return checked("close", "close(\(try number(0)))", .status)
    case "set_option", "get_option":
      guard arguments.count == (spec.name == "set_option" ? 4 : 3) else {
        throw SourceExport.Refusal("`\(callee)` takes a socket, a level and an option\(spec.name == "set_option" ? " and its value" : "")", line: line)
      }
      if spec.name == "set_option", case .arrayLiteral = arguments[3] {
        throw SourceExport.Refusal("an option whose value is an array (SO_LINGER, a timeout) is not written in C here", line: line)
      }
      return spec.name == "set_option"
        ? checked("setsockopt", "set_int_option(\(try number(0)), \(try socketConstant(1, "level")), \(try socketConstant(2, "option")), \(try number(3)))", .status)
        : checked("getsockopt", "get_int_option(\(try number(0)), \(try socketConstant(1, "level")), \(try socketConstant(2, "option")))", .socket)
    case "recv", "send", "recvfrom", "sendto":
      guard let shape = TransferShape(spec.name, arguments) else {
        throw SourceExport.Refusal("`\(callee)` is missing an argument", line: line)
      }
      return try transfer(shape, line: line)
    case "shutdown":
      guard let how = SourceSyntax.shutdownHow(arguments.count > 1 ? arguments[1] : nil) else {
        throw SourceExport.Refusal("shutdown's HOW must be rd, wr or rdwr to be written in C", line: line)
      }
      return checked("shutdown", "shutdown(\(try number(0)), \(how))", .status)
    case "set_nonblock", "set_block":
      return checked("fcntl", "set_blocking(\(try number(0)), \(spec.name == "set_block" ? 1 : 0))", .status)
    case "getsockname", "getpeername":
      guard arguments.count == 3, case .variable(let host, _) = arguments[1], case .variable(let port, _) = arguments[2]
      else {
        throw SourceExport.Refusal("\(callee) is written in C with its two variables: \(callee)($s, $host, $port)", line: line)
      }
      try give(host, .bytes, line: line)
      try give(port, .number, line: line)
      return checked(
        spec.name, "name_of(\(try number(0)), &\(name(host)), &\(name(port)), \(spec.name == "getpeername" ? 1 : 0))",
        .status)
    case "last_error":
      return CValue(code: "last_errno", kind: .number)
    case "clear_error":
      return CValue(code: "last_errno = 0", kind: .number)
    case "strerror":
      return CValue(code: "error_text(\(try number(0)))", kind: .bytes)
    case "strlen": return CValue(code: "\(try text(0)).len", kind: .number)
    case "strrev", "strtoupper", "strtolower", "trim":
      let helper = ["strrev": "reversed", "strtoupper": "upper", "strtolower": "lower", "trim": "trimmed"][spec.name]!
      guard arguments.count == 1 else { throw SourceExport.Refusal("`\(callee)` with more arguments is not written in C", line: line) }
      return CValue(code: "\(helper)(\(try text(0)))", kind: .bytes)
    case "str_repeat":
      return CValue(code: "repeated(\(try text(0)), \(try number(1)))", kind: .bytes)
    case "intval":
      let found = try value(0)
      guard found.kind == .bytes else { return CValue(code: found.code, kind: .number) }
      return CValue(code: "to_number(\(found.code))", kind: .number)
    case "strval": return CValue(code: try text(0), kind: .bytes)
    case "sleep": return CValue(code: "sleep((unsigned)\(try number(0)))", kind: .number)
    case "usleep": return CValue(code: "usleep((useconds_t)\(try number(0)))", kind: .number)
    case "time": return CValue(code: "(long)time(NULL)", kind: .number)
    case "count":
      guard arguments.count == 1, case .variable("argv", _) = arguments[0] else {
        throw SourceExport.Refusal("count() counts an array, and arrays are not written in C here", line: line)
      }
      return CValue(code: "arg_count", kind: .number)
    case "gethostbyname":
      return CValue(code: "host_address(\(try text(0)))", kind: .bytes)
    case "getservbyname":
      return CValue(code: "service_port(\(try text(0)), \(try text(1)))", kind: .socket)
    case "die":
      throw SourceExport.Refusal("die() inside an expression is not written in C: use `or die(…)` on the statement", line: line)
    default:
      throw SourceExport.Refusal("`\(callee)` is not written in C yet", line: line)
    }
  }

  /// recv, send, recvfrom, sendto: a string that a variable of PHP's form receives is assigned
  /// in the expression, whose value is then the count.
  private mutating func transfer(_ shape: TransferShape, line: Int) throws(SourceExport.Refusal) -> CValue {
    func number(_ expr: Expr?, or fallback: String) throws(SourceExport.Refusal) -> String {
      guard let expr else { return fallback }
      if case .word(let word) = expr {
        return word.split(whereSeparator: { $0 == "|" || $0 == "," }).map {
          let name = String($0.filter { $0 != " " }).uppercased()
          return name.hasPrefix("MSG_") ? name : "MSG_" + name
        }.joined(separator: " | ")
      }
      let value = try expression(expr, line: line)
      guard value.kind != .bytes else { throw SourceExport.Refusal("a number was expected there", line: line) }
      return operand(value)
    }
    func host(_ expr: Expr) throws(SourceExport.Refusal) -> String {
      let found = try expression(expr, line: line)
      if let literal = found.literal { return CProgramWriter.string(literal) }
      guard found.kind == .bytes else { throw SourceExport.Refusal("the address must be a string", line: line) }
      return "c_string(\(found.code))"
    }
    func into(_ expr: Expr, _ kind: Kind) throws(SourceExport.Refusal) -> String {
      let variable = try TransferShape.variable(expr, for: "the call", line: line)
      try give(variable, kind, line: line)
      return name(variable)
    }
    switch shape {
    case .recv(let socket, let length, let flags, let buffer):
      let call = "receive_flags(\(try number(socket, or: "")), \(try number(length, or: "")), \(try number(flags, or: "0")))"
      guard let buffer else { return CValue(code: call, kind: .bytes) }
      return CValue(code: "(\(try into(buffer, .bytes)) = \(call)).len", kind: .count)
    case .recvfrom(let socket, let length, let flags, let targets):
      let fd = try number(socket, or: "")
      let size = try number(length, or: "")
      let flagText = try number(flags, or: "0")
      guard let targets else {
        return CValue(code: "receive_from(\(fd), \(size), \(flagText), NULL, NULL)", kind: .bytes)
      }
      let data = try into(targets.data, .bytes)
      let sender = try into(targets.host, .bytes)
      let port = try targets.port.map { (port) throws(SourceExport.Refusal) -> String in "&" + (try into(port, .number)) } ?? "NULL"
      return CValue(code: "(\(data) = receive_from(\(fd), \(size), \(flagText), &\(sender), \(port))).len", kind: .count)
    case .send(let socket, let data, let length, let flags):
      let fd = try number(socket, or: "")
      let value = try expression(data, line: line)
      if let literal = value.literal {
        return CValue(
          code: "checked(\"send\", send(\(fd), \(CProgramWriter.string(literal)), \(try number(length, or: String(literal.count))), \(try number(flags, or: "0"))))",
          kind: .count)
      }
      return CValue(
        code: "checked(\"send\", put_flags(\(fd), \(bytes(value)), \(try number(length, or: "-1")), \(try number(flags, or: "0"))))",
        kind: .count)
    case .sendto(let socket, let data, let length, let flags, let to, let port):
      let value = try expression(data, line: line)
      return CValue(
        code: "checked(\"sendto\", send_to(\(try number(socket, or: "")), \(bytes(value)), \(try number(length, or: "-1")), "
          + "\(try number(flags, or: "0")), \(try host(to)), \(try number(port, or: "0"))))",
        kind: .count)
    }
  }

  /// Whether every way through the statements ends in a return (or an exit).
  static func alwaysReturns(_ statements: [ProgramStatement]) -> Bool {
    guard let last = statements.last else { return false }
    switch last {
    case .returnValue: return true
    case .simple(let simple, _):
      if case .expression(.exit) = simple.kind { return true }
      return false
    case .block(let inner): return alwaysReturns(inner)
    case .conditional(let branches, let otherwise):
      guard let otherwise else { return false }
      return branches.allSatisfy { alwaysReturns([$0.1]) } && alwaysReturns([otherwise])
    default: return false
    }
  }

  /// A call of the script's own function: written the first time it is called, with the kinds
  /// its arguments have there.
  private mutating func userCall(_ callee: String, _ arguments: [Expr], line: Int, statement: Bool)
    throws(SourceExport.Refusal) -> CValue
  {
    guard let declared = tree.functions.first(where: { $0.name.lowercased() == callee.lowercased() }) else {
      throw SourceExport.Refusal("`\(callee)` is not a command or a function of the script", line: line)
    }
    guard arguments.count <= declared.parameters.count, arguments.count >= declared.requiredCount else {
      throw SourceExport.Refusal("\(declared.name)() takes \(declared.parameters.count) arguments", line: line)
    }
    var values: [CValue] = []
    for (position, parameter) in declared.parameters.enumerated() {
      if parameter.byReference {
        throw SourceExport.Refusal("\(declared.name)() takes &$\(parameter.name) by reference: not written in C here", line: line)
      }
      values.append(try expression(position < arguments.count ? arguments[position] : parameter.defaultValue!, line: line))
    }
    let key = declared.name.lowercased()
    if functions[key] == nil { try define(declared, kinds: values.map(\.kind)) }
    guard let function = functions[key] else { throw SourceExport.Refusal("\(declared.name)() could not be written", line: line) }
    for (value, kind) in zip(values, function.parameters) where (value.kind == .bytes) != (kind == .bytes) {
      throw SourceExport.Refusal("\(declared.name)() is called with a string where it had a number, which C cannot", line: line)
    }
    let code = "\(name(declared.name))(\(values.map { $0.kind == .bytes ? bytes($0) : $0.code }.joined(separator: ", ")))"
    guard let returns = function.returns else {
      guard statement else { throw SourceExport.Refusal("\(declared.name)() returns nothing to use", line: line) }
      return CValue(code: code, kind: .number)
    }
    return CValue(code: code, kind: returns)
  }

  /// Writes a function with these parameter kinds, after the ones written before.
  private mutating func define(_ function: UserFunction, kinds: [Kind]) throws(SourceExport.Refusal) {
    let key = function.name.lowercased()
    let saved = (out, scope)
    let outerLoops = loops
    loops = []
    defer { loops = outerLoops }
    out = SourceLines(unit: "    ")
    out.depth = 1
    scope = Scope()
    scope.function = key
    for (parameter, kind) in zip(function.parameters, kinds) {
      scope.kinds[parameter.name] = kind
      scope.order.append(parameter.name)
    }
    // Known before its body, for a recursive call; its return kind comes with the first return.
    functions[key] = Function(name: function.name, parameters: kinds, returns: nil)
    do throws(SourceExport.Refusal) {
      for statement in function.body { try write(statement) }
    } catch {
      (out, scope) = saved
      throw error
    }
    let returns = scope.returns ?? nil
    if returns != nil, !CSourceWriter.alwaysReturns(function.body) {
      (out, scope) = saved
      throw SourceExport.Refusal(
        "\(function.name)() may end without a return, which gives null in PHP; C has no null: end it with a return",
        line: function.line)
    }
    functions[key]?.returns = returns
    let type = returns == nil ? "void" : returns == .bytes ? "bytes" : "long"
    let parameters = zip(function.parameters, kinds).map { parameter, kind in
      (kind == .bytes ? "bytes " : "long ") + name(parameter.name)
    }
    let head = "static \(type) \(name(function.name))(\(parameters.isEmpty ? "void" : parameters.joined(separator: ", ")))"
    var text = ["", head, "{"]
    text += declarations(scope, depth: 1, except: Set(function.parameters.map(\.name)))
    text += out.lines
    text.append("}")
    prototypes.append(head + ";")
    functionText += text
    (out, scope) = saved
  }

  // MARK: - Helpers

  static let helperOrder = [
    "checked", "text", "number", "bool_text", "status_text", "count_text", "order", "cat", "truthy", "same", "out", "c_string", "address", "bind_to", "connect_to",
    "accept_from", "receive", "receive_line", "receive_flags", "receive_from", "put", "put_flags", "send_to", "set_int_option", "get_int_option", "arguments", "host_address", "service_port", "set_blocking", "name_of", "error_text", "reversed", "upper", "lower",
    "trimmed", "repeated", "to_number",
  ]

  static let helperNeeds: [String: [String]] = [
    "bind_to": ["address"], "connect_to": ["address"], "name_of": ["text"], "error_text": ["text"],
    "number": ["text"], "bool_text": ["text"], "status_text": ["text"], "count_text": ["text", "number"], "receive": ["checked"], "receive_line": ["checked"], "receive_flags": ["checked"],
    "receive_from": ["checked", "text"], "send_to": ["address"], "arguments": ["text"],
    "host_address": ["text", "c_string"], "service_port": ["c_string"],
  ]
}
