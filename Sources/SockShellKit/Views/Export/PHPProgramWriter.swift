import Glibc

/// Writes an export plan as a PHP program with the sockets extension, as the tutorial's programs
/// are written: each call's result compared `=== false`, socket_last_error() and
/// socket_strerror() saying why; a call that failed in the session is reported and the program
/// goes on, any other failure ends it.
struct PHPProgramWriter {
  static let naming = ExportPlan.Naming(
    reserved: [
      "this", "GLOBALS", "_SERVER", "_GET", "_POST", "argv", "argc", "peer", "peer_port", "option", "read",
      "write", "except",
    ],
    suffix: "_")

  let plan: ExportPlan
  init(_ plan: ExportPlan) { self.plan = plan }

  var text: String {
    var body: [String] = []
    var uses = (fail: false, report: false)
    var index = 0
    while index < plan.steps.count {
      // socket_set_nonblock and socket_set_block make both calls: fcntl(F_GETFL), then F_SETFL.
      if case .getFlags(let target) = plan.steps[index].call, plan.steps[index].errno == nil,
        index + 1 < plan.steps.count, case .setFlags(let same, let flags) = plan.steps[index + 1].call,
        same == target
      {
        let function = flags.contains("O_NONBLOCK") ? "socket_set_nonblock" : "socket_set_block"
        var step = plan.steps[index + 1]
        step.manPage = "fcntl(2)"
        var part = lines(step, expression: "\(function)(\(socket(target)))", name: function, uses: &uses)
        part[0] =
          "// fcntl(2) twice: F_GETFL, then F_SETFL with \(flags)"
          + (step.errno.map { "; in the session the second failed with \($0.name) (\($0.message))" } ?? "")
        body += part
        index += 2
        continue
      }
      body += lines(plan.steps[index], uses: &uses)
      index += 1
    }
    if !plan.openAtEnd.isEmpty {
      let names = plan.openAtEnd.map(socket).joined(separator: ", ")
      body.append(
        "// The session left \(names) open; PHP closes what is left (close(2)) as the program ends.")
    }
    var out = ["<?php", "/*"]
    out += ProgramExport.preamble(plan, language: .php).map { $0.isEmpty ? " *" : " * " + $0 }
    out.append(" */")
    if uses.fail {
      out += [
        "", "// A call that worked in the session failed here: what follows would not make sense.",
        "function fail(string $call, $socket = null): never", "{",
        "    $code = $socket === null ? socket_last_error() : socket_last_error($socket);",
        "    fwrite(STDERR, \"$call: \" . socket_strerror($code) . \"\\n\");", "    exit(1);", "}",
      ]
    }
    if uses.report {
      out += [
        "", "// A call failed as it failed in the session: say so, and go on. (The @ before such a call",
        "// keeps PHP's own warning about it quiet: this says the same.)",
        "function report(string $call, $socket = null): void", "{",
        "    $code = $socket === null ? socket_last_error() : socket_last_error($socket);",
        "    fwrite(STDERR, \"$call: \" . socket_strerror($code) . \"\\n\");", "}",
      ]
    }
    out.append("")
    for (name, fd) in plan.adopted {
      out.append("// $\(name) (fd \(fd)) was made by a call the journal no longer held; PHP cannot take up a")
      out.append("// descriptor by its number: the program stops at its first call on it.")
      out.append("$\(name) = false;")
    }
    if !plan.adopted.isEmpty { out.append("") }
    out += body
    while out.last == "" { out.removeLast() }
    return out.joined(separator: "\n") + "\n"
  }

  private func socket(_ socket: ExportPlan.Socket) -> String {
    "$" + socket.name + (socket.index.map { "[\($0)]" } ?? "")
  }

