/// Writes an export plan as a C program that `cc -Wall -Wextra -Werror -std=c11` compiles: each
/// call made as the session made it, its -1 checked, and a call that failed in the session
/// reported with perror while the program goes on.
struct CProgramWriter {
  static let naming = ExportPlan.Naming(
    reserved: [
      // Keywords, and names the program itself uses: libc's calls, its own helpers and variables.
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
      "extern",
      "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short",
      "signed",
      "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
      "socket", "socketpair", "bind", "listen", "accept", "connect", "read", "write", "recv", "recvfrom",
      "send",
      "sendto", "shutdown", "close", "getsockname", "getpeername", "setsockopt", "getsockopt", "fcntl",
      "unlink",
      "select", "main", "fail", "ipv4", "ipv6", "unix_address", "n", "peer", "peer_len", "addr4", "addr6",
      "addr_un", "flags", "option", "option_len", "errno", "perror", "printf", "exit", "signal", "htons",
      "memset", "memcpy", "strlen", "inet_pton", "stdin", "stdout", "stderr", "NULL",
      "readv", "writev", "sendmsg", "recvmsg", "watch", "nfds", "read_set", "write_set", "except_set",
      "timeout", "iov", "message_header", "linger_option", "timeval_option", "option_bytes",
    ], suffix: "_fd")

  let plan: ExportPlan
  init(_ plan: ExportPlan) { self.plan = plan }

