/// Writes an export plan as a Python 3 program using the socket module: a call that worked in
/// the session is made plainly (an OSError would end the program with its traceback), one that
/// failed there is made in try/except OSError, reported with its errno, and the program goes on.
///
/// `read` and `write` become os.read and os.write on the socket's descriptor, which make read(2)
/// and write(2) themselves; sock.recv and sock.send would make recvfrom(2) and sendto(2).
struct PythonProgramWriter {
  static let naming = ExportPlan.Naming(
    reserved: [
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
      "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
      "lambda",
      "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case",
      // The modules and helpers the program uses.
      "socket", "os", "sys", "errno", "fcntl", "report", "error", "print", "peer", "flags", "option",
      "select", "struct",
    ], suffix: "_")

  let plan: ExportPlan
  init(_ plan: ExportPlan) { self.plan = plan }

  var text: String {
    var body: [String] = []
    var modules: Set<String> = ["socket"]
    var reports = false
    for step in plan.steps { body += lines(step, modules: &modules, reports: &reports) }
    if !plan.openAtEnd.isEmpty {
      body += [
        "# The session left these sockets open. detach() keeps Python from closing them here:",
        "# the end of the process closes them, as it closed the session's.",
      ]
      body += plan.openAtEnd.map { socket($0) + ".detach()" }
    }
    var out = ["#!/usr/bin/env python3", "\"\"\"" + ProgramExport.preamble(plan, language: .python)[0]]
    out += ProgramExport.preamble(plan, language: .python).dropFirst()
    out.append("\"\"\"")
    if reports { modules.formUnion(["errno", "sys"]) }
    out += modules.sorted().map { "import " + $0 }
    if reports {
      out += [
        "", "", "def report(call, error):",
        "    \"\"\"A call failed as it failed in the session: say so, and go on.\"\"\"",
        "    name = errno.errorcode.get(error.errno, str(error.errno))",
        "    print(f\"{call}: {name} ({error.strerror})\", file=sys.stderr)",
      ]
    }
    out += ["", ""]
    for (name, fd) in plan.adopted {
      out.append("\(name) = socket.socket(fileno=\(fd))  # made by a call the journal no longer held")
    }
    if !plan.adopted.isEmpty { out.append("") }
    out += body
    while out.last == "" { out.removeLast() }
    return out.joined(separator: "\n") + "\n"
  }

  private func socket(_ socket: ExportPlan.Socket) -> String {
    socket.index.map { "\(socket.name)[\($0)]" } ?? socket.name
  }

