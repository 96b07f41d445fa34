/// sockshell's commands as Python calls: the socket module's, os.read and os.write on a socket's
/// descriptor, and the string and array functions with PHP's rules.
extension PythonSourceWriter {
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
    case "create_pair" where arguments.count == 4:
      // PHP's form fills its fourth argument with the pair.
      let target = try TransferShape.variable(arguments[3], for: callee, line: line)
      assigned.insert(target)
      arrays.insert(target)
      return "\(name(target)) = \(try call(callee, Array(arguments.prefix(3)), line: line))"
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
      guard arguments.count <= 3 else {
        throw SourceExport.Refusal("socket_create_pair fills its fourth argument: Python writes it as a statement of its own", line: line)
      }
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
        if let flags, SourceSyntax.mentions(flags, "TRUNC") {
          // MSG_TRUNC: recv() gives the datagram's length; what came is cut to the length asked.
          helpers.insert("receive_cut")
          return "receive_cut(\(try operand(target, line: line)), \(try expression(length, line: line)), "
            + "\(try flagsArgument(flags, line: line)))"
        }
        return "attempt(\"recv\", \(try operand(target, line: line)).recv, \(try expression(length, line: line)), "
          + "\(try flagsArgument(flags, line: line)))"
      case .recvfrom(let target, let length, let flags, nil):
        helpers.insert("receive_from")
        return "receive_from(\(try operand(target, line: line)), \(try expression(length, line: line)), "
          + "\(try flagsArgument(flags, line: line)))[0]"
      case .recv(let target, let length, let flags, let into?):
        // Inside an expression: the data into its variable, the value the count (or False).
        let buffer = try TransferShape.variable(into, for: callee, line: line)
        assigned.insert(buffer)
        return "(len(\(name(buffer))) if (\(name(buffer)) := attempt(\"recv\", \(try operand(target, line: line)).recv, "
          + "\(try expression(length, line: line)), \(try flagsArgument(flags, line: line)))) is not False else False)"
      case .recvfrom:
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
    case "intval":
      helpers.insert("to_int")
      return "to_int(\(try value(0)))"
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
    case "explode":
      guard arguments.count < 3 else {
        guard case .literal(.int(let limit)) = arguments[2], limit > 0 else {
          throw SourceExport.Refusal("explode with a limit that is not a positive number is not written in Python", line: line)
        }
        return "dict(enumerate(\(try text(1)).split(\(try text(0)), \(limit - 1))))"
      }
      return "dict(enumerate(\(try text(1)).split(\(try text(0)))))"
    case "in_array": return "\(try value(0)) in \(try value(1)).values()"
    case "array_search":
      helpers.insert("search")
      return "search(\(try value(0)), \(try value(1)))"
    case "array_keys": return "dict(enumerate(\(try value(0))))"
    case "array_values": return "dict(enumerate(\(try value(0)).values()))"
    case "sprintf": return try formatted(arguments, line: line)
    case "printf":
      helpers.insert("out")
      return "out(\(try formatted(arguments, line: line)))"
    case "substr":
      helpers.insert("substr")
      return "substr(\(try text(0)), \(try value(1))\(arguments.count > 2 ? ", " + (try value(2)) : ""))"
    case "strpos":
      helpers.insert("strpos")
      return "strpos(\(try text(0)), \(try text(1))\(arguments.count > 2 ? ", " + (try value(2)) : ""))"
    case "gethostbyname":
      modules.insert("socket")
      return "socket.gethostbyname(\(try text(0)).decode()).encode()"
    case "getservbyname":
      return "attempt(\"getservbyname\", socket.getservbyname, \(try text(0)).decode(), \(try text(1)).decode())"
    default:
      throw SourceExport.Refusal("`\(callee)` is not written in Python yet", line: line)
    }
  }

  /// sprintf's format with each argument as its conversion wants it: bytes for %s, an int for
  /// %d, %x, %o, %c, a float for %f, %e, %g. Only a literal format can be read so.
  private mutating func formatted(_ arguments: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    guard case .literal(.bytes(let format)) = arguments.first else {
      throw SourceExport.Refusal("sprintf with a format that is not a literal is not written in Python", line: line)
    }
    var conversions: [UInt8] = []
    var index = 0
    while index < format.count {
      defer { index += 1 }
      guard format[index] == UInt8(ascii: "%") else { continue }
      index += 1
      while index < format.count, !(format[index] >= 65 && format[index] <= 90 || format[index] >= 97 && format[index] <= 122 || format[index] == 37) {
        // PHP's own: a padding character after ', an argument number before $.
        if format[index] == UInt8(ascii: "'") || format[index] == UInt8(ascii: "$") {
          throw SourceExport.Refusal("sprintf's padding character or argument number is PHP's own: not written in Python", line: line)
        }
        index += 1
      }
      guard index < format.count, format[index] != 37 else { continue }
      conversions.append(format[index])
    }
    guard conversions.count == arguments.count - 1 else {
      throw SourceExport.Refusal("sprintf's arguments do not match its format, or it numbers them: not written in Python", line: line)
    }
    var values: [String] = []
    for (conversion, argument) in zip(conversions, arguments.dropFirst()) {
      switch conversion {
      case UInt8(ascii: "s"): values.append(try bytes(argument, line: line))
      case UInt8(ascii: "d"), UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "c"):
        helpers.insert("to_int")
        values.append("to_int(\(try expression(argument, line: line)))")
      case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "g"), UInt8(ascii: "G"):
        values.append("float(\(try expression(argument, line: line)))")
      default:
        throw SourceExport.Refusal("sprintf's %\(Character(Unicode.Scalar(conversion))) is not written in Python", line: line)
      }
    }
    return "\(PythonProgramWriter.bytes(format)) % (\(values.joined(separator: ", ")),)"
  }
}