  var text: String {
    var body: [String] = []
    var declared: Set<String> = []
    var uses = Uses()
    for step in plan.steps { body += lines(step, declared: &declared, uses: &uses) }

    var out = ["/*"]
    out += ProgramExport.preamble(plan, language: .c).map { $0.isEmpty ? "" : "   " + $0 }
    out[out.count - 1] += " */"
    out += ["#define _DEFAULT_SOURCE", ""]
    var headers = ["errno.h", "stdio.h", "stdlib.h", "string.h", "sys/socket.h", "unistd.h"]
    if uses.inet || uses.inet6 { headers += ["arpa/inet.h", "netinet/in.h"] }
    if uses.unix { headers += ["stddef.h", "sys/un.h"] }
    if uses.signal { headers.append("signal.h") }
    if uses.fcntl { headers.append("fcntl.h") }
    if uses.select || uses.timeval { headers += ["sys/select.h", "sys/time.h"] }
    if uses.iov > 0 { headers.append("sys/uio.h") }
    // SOL_TCP and the TCP_ options.
    if body.contains(where: { $0.contains("TCP_") || $0.contains("SOL_TCP") }) {
      headers.append("netinet/tcp.h")
    }
    out += headers.sorted().map { "#include <\($0)>" }
    if uses.fail {
      out += [
        "", "/* A call that worked in the session failed here: what follows would not make sense. */",
        "static void fail(const char *call)", "{", "  perror(call);", "  exit(1);", "}",
      ]
    }
    if uses.inet {
      out += [
        "", "/* An IPv4 address and port, as bind(2), connect(2) and sendto(2) take them. */",
        "static struct sockaddr_in ipv4(const char *host, unsigned short port)", "{",
        "  struct sockaddr_in address;", "  memset(&address, 0, sizeof address);",
        "  address.sin_family = AF_INET;", "  address.sin_port = htons(port);",
        "  inet_pton(AF_INET, host, &address.sin_addr);", "  return address;", "}",
      ]
    }
    if uses.inet6 {
      out += [
        "", "/* An IPv6 address and port. */",
        "static struct sockaddr_in6 ipv6(const char *host, unsigned short port)", "{",
        "  struct sockaddr_in6 address;", "  memset(&address, 0, sizeof address);",
        "  address.sin6_family = AF_INET6;", "  address.sin6_port = htons(port);",
        "  inet_pton(AF_INET6, host, &address.sin6_addr);", "  return address;", "}",
      ]
    }
    if uses.unix {
      out += [
        "", "/* An AF_UNIX address: a path, or an abstract name when it starts with a NUL byte. */",
        "static struct sockaddr_un unix_address(const char *path, size_t length)", "{",
        "  struct sockaddr_un address;", "  memset(&address, 0, sizeof address);",
        "  address.sun_family = AF_UNIX;", "  memcpy(address.sun_path, path, length);", "  return address;",
        "}",
      ]
    }
    if uses.select {
      out += [
        "", "/* Puts a descriptor in a set for select(2); nfds stays one more than the highest. */",
        "static void watch(int fd, fd_set *set, int *nfds)", "{", "  FD_SET(fd, set);", "  if (fd >= *nfds)",
        "    *nfds = fd + 1;", "}",
      ]
    }
    out += ["", "int main(void)", "{"]
    var declarations: [String] = []
    if uses.count { declarations.append("ssize_t n;") }
    for buffer in plan.buffers { declarations.append("static char \(buffer.name)[\(buffer.size)];") }
    if uses.peer || uses.peerName { declarations.append("struct sockaddr_storage peer;") }
    if uses.peer { declarations.append("socklen_t peer_len;") }
    for name in plan.addresses {
      declarations += ["struct sockaddr_storage \(name);", "socklen_t \(name)_len = sizeof \(name);"]
    }
    if uses.inet { declarations.append("struct sockaddr_in addr4;") }
    if uses.inet6 { declarations.append("struct sockaddr_in6 addr6;") }
    if uses.unix { declarations.append("struct sockaddr_un addr_un;") }
    for name in plan.pairNames { declarations.append("int \(name)[2];") }
    for (name, fd) in plan.adopted {
      declarations.append("int \(name) = \(fd); /* made by a call the journal no longer held */")
    }
    if uses.flags { declarations.append("int flags;") }
    if uses.option || uses.optionBytes > 0 || uses.linger || uses.timeval {
      if uses.option { declarations.append("int option;") }
      if uses.linger { declarations.append("struct linger linger_option;") }
      if uses.timeval { declarations.append("struct timeval timeval_option;") }
      if uses.optionBytes > 0 { declarations.append("unsigned char option_bytes[\(uses.optionBytes)];") }
      if uses.optionLength { declarations.append("socklen_t option_len;") }
    }
    if uses.select {
      let sets = ["read_set", "write_set", "except_set"].filter(uses.sets.contains)
      if !sets.isEmpty { declarations.append("fd_set " + sets.joined(separator: ", ") + ";") }
      declarations.append("int nfds;")
    }
    if uses.selectTimeout { declarations.append("struct timeval timeout;") }
    if uses.iov > 0 { declarations.append("struct iovec iov[\(uses.iov)];") }
    if uses.message { declarations.append("struct msghdr message_header;") }
    out += declarations.map { "  " + $0 }
    if !declarations.isEmpty { out.append("") }
    if uses.signal {
      out += [
        "  /* sockshell ignores SIGPIPE: a write to a connection the peer closed fails with EPIPE",
        "     instead of ending the program. */", "  signal(SIGPIPE, SIG_IGN);", "",
      ]
    }
    out += body
    out += ["  return 0;", "}"]
    return out.joined(separator: "\n") + "\n"
  }

  /// What the program needs besides its calls.
  struct Uses {
    var fail = false, inet = false, inet6 = false, unix = false, signal = false, fcntl = false
    var count = false, peer = false, flags = false, option = false
    var select = false, selectTimeout = false, linger = false, timeval = false, message = false
    /// recvmsg's msg_name, which needs no length apart; getsockopt's length.
    var peerName = false, optionLength = false
    var sets: Set<String> = []
    /// The most iovecs one call takes; the largest option read as bytes.
    var iov = 0, optionBytes = 0
  }

