/// recv, send, recvfrom and sendto take their arguments in two orders: sockshell's
/// (`recv $s 1024 MSG_PEEK`, whose value is the data; `sendto $u "hi" 127.0.0.1 5353`) and
/// PHP's (`socket_recv($s, $buf, 1024, 0)`, which fills `$buf` and counts). The writers see one
/// shape whichever was written.
enum TransferShape {
  /// `into`: PHP's form, the variable the data goes to (the value is then the count).
  case recv(socket: Expr, length: Expr, flags: Expr?, into: Expr?)
  case send(socket: Expr, data: Expr, length: Expr?, flags: Expr?)
  /// `into`: PHP's form, the variables for the data, the sender's host and its port.
  case recvfrom(socket: Expr, length: Expr, flags: Expr?, into: (data: Expr, host: Expr, port: Expr?)?)
  case sendto(socket: Expr, data: Expr, length: Expr?, flags: Expr?, host: Expr, port: Expr?)

  /// The shape of a call of one of the four, or nil (another command, or too few arguments).
  init?(_ command: String, _ arguments: [Expr]) {
    func flagsLike(_ expr: Expr) -> Bool {
      switch expr {
      case .bitOr: true
      case .constant(let name, _): name.hasPrefix("MSG_")
      case .word: true
      default: false
      }
    }
    let count = arguments.count
    switch command {
    case "recv":
      if count == 4 {
        self = .recv(socket: arguments[0], length: arguments[2], flags: arguments[3], into: arguments[1])
      } else if count >= 2 {
        self = .recv(socket: arguments[0], length: arguments[1], flags: count > 2 ? arguments[2] : nil, into: nil)
      } else {
        return nil
      }
    case "send":
      guard count >= 2 else { return nil }
      var length: Expr?
      var flags: Expr?
      if count == 3 {
        if flagsLike(arguments[2]) { flags = arguments[2] } else { length = arguments[2] }
      } else if count >= 4 {
        length = arguments[2]
        flags = arguments[3]
      }
      self = .send(socket: arguments[0], data: arguments[1], length: length, flags: flags)
    case "recvfrom":
      if count >= 5 {
        self = .recvfrom(
          socket: arguments[0], length: arguments[2], flags: arguments[3],
          into: (arguments[1], arguments[4], count > 5 ? arguments[5] : nil))
      } else if count >= 2 {
        self = .recvfrom(socket: arguments[0], length: arguments[1], flags: count > 2 ? arguments[2] : nil, into: nil)
      } else {
        return nil
      }
    case "sendto":
      guard count >= 3 else { return nil }
      let phpOrder: Bool
      switch arguments[2] {
      case .literal(.int), .call, .binary: phpOrder = true
      case .variable: phpOrder = count >= 5
      default: phpOrder = false
      }
      if phpOrder {
        guard count >= 5 else { return nil }
        self = .sendto(
          socket: arguments[0], data: arguments[1], length: arguments[2], flags: arguments[3], host: arguments[4],
          port: count > 5 ? arguments[5] : nil)
      } else {
        var port: Expr?
        var flags: Expr?
        if count > 3 {
          if flagsLike(arguments[3]) { flags = arguments[3] } else { port = arguments[3] }
        }
        if count > 4 { flags = arguments[4] }
        self = .sendto(
          socket: arguments[0], data: arguments[1], length: nil, flags: flags, host: arguments[2], port: port)
      }
    default: return nil
    }
  }

  /// `$name` of a variable a call fills, or a refusal.
  static func variable(_ expr: Expr, for command: String, line: Int) throws(SourceExport.Refusal) -> String {
    guard case .variable(let name, _) = expr else {
      throw SourceExport.Refusal("\(command) fills a variable there: give it a $variable", line: line)
    }
    return name
  }
}