  private func lines(
    _ step: ExportPlan.Step, expression: String? = nil, name: String? = nil,
    uses: inout (fail: Bool, report: Bool)
  ) -> [String] {
    let comment = "// " + ProgramExport.comment(step, quote: PHPProgramWriter.string)
    let failed = step.errno != nil
    let quiet = failed ? "@" : ""
    /// `if (CALL === false)`, then report or fail, naming the socket whose last error says why.
    func checked(_ call: String, _ function: String, on target: String?) -> [String] {
      let argument = target.map { ", " + $0 } ?? ""
      if failed {
        uses.report = true
        return [
          comment, "if (\(quiet)\(call) === false) {", "    report(\"\(function)\"\(argument));", "}", "",
        ]
      }
      uses.fail = true
      return [comment, "if (\(call) === false) {", "    fail(\"\(function)\"\(argument));", "}", ""]
    }
    /// `$x = CALL;` then the check on `$x`.
    func assigned(_ variable: String, _ call: String, _ function: String, on target: String?) -> [String] {
      let argument = target.map { ", " + $0 } ?? ""
      let assignment = "\(variable) = \(quiet)\(call);"
      if failed {
        uses.report = true
        return [
          comment, assignment, "if (\(variable) === false) {", "    report(\"\(function)\"\(argument));", "}",
          "",
        ]
      }
      uses.fail = true
      return [
        comment, assignment, "if (\(variable) === false) {", "    fail(\"\(function)\"\(argument));", "}", "",
      ]
    }
    if let expression, let name { return checked(expression, name, on: nil) }

    switch step.call {
    case .socket(let target, let domain, let type, let proto):
      return assigned(
        socket(target), "socket_create(\(php(domain)), \(php(type)), \(php(proto)))", "socket_create", on: nil
      )
    case .socketpair(let name, let domain, let type, let proto):
      return checked(
        "socket_create_pair(\(php(domain)), \(php(type)), \(php(proto)), $\(name))", "socket_create_pair",
        on: nil)
    case .bind(let target, let to, _):
      return checked("socket_bind(\(socket(target)), \(address(to)))", "socket_bind", on: socket(target))
    case .connect(let target, let to, _):
      return checked(
        "socket_connect(\(socket(target)), \(address(to)))", "socket_connect", on: socket(target))
    case .listen(let target, let backlog):
      return checked("socket_listen(\(socket(target)), \(backlog))", "socket_listen", on: socket(target))
    case .accept(let listener, let target, let peer):
      var lines = assigned(
        socket(target), "socket_accept(\(socket(listener)))", "socket_accept", on: socket(listener))
      if let peer {
        // PHP's accept gives no address: the one a later call uses is asked for, a call more.
        lines.insert("socket_getpeername(\(socket(target)), $\(peer), $\(peer)_port);", at: lines.count - 1)
      }
      return lines
    case .read(let target, let buffer, let count):
      return assigned(
        "$" + buffer, "socket_read(\(socket(target)), \(count))", "socket_read", on: socket(target))
    case .write(let target, let data):
      return checked(
        "socket_write(\(socket(target)), \(PHPProgramWriter.string(data)), \(data.count))", "socket_write",
        on: socket(target))
    case .recv(let target, let buffer, let count, let flags):
      return checked(
        "socket_recv(\(socket(target)), $\(buffer), \(count), \(php(flags)))", "socket_recv",
        on: socket(target))
    case .recvfrom(let target, let buffer, let count, let flags, let from):
      let name = from ?? "peer"
      return checked(
        "socket_recvfrom(\(socket(target)), $\(buffer), \(count), \(php(flags)), $\(name), $\(name)_port)",
        "socket_recvfrom", on: socket(target))
    case .send(let target, let data, let flags):
      return checked(
        "socket_send(\(socket(target)), \(PHPProgramWriter.string(data)), \(data.count), \(php(flags)))",
        "socket_send", on: socket(target))
    case .sendto(let target, let data, let flags, let to, _):
      return checked(
        "socket_sendto(\(socket(target)), \(PHPProgramWriter.string(data)), \(data.count), \(php(flags)), "
          + "\(address(to)))", "socket_sendto", on: socket(target))
    case .shutdown(let target, let how):
      let number = ["SHUT_RD": "0", "SHUT_WR": "1", "SHUT_RDWR": "2"][how] ?? how
      return checked(
        "socket_shutdown(\(socket(target)), \(number))", "socket_shutdown", on: socket(target)
      ).map { $0.hasPrefix("//") ? $0 + " (how: \(how))" : $0 }
    case .close(let target):
      // socket_close returns nothing to check.
      return [comment, "socket_close(\(socket(target)));", ""]
    case .getsockname(let target, let name):
      let into = name ?? "peer"
      return checked(
        "socket_getsockname(\(socket(target)), $\(into), $\(into)_port)", "socket_getsockname",
        on: socket(target))
    case .getpeername(let target, let name):
      let into = name ?? "peer"
      return checked(
        "socket_getpeername(\(socket(target)), $\(into), $\(into)_port)", "socket_getpeername",
        on: socket(target))
    case .setsockopt(let target, let level, let option, let value):
      var given = ""
      switch value {
      case .int(let number): given = String(number)
      case .linger(let onoff, let seconds): given = "[\"l_onoff\" => \(onoff), \"l_linger\" => \(seconds)]"
      case .timeval(let seconds, let microseconds):
        given = "[\"sec\" => \(seconds), \"usec\" => \(microseconds)]"
      case .tcpInfo: return []
      }
      return checked(
        "socket_set_option(\(socket(target)), \(php(level)), \(php(option)), \(given))", "socket_set_option",
        on: socket(target))
    case .getsockopt(_, _, let option, .bytes(let length)):
      return [
        comment,
        "// not exported: socket_get_option reads \(option) as an int; the session read \(length) bytes", "",
      ]
    case .getsockopt(let target, let level, let option, _):
      return assigned(
        "$option", "socket_get_option(\(socket(target)), \(php(level)), \(php(option)))", "socket_get_option",
        on: socket(target))
    case .getFlags, .setFlags:
      return [
        comment,
        "// not exported: PHP makes fcntl(2) on a socket only as socket_set_nonblock() and socket_set_block(),",
        "// F_GETFL and F_SETFL together; the session made this one alone", "",
      ]
    case .unlink(let path):
      return [
        comment, "if (\(quiet)unlink(\(PHPProgramWriter.string(path))) === false) {",
        "    fwrite(STDERR, \"unlink: failed\\n\");", failed ? "}" : "    exit(1);\n}", "",
      ]
    case .select(let read, let write, let except, let timeout):
      // socket_select hands the kernel an empty set for null as well as for [].
      var lines = [comment]
      for (name, members) in [("read", read), ("write", write), ("except", except)] {
        lines.append(
          "$\(name) = " + (members.map { "[" + $0.map(socket).joined(separator: ", ") + "]" } ?? "null") + ";"
        )
      }
      let wait = timeout.map { "\($0.seconds), \($0.microseconds)" } ?? "null"
      return lines
        + checked("socket_select($read, $write, $except, \(wait))", "socket_select", on: nil).dropFirst()
    case .writev(_, let parts):
      return [
        comment, "// not exported: PHP has no writev; socket_writev went with PHP 5.0. The session wrote",
        "// " + parts.map(PHPProgramWriter.string).joined(separator: ", ") + " in this one call", "",
      ]
    case .readv(_, _, let lengths):
      return [
        comment, "// not exported: PHP has no readv; socket_readv went with PHP 5.0. The session read into",
        "// buffers of " + lengths.map(String.init).joined(separator: ", ") + " bytes in this one call", "",
      ]
    case .sendmsg(let target, let parts, let to, _, let flags):
      var message = ""
      switch to {
      case .literal(let value)?:
        if case .unix(let path) = value {
          message = "\"name\" => [\"path\" => \(PHPProgramWriter.string(path))], "
        } else {
          message = "\"name\" => [\"addr\" => \"\(value.host)\", \"port\" => \(value.port ?? 0)], "
        }
      case .received(let name)?: message = "\"name\" => [\"addr\" => $\(name), \"port\" => $\(name)_port], "
      case nil: break
      }
      message += "\"iov\" => [" + parts.map(PHPProgramWriter.string).joined(separator: ", ") + "]"
      return checked(
        "socket_sendmsg(\(socket(target)), [\(message)], \(php(flags)))", "socket_sendmsg", on: socket(target)
      )
    case .recvmsg(_, _, let lengths, _, _):
      return [
        comment, "// not exported: socket_recvmsg reads into one buffer (buffer_size) and wants room for",
        "// control data (controllen > 0); the session's recvmsg(2) read into \(lengths.count) "
          + (lengths.count == 1 ? "buffer" : "buffers") + " with none", "",
      ]
    case .unsupported(let echo):
      return ["// not exported, no PHP is written for this call yet; in the session:", "//   " + echo, ""]
    }
  }