  private func lines(_ step: ExportPlan.Step, declared: inout Set<String>, uses: inout Uses) -> [String] {
    var out = ["  /* " + ProgramExport.comment(step, quote: CProgramWriter.commentQuote) + " */"]
    let expectsFailure = step.errno != nil
    let callName = String(step.manPage.prefix { $0 != "(" })
    /// `if (CALL == -1)` and what follows: perror and on, or fail.
    func checked(_ expression: String, name: String = callName) {
      if expectsFailure {
        out += ["  if (\(expression) == -1)", "    perror(\"\(name)\");"]
      } else {
        uses.fail = true
        out += ["  if (\(expression) == -1)", "    fail(\"\(name)\");"]
      }
    }
    func counted(_ expression: String) {
      uses.count = true
      out.append("  n = \(expression);")
      checked("n")
    }
    func socket(_ socket: ExportPlan.Socket) -> String {
      socket.index.map { "\(socket.name)[\($0)]" } ?? socket.name
    }
    func address(_ target: ExportPlan.Address, length: Int) -> String {
      switch target {
      case .received(let name): return "(struct sockaddr *)&\(name), \(name)_len"
      case .literal(let value):
        switch value {
        case .inet(_, let port):
          uses.inet = true
          out.append("  addr4 = ipv4(\"\(value.host)\", \(port));")
          return "(struct sockaddr *)&addr4, sizeof addr4"
        case .inet6(_, let port, _, _):
          uses.inet6 = true
          out.append("  addr6 = ipv6(\"\(value.host)\", \(port));")
          return "(struct sockaddr *)&addr6, sizeof addr6"
        case .unix(let path):
          uses.unix = true
          out.append("  addr_un = unix_address(\(CProgramWriter.string(path)), \(path.count));")
          return "(struct sockaddr *)&addr_un, offsetof(struct sockaddr_un, sun_path) + \(length - 2)"
        }
      }
    }
    func into(_ name: String?) -> String {
      guard let name else {
        uses.peer = true
        out.append("  peer_len = sizeof peer;")
        return "(struct sockaddr *)&peer, &peer_len"
      }
      return "(struct sockaddr *)&\(name), &\(name)_len"
    }
    /// Fills `iov` with these buffers and lengths.
    func vector(_ parts: [(base: String, length: Int)]) {
      uses.iov = max(uses.iov, parts.count)
      for (index, part) in parts.enumerated() {
        out.append("  iov[\(index)].iov_base = \(part.base);")
        out.append("  iov[\(index)].iov_len = \(part.length);")
      }
    }
    func declare(_ target: ExportPlan.Socket) -> String {
      let name = socket(target)
      return declared.insert(name).inserted ? "int " + name : name
    }

    switch step.call {
    case .socket(let target, let domain, let type, let proto):
      out.append("  \(declare(target)) = socket(\(c(domain)), \(c(type)), \(c(proto)));")
      checked(socket(target))
    case .socketpair(let name, let domain, let type, let proto):
      checked("socketpair(\(c(domain)), \(c(type)), \(c(proto)), \(name))")
    case .bind(let target, let to, let length):
      let where_ = address(to, length: length)
      checked("bind(\(socket(target)), \(where_))")
    case .connect(let target, let to, let length):
      let where_ = address(to, length: length)
      checked("connect(\(socket(target)), \(where_))")
    case .listen(let target, let backlog):
      checked("listen(\(socket(target)), \(backlog))")
    case .accept(let listener, let target, let peer):
      let from = into(peer)
      out.append("  \(declare(target)) = accept(\(socket(listener)), \(from));")
      checked(socket(target))
    case .read(let target, let buffer, let count):
      counted("read(\(socket(target)), \(buffer), \(count))")
    case .write(let target, let data):
      counted("write(\(socket(target)), \(CProgramWriter.string(data)), \(data.count))")
      uses.signal = true
    case .recv(let target, let buffer, let count, let flags):
      counted("recv(\(socket(target)), \(buffer), \(count), \(c(flags)))")
    case .recvfrom(let target, let buffer, let count, let flags, let from):
      let source = into(from)
      counted("recvfrom(\(socket(target)), \(buffer), \(count), \(c(flags)), \(source))")
    case .send(let target, let data, let flags):
      counted("send(\(socket(target)), \(CProgramWriter.string(data)), \(data.count), \(c(flags)))")
      uses.signal = true
    case .sendto(let target, let data, let flags, let to, let length):
      let where_ = address(to, length: length)
      counted(
        "sendto(\(socket(target)), \(CProgramWriter.string(data)), \(data.count), \(c(flags)), \(where_))")
      uses.signal = true
    case .shutdown(let target, let how):
      checked("shutdown(\(socket(target)), \(c(how)))")
    case .close(let target):
      checked("close(\(socket(target)))")
    case .getsockname(let target, let name):
      let source = into(name)
      checked("getsockname(\(socket(target)), \(source))")
    case .getpeername(let target, let name):
      let source = into(name)
      checked("getpeername(\(socket(target)), \(source))")
    case .setsockopt(let target, let level, let option, let value):
      let variable: String
      switch value {
      case .linger(let onoff, let seconds):
        uses.linger = true
        variable = "linger_option"
        out += ["  linger_option.l_onoff = \(onoff);", "  linger_option.l_linger = \(seconds);"]
      case .timeval(let seconds, let microseconds):
        uses.timeval = true
        variable = "timeval_option"
        out += ["  timeval_option.tv_sec = \(seconds);", "  timeval_option.tv_usec = \(microseconds);"]
      case .int(let number):
        uses.option = true
        variable = "option"
        out.append("  option = \(number);")
      case .tcpInfo:
        return []
      }
      checked(
        "setsockopt(\(socket(target)), \(c(level)), \(c(option)), &\(variable), sizeof \(variable))",
        name: "setsockopt")
    case .getsockopt(let target, let level, let option, let shape):
      var variable = "option_bytes"
      switch shape {
      case .int: variable = "option"; uses.option = true
      case .linger: variable = "linger_option"; uses.linger = true
      case .timeval: variable = "timeval_option"; uses.timeval = true
      case .bytes(let length): uses.optionBytes = max(uses.optionBytes, length)
      }
      uses.optionLength = true
      if case .bytes(let length) = shape {
        out.append("  option_len = \(length);")
        checked(
          "getsockopt(\(socket(target)), \(c(level)), \(c(option)), option_bytes, &option_len)",
          name: "getsockopt")
      } else {
        out.append("  option_len = sizeof \(variable);")
        checked(
          "getsockopt(\(socket(target)), \(c(level)), \(c(option)), &\(variable), &option_len)",
          name: "getsockopt")
      }
    case .getFlags(let target):
      uses.fcntl = true
      uses.flags = true
      out.append("  flags = fcntl(\(socket(target)), F_GETFL);")
      checked("flags")
    case .setFlags(let target, let flags):
      uses.fcntl = true
      checked("fcntl(\(socket(target)), F_SETFL, \(c(flags)))")
    case .unlink(let path):
      checked("unlink(\(CProgramWriter.string(path)))")
    case .select(let read, let write, let except, let timeout):
      uses.select = true
      out.append("  nfds = 0;")
      var sets: [String] = []
      for (name, members) in [("read_set", read), ("write_set", write), ("except_set", except)] {
        guard let members else {
          sets.append("NULL")
          continue
        }
        uses.sets.insert(name)
        out.append("  FD_ZERO(&\(name));")
        out += members.map { "  watch(\(socket($0)), &\(name), &nfds);" }
        sets.append("&" + name)
      }
      if let timeout {
        uses.selectTimeout = true
        out += ["  timeout.tv_sec = \(timeout.seconds);", "  timeout.tv_usec = \(timeout.microseconds);"]
      }
      counted("select(nfds, \(sets.joined(separator: ", ")), \(timeout == nil ? "NULL" : "&timeout"))")
    case .writev(let target, let parts):
      vector(parts.map { (CProgramWriter.string($0), $0.count) })
      counted("writev(\(socket(target)), iov, \(parts.count))")
      uses.signal = true
    case .readv(let target, let buffer, let lengths):
      vector(CProgramWriter.pieces(of: buffer, lengths))
      counted("readv(\(socket(target)), iov, \(lengths.count))")
    case .sendmsg(let target, let parts, let to, let length, let flags):
      uses.message = true
      out.append("  memset(&message_header, 0, sizeof message_header);")
      vector(parts.map { (CProgramWriter.string($0), $0.count) })
      if let to {
        let named = address(to, length: length)
        let comma = named.firstRange(of: ", ")!
        out += [
          "  message_header.msg_name = \(named[..<comma.lowerBound].replacing("(struct sockaddr *)", with: ""));",
          "  message_header.msg_namelen = \(named[comma.upperBound...]);",
        ]
      }
      out += ["  message_header.msg_iov = iov;", "  message_header.msg_iovlen = \(parts.count);"]
      counted("sendmsg(\(socket(target)), &message_header, \(c(flags)))")
      uses.signal = true
    case .recvmsg(let target, let buffer, let lengths, let flags, let from):
      uses.message = true
      out.append("  memset(&message_header, 0, sizeof message_header);")
      vector(CProgramWriter.pieces(of: buffer, lengths))
      if let from {
        out += ["  message_header.msg_name = &\(from);", "  message_header.msg_namelen = sizeof \(from);"]
      } else {
        uses.peerName = true
        out += ["  message_header.msg_name = &peer;", "  message_header.msg_namelen = sizeof peer;"]
      }
      out += ["  message_header.msg_iov = iov;", "  message_header.msg_iovlen = \(lengths.count);"]
      counted("recvmsg(\(socket(target)), &message_header, \(c(flags)))")
      if let from { out.append("  \(from)_len = message_header.msg_namelen;") }
    case .unsupported(let echo):
      out = [
        "  /* not exported, no C is written for this call yet; in the session:",
        "     " + uncomment(echo) + " */",
      ]
    }
    out.append("")
    return out
  }