  private func lines(_ step: ExportPlan.Step, modules: inout Set<String>, reports: inout Bool) -> [String] {
    let comment = "# " + ProgramExport.comment(step, quote: PythonProgramWriter.bytes)
    let callName = String(step.manPage.prefix { $0 != "(" })
    func made(_ statement: String) -> [String] {
      guard step.errno != nil else { return [comment, statement, ""] }
      reports = true
      return [
        comment, "try:", "    " + statement, "except OSError as error:", "    report(\"\(callName)\", error)",
        "",
      ]
    }
    func fileno(_ target: ExportPlan.Socket) -> String { socket(target) + ".fileno()" }
    func flagsTail(_ flags: String) -> String {
      flags == "0" ? "" : ", " + python(flags, module: "socket")
    }

    switch step.call {
    case .socket(let target, let domain, let type, let proto):
      return made(
        "\(socket(target)) = socket.socket(\(python(domain, module: "socket")), "
          + "\(python(type, module: "socket")), \(python(proto, module: "socket")))")
    case .socketpair(let name, let domain, let type, let proto):
      return made(
        "\(name) = socket.socketpair(\(python(domain, module: "socket")), \(python(type, module: "socket")), "
          + "\(python(proto, module: "socket")))")
    case .bind(let target, let to, _):
      return made("\(socket(target)).bind(\(address(to)))")
    case .connect(let target, let to, _):
      return made("\(socket(target)).connect(\(address(to)))")
    case .listen(let target, let backlog):
      return made("\(socket(target)).listen(\(backlog))")
    case .accept(let listener, let target, let peer):
      return made("\(socket(target)), \(peer ?? "_") = \(socket(listener)).accept()")
    case .read(let target, let buffer, let count):
      modules.insert("os")
      return made("\(buffer) = os.read(\(fileno(target)), \(count))")
    case .write(let target, let data):
      modules.insert("os")
      return made("os.write(\(fileno(target)), \(PythonProgramWriter.bytes(data)))")
    case .recv(let target, let buffer, let count, let flags):
      return made("\(buffer) = \(socket(target)).recv(\(count)\(flagsTail(flags)))")
    case .recvfrom(let target, let buffer, let count, let flags, let from):
      return made("\(buffer), \(from ?? "_") = \(socket(target)).recvfrom(\(count)\(flagsTail(flags)))")
    case .send(let target, let data, let flags):
      return made("\(socket(target)).send(\(PythonProgramWriter.bytes(data))\(flagsTail(flags)))")
    case .sendto(let target, let data, let flags, let to, _):
      return made(
        "\(socket(target)).sendto(\(PythonProgramWriter.bytes(data))\(flagsTail(flags)), \(address(to)))")
    case .shutdown(let target, let how):
      return made("\(socket(target)).shutdown(\(python(how, module: "socket")))")
    case .close(let target):
      return made("\(socket(target)).close()")
    case .getsockname(let target, let name):
      return made((name.map { $0 + " = " } ?? "") + "\(socket(target)).getsockname()")
    case .getpeername(let target, let name):
      return made((name.map { $0 + " = " } ?? "") + "\(socket(target)).getpeername()")
    case .setsockopt(let target, let level, let option, let value):
      var given = ""
      switch value {
      case .int(let number): given = String(number)
      case .linger(let onoff, let seconds): given = "struct.pack(\"ii\", \(onoff), \(seconds))"
      case .timeval(let seconds, let microseconds): given = "struct.pack(\"ll\", \(seconds), \(microseconds))"
      case .tcpInfo: return []
      }
      if given.hasPrefix("struct") { modules.insert("struct") }
      return made(
        "\(socket(target)).setsockopt(\(python(level, module: "socket")), \(python(option, module: "socket")), \(given))"
      )
    case .getsockopt(let target, let level, let option, let shape):
      // A length makes Python read bytes of that size (struct linger, struct timeval).
      let length: String
      switch shape {
      case .int: length = ""
      case .linger: length = ", 8"
      case .timeval: length = ", 16"
      case .bytes(let count): length = ", \(count)"
      }
      return made(
        "option = \(socket(target)).getsockopt(\(python(level, module: "socket")), \(python(option, module: "socket"))\(length))"
      )
    case .getFlags(let target):
      modules.insert("fcntl")
      return made("flags = fcntl.fcntl(\(fileno(target)), fcntl.F_GETFL)")
    case .setFlags(let target, let flags):
      modules.formUnion(["fcntl", "os"])
      return made("fcntl.fcntl(\(fileno(target)), fcntl.F_SETFL, \(python(flags, module: "os")))")
    case .unlink(let path):
      modules.insert("os")
      return made("os.unlink(\(PythonProgramWriter.bytes(path)))")
    case .select(let read, let write, let except, let timeout):
      // An empty list is a NULL set to Python.
      modules.insert("select")
      let sets = [read, write, except].map { "[" + ($0 ?? []).map(socket).joined(separator: ", ") + "]" }
      let seconds = timeout.map(PythonProgramWriter.seconds) ?? "None"
      return made("select.select(\(sets.joined(separator: ", ")), \(seconds))")
    case .writev(let target, let parts):
      modules.insert("os")
      return made("os.writev(\(fileno(target)), \(PythonProgramWriter.list(parts)))")
    case .readv(let target, let buffer, let lengths):
      modules.insert("os")
      var lines = made("os.readv(\(fileno(target)), \(buffer))")
      lines.insert("\(buffer) = \(PythonProgramWriter.buffers(lengths))", at: 1)
      return lines
    case .sendmsg(let target, let parts, let to, _, let flags):
      // sendmsg(buffers[, ancdata[, flags[, address]]]): no control data.
      var tail = ""
      if let to {
        tail = ", [], \(python(flags, module: "socket")), \(address(to))"
      } else if flags != "0" {
        tail = ", []" + flagsTail(flags)
      }
      return made("\(socket(target)).sendmsg(\(PythonProgramWriter.list(parts))\(tail))")
    case .recvmsg(let target, let buffer, let lengths, let flags, let from):
      // recvmsg_into(buffers[, ancbufsize[, flags]]): no room for control data.
      let tail = flags == "0" ? "" : ", 0" + flagsTail(flags)
      let into = from.map { "_, _, _, \($0) = " } ?? ""
      var lines = made("\(into)\(socket(target)).recvmsg_into(\(buffer)\(tail))")
      lines.insert("\(buffer) = \(PythonProgramWriter.buffers(lengths))", at: 1)
      return lines
    case .unsupported(let echo):
      return ["# not exported, no Python is written for this call yet; in the session:", "#   " + echo, ""]
    }
  }

  /// A constant of the socket module (`socket.AF_INET`), or of os for the O_ flags.
  private func python(_ symbol: String, module: String) -> String {
    ExportPlan.flags(symbol) { name in
      if name == "IPPROTO_IP" { return "0" }
      // The socket module has no SOL_IPV6; the level is the protocol's number.
      if name == "SOL_IPV6" { return "socket.IPPROTO_IPV6" }
      return (name.hasPrefix("O_") ? "os" : "socket") + "." + name
    }
  }

  private func address(_ target: ExportPlan.Address) -> String {
    switch target {
    case .received(let name): return name
    case .literal(let value):
      switch value {
      case .inet(_, let port): return "(\"\(value.host)\", \(port))"
      case .inet6(_, let port, let flow, let scope): return "(\"\(value.host)\", \(port), \(flow), \(scope))"
      case .unix(let path): return PythonProgramWriter.bytes(path)
      }
    }
  }

  /// A timeout in seconds, exact to the microsecond: `5`, `0.250000`.
  static func seconds(_ timeout: ExportPlan.Timeout) -> String {
    guard timeout.microseconds != 0 else { return String(timeout.seconds) }
    let fraction = String(timeout.microseconds)
    return "\(timeout.seconds)." + String(repeating: "0", count: max(0, 6 - fraction.count)) + fraction
  }

  /// `[b"xiong", b"chao"]`: the buffers a gathering call sends.
  static func list(_ parts: [[UInt8]]) -> String {
    "[" + parts.map(bytes).joined(separator: ", ") + "]"
  }

  /// `[bytearray(4), bytearray(16)]`: the buffers a scattering call fills.
  static func buffers(_ lengths: [Int]) -> String {
    "[" + lengths.map { "bytearray(\($0))" }.joined(separator: ", ") + "]"
  }

  /// A bytes literal of exactly these bytes.
  static func bytes(_ bytes: [UInt8]) -> String {
    "b\""
      + ProgramExport.literal(bytes, special: []) { "\\x" + ProgramExport.hex($0) } + "\""
  }
}
