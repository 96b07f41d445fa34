/// sockshell's commands as PHP's functions: the sockets extension's `socket_*`, with the
/// arguments PHP takes (a variable filled where sockshell gives a value), and the rest by name.
extension PHPSourceWriter {
  /// A command as its PHP function, the arguments as PHP takes them; a function by its name.
  func call(_ name: String, _ arguments: [Expr], line: Int) throws(SourceExport.Refusal) -> String {
    guard let spec = ScriptTree.commands.lookup(name) else {
      return "\(name)(\(try list(arguments, line: line)))"
    }
    var written = try arguments.map { (item) throws(SourceExport.Refusal) -> String in
      try expression(item, line: line)
    }
    func socketWord(_ position: Int, _ kind: String) {
      guard position < arguments.count, let word = SourceSyntax.socketConstant(arguments[position], kind: kind)
      else { return }
      written[position] = constant(word)
    }
    let function: String
    switch spec.name {
    case "create", "create_pair":
      socketWord(0, "domain")
      socketWord(1, "type")
      if written.count < 3 { written.append("0") } else { socketWord(2, "protocol") }
      function = "socket_" + spec.name
    case "shutdown":
      guard let how = SourceSyntax.shutdownHow(arguments.count > 1 ? arguments[1] : nil) else {
        return "socket_shutdown(\(written.joined(separator: ", ")))"
      }
      // PHP has no SHUT_ constants: the numbers.
      return "socket_shutdown(\(written[0]), \(["SHUT_RD": 0, "SHUT_WR": 1, "SHUT_RDWR": 2][how]!))"
    case "last_error", "strerror", "clear_error", "select", "set_nonblock", "set_block", "get_option",
      "set_option":
      function = "socket_" + spec.name
    case "die": return "die(\(written.joined(separator: ", ")))"
    case "recv", "send", "recvfrom", "sendto":
      guard let shape = TransferShape(spec.name, arguments) else {
        throw SourceExport.Refusal("`\(name)` is missing an argument", line: line)
      }
      func php(_ expr: Expr?, or fallback: String) throws(SourceExport.Refusal) -> String {
        try expr.map { (expr) throws(SourceExport.Refusal) -> String in try expression(expr, line: line) } ?? fallback
      }
      func host(_ expr: Expr) throws(SourceExport.Refusal) -> String {
        if case .word(let word) = expr { return PHPProgramWriter.string(Array(word.utf8)) }
        return try expression(expr, line: line)
      }
      switch shape {
      case .recv(let socket, let length, let flags, let into?):
        return "socket_recv(\(try php(socket, or: "")), \(try php(into, or: "")), \(try php(length, or: "")), \(try php(flags, or: "0")))"
      case .recvfrom(let socket, let length, let flags, let into?):
        return "socket_recvfrom(\(try php(socket, or: "")), \(try php(into.data, or: "")), \(try php(length, or: "")), "
          + "\(try php(flags, or: "0")), \(try php(into.host, or: ""))"
          + "\(try into.port.map { (port) throws(SourceExport.Refusal) -> String in ", " + (try expression(port, line: line)) } ?? ""))"
      case .recv, .recvfrom:
        throw SourceExport.Refusal(
          "`\(name)` gives the data in sockshell, while PHP's fills a variable: assign it on a statement of its own ($data = \(name) …)",
          line: line)
      case .send(let socket, let data, let length, let flags):
        let written = try expression(data, line: line)
        let whole = PHPSourceWriter.lengthOf(data, written)
        return "socket_send(\(try php(socket, or: "")), \(written), \(try php(length, or: whole)), \(try php(flags, or: "0")))"
      case .sendto(let socket, let data, let length, let flags, let to, let port):
        let written = try expression(data, line: line)
        let whole = PHPSourceWriter.lengthOf(data, written)
        return "socket_sendto(\(try php(socket, or: "")), \(written), \(try php(length, or: whole)), "
          + "\(try php(flags, or: "0")), \(try host(to))\(try port.map { (port) throws(SourceExport.Refusal) -> String in ", " + (try expression(port, line: line)) } ?? ""))"
      }
    default:
      guard spec.isSocketCall else { return "\(spec.name)(\(written.joined(separator: ", ")))" }
      guard spec.family != .iovecs else {
        throw SourceExport.Refusal("`\(name)`: PHP 8's sockets extension has no iovec functions", line: line)
      }
      guard let php = spec.php, php.hasPrefix("socket_") else {
        throw SourceExport.Refusal("`\(name)` has no function in PHP's sockets extension", line: line)
      }
      function = String(php.prefix { $0 != "(" })
    }
    return "\(function)(\(written.joined(separator: ", ")))"
  }