  /// One buffer cut into iovecs of these lengths, one after the other: `buf`, `buf + 4`.
  static func pieces(of buffer: String, _ lengths: [Int]) -> [(base: String, length: Int)] {
    var offset = 0
    return lengths.map { length in
      defer { offset += length }
      return (offset == 0 ? buffer : "\(buffer) + \(offset)", length)
    }
  }

  private func c(_ symbol: String) -> String {
    ExportPlan.flags(symbol, joiner: " | ") { $0 == "IPPROTO_IP" ? "0" : $0 }
  }

  private func uncomment(_ text: String) -> String {
    text.replacing("*/", with: "*\\/")
  }

  /// A C string literal of exactly these bytes: octal escapes (never hex, which would take the
  /// digits after it), `\?` against trigraphs, and lines of at most 64 bytes.
  static func string(_ bytes: [UInt8]) -> String {
    guard bytes.count > 64 else { return "\"" + escaped(bytes) + "\"" }
    var parts: [String] = []
    var index = 0
    while index < bytes.count {
      let end = min(index + 64, bytes.count)
      parts.append("\"" + escaped(Array(bytes[index..<end])) + "\"")
      index = end
    }
    return parts.joined(separator: "\n    ")
  }

  static func escaped(_ bytes: [UInt8]) -> String {
    ProgramExport.literal(bytes, special: [63]) { byte in
      switch byte {
      case 63: "\\?"
      default:
        "\\" + String(byte >> 6) + String((byte >> 3) & 7) + String(byte & 7)
      }
    }
  }

  /// Data shown in a comment: the literal, with `*/` unable to end the comment.
  static func commentQuote(_ bytes: [UInt8]) -> String {
    string(bytes).replacing("*/", with: "*\\/").replacing("\n    ", with: "")
  }
}