  /// Whether a call stands as a comment only: PHP has no function that makes it.
  static func cannotWrite(_ call: ExportPlan.Call) -> Bool {
    switch call {
    case .writev, .readv, .recvmsg, .getsockopt(_, _, _, .bytes): true
    default: false
    }
  }

  /// The sockets extension's constants; IPPROTO_IP as 0, the other protocols as SOL_TCP, SOL_UDP.
  private func php(_ symbol: String) -> String {
    ExportPlan.flags(symbol, joiner: " | ") { name in
      switch name {
      case "IPPROTO_IP": "0"
      case "IPPROTO_TCP": "SOL_TCP"
      case "IPPROTO_UDP": "SOL_UDP"
      default: PHPProgramWriter.undefined[name].map { "\($0) /* \(name) */" } ?? name
      }
    }
  }

  /// Constants the sockets extension does not define (PHP 8.2), written as their numbers.
  static let undefined: [String: Int32] = {
    var numbers: [String: Int32] = ["SOL_IP": Int32(IPPROTO_IP), "SOL_IPV6": Int32(IPPROTO_IPV6)]
    for name in ["SO_ACCEPTCONN", "SO_DOMAIN", "SO_PROTOCOL", "TCP_MAXSEG", "TCP_INFO", "IP_TTL", "IP_TOS"] {
      numbers[name] = SocketOption.named(name)?.number
    }
    return numbers
  }()

  private func address(_ target: ExportPlan.Address) -> String {
    switch target {
    case .received(let name): return "$\(name), $\(name)_port"
    case .literal(let value):
      switch value {
      case .inet(_, let port), .inet6(_, let port, _, _): return "\"\(value.host)\", \(port)"
      case .unix(let path): return PHPProgramWriter.string(path)
      }
    }
  }

  /// A double-quoted PHP string of exactly these bytes: `$` escaped, so nothing is interpolated.
  static func string(_ bytes: [UInt8]) -> String {
    "\""
      + ProgramExport.literal(bytes, special: [36]) { byte in
        switch byte {
        case 36: "\\$"
        default: "\\x" + ProgramExport.hex(byte)
        }
      } + "\""
  }
}