  /// recv or recvfrom in sockshell's form, whose value is the data.
  static func receivesAsValue(_ callee: String, _ arguments: [Expr]) -> Bool {
    guard let command = ScriptTree.commands.lookup(callee)?.name, let shape = TransferShape(command, arguments)
    else { return false }
    switch shape {
    case .recv(_, _, _, nil), .recvfrom(_, _, _, nil): return true
    default: return false
    }
  }

  /// `socket_recv($s, $into, …)`, `socket_recvfrom($s, $into, …, $into_host, $into_port)`.
  func receive(_ callee: String, _ arguments: [Expr], into name: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    guard let command = ScriptTree.commands.lookup(callee)?.name, let shape = TransferShape(command, arguments)
    else { return "" }
    switch shape {
    case .recv(let socket, let length, let flags, _):
      return "socket_recv(\(try expression(socket, line: line)), $\(name), \(try expression(length, line: line)), "
        + "\(try flags.map { (flags) throws(SourceExport.Refusal) -> String in try expression(flags, line: line) } ?? "0"))"
    case .recvfrom(let socket, let length, let flags, _):
      return "socket_recvfrom(\(try expression(socket, line: line)), $\(name), \(try expression(length, line: line)), "
        + "\(try flags.map { (flags) throws(SourceExport.Refusal) -> String in try expression(flags, line: line) } ?? "0"), "
        + "$\(name)_host, $\(name)_port)"
    default: return ""
    }
  }

  /// `socket_recv(…, $into, …) === false ? false : $into`: the data, or false, as sockshell's
  /// recv gives it; with MSG_TRUNC cut to the length asked for (PHP's keeps the datagram's
  /// length, past the bytes that came).
  func receivedValue(_ callee: String, _ arguments: [Expr], into name: String, line: Int)
    throws(SourceExport.Refusal) -> String
  {
    let call = try receive(callee, arguments, into: name, line: line)
    var data = "$" + name
    if let command = ScriptTree.commands.lookup(callee)?.name, let shape = TransferShape(command, arguments) {
      switch shape {
      case .recv(_, let length, let flags?, _), .recvfrom(_, let length, let flags?, _):
        if SourceSyntax.mentions(flags, "TRUNC") { data = "substr($\(name), 0, \(try expression(length, line: line)))" }
      default: break
      }
    }
    return "\(call) === false ? false : \(data)"
  }

  /// socketpair with three arguments, whose value in sockshell is the pair.
  static func isPair(_ value: Expr) -> Bool {
    guard case .call(let name, let arguments, _) = value, arguments.count == 3 else { return false }
    return ScriptTree.commands.lookup(name)?.name == "create_pair"
  }

  /// `socket_create_pair(…, $into)`.
  func pair(_ value: Expr, into variable: String, line: Int) throws(SourceExport.Refusal) -> String {
    guard case .call(let name, let arguments, let column) = value else { return "" }
    let call = try expression(.call(name: name, arguments: arguments, column: column), line: line)
    return String(call.dropLast()) + ", \(variable))"
  }

  /// The length PHP's send functions want for all of the data: its count for a literal, strlen()
  /// of a variable, and for anything else PHP_INT_MAX, which they cut to the data's length (the
  /// expression is not made twice: a second socket_read would wait).
  static func lengthOf(_ data: Expr, _ written: String) -> String {
    switch data {
    case .literal(.bytes(let bytes)): String(bytes.count)
    case .variable: "strlen(\(written))"
    default: "PHP_INT_MAX"
    }
  }
}
