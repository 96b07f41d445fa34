import Glibc

/// Moving bytes: read and write, and recv, send, recvfrom and sendto with their flags and
/// addresses.
enum Transfer {
  static let commands: [CommandSpec] = [read, write, recv, send, recvfrom, sendto]

  /// The most a single read allocates; a larger length is capped with a notice.
  static let maximumReadLength = 1 << 20

  static let read = CommandSpec(
    name: "read", aliases: ["socket_read"], family: .data,
    synopsis: "read HANDLE LENGTH [PHP_BINARY_READ|PHP_NORMAL_READ]",
    prototype: "ssize_t read(int fd, void *buf, size_t count);",
    php: "socket_read(Socket $socket, int $length, int $mode = PHP_BINARY_READ): string|false",
    manPage: "read(2)",
    summary: "Read up to LENGTH bytes; empty at end of stream.",
    notes: """
      Blocks until some data is there, then returns what has arrived, which may be less than
      LENGTH: TCP is a byte stream, not messages. An empty result means the peer closed or shut
      down its writing side. PHP_NORMAL_READ reads one byte per call until \\n or \\r, which the
      echo shows call by call; a call that fails after some bytes (Ctrl-C) leaves them as the
      value, where PHP would return false. A non-blocking socket with nothing to read gets EAGAIN.
      """,
    effect: "unchanged; an empty result means the peer will send nothing more",
    errors: [
      LikelyError("EAGAIN", "a non-blocking socket with nothing to read"),
      LikelyError("ENOTCONN", "the socket is not connected"),
      LikelyError("ECONNRESET", "the peer reset the connection"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
    ],
    example: "$input = read $spawn 1024",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let handle = try call.handle(0)
    let length = try call.readLength(1)
    let mode = try call.int(2, "the mode", default: 2)
    guard mode == 1 || mode == 2 else {
      throw call.usage("the mode must be PHP_BINARY_READ (2) or PHP_NORMAL_READ (1)")
    }

    if mode == 2 {
      let result = call.waiting(Transfer.readWait(handle)) { call.kernel.read(handle.fd, count: length) }
      guard case .success(let bytes) = result else { return .bool(false) }
      handle.bytesRead += bytes.count
      return .bytes(bytes)
    }
    // PHP_NORMAL_READ, as PHP does it: one byte at a time up to a line end.
    var line: [UInt8] = []
    while line.count < length {
      let result = call.waiting(Transfer.readWait(handle)) { call.kernel.read(handle.fd, count: 1) }
      switch result {
      case .success(let bytes):
        guard let byte = bytes.first else { return .bytes(line) }
        handle.bytesRead += 1
        line.append(byte)
        if byte == 10 || byte == 13 { return .bytes(line) }
      case .failure(let errno):
        guard !line.isEmpty else { return .bool(false) }
        // The bytes before the failure have left the socket's buffer: they are the value, not
        // dropped as PHP's socket_read drops them (it returns false).
        let interpreter = call.interpreter
        let what = errno == .EINTR ? "was interrupted" : "failed with \(errno.name)"
        let bytes = line.count == 1 ? "1 byte" : "\(line.count) bytes"
        interpreter.notice("read \(what) after \(bytes) of the line; they are in the value")
        if errno == .EINTR {
          interpreter.hint(
            for: errno.number,
            "the wait was interrupted (Ctrl-C or the time limit) before a line end came; the \(bytes) "
              + "read before it \(line.count == 1 ? "has" : "have") left the socket")
        }
        return .bytes(line)
      }
    }
    return .bytes(line)
  }

  static func readWait(_ handle: Handle, _ call: String = "read") -> String {
    "\(call)(\(handle.fd)) is waiting for data from \(handle.peerAddress?.display ?? "the peer")"
  }

  /// Linux answers a write on a TCP socket that never connected with EPIPE, as if a peer had
  /// closed: the hint says what really happened.
  static func explainNeverConnected(_ call: borrowing Invocation, _ handle: Handle) {
    guard [.created, .bound, .listening].contains(handle.state) else { return }
    let what = handle.state == .listening ? "a listening socket, which only accepts" : "never connected"
    call.interpreter.hint(
      for: EPIPE, "this socket is \(what): there is no peer to send to; write on a connected socket "
        + "(the one connect made, or the one accept gave you)")
  }

  static func writeWait(_ handle: Handle, _ call: String = "write") -> String {
    "\(call)(\(handle.fd)) is waiting for room in the send buffer: the peer is not reading"
  }

  static let write = CommandSpec(
    name: "write", aliases: ["socket_write"], family: .data,
    synopsis: "write HANDLE DATA [LENGTH]",
    prototype: "ssize_t write(int fd, const void *buf, size_t count);",
    php: "socket_write(Socket $socket, string $data, ?int $length = null): int|false",
    manPage: "write(2)",
    summary: "Send bytes; the value is how many the kernel took.",
    notes: """
      The kernel copies the bytes into the socket's send buffer and returns; they reach the peer
      later. A short count means the buffer was full (non-blocking). Writing to a connection the
      peer has closed gives EPIPE; sockshell ignores SIGPIPE so that you see it.
      """,
    effect: "unchanged; the bytes go to the socket's send buffer",
    errors: [
      LikelyError("EPIPE", "the peer closed, or this side shut down writing"),
      LikelyError("EAGAIN", "a non-blocking socket whose send buffer is full"),
      LikelyError("ENOTCONN", "the socket is not connected"),
      LikelyError("ECONNRESET", "the peer reset the connection"),
    ],
    example: "write $client \"xiongchao\"",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let handle = try call.handle(0)
    let data = try call.data(1, length: 2)
    Transfer.explainNeverConnected(call, handle)
    let result = call.waiting(Transfer.writeWait(handle)) { call.kernel.write(handle.fd, data) }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    return .int(count)
  }

  static let flagNotes = """
    FLAGS are MSG_* constants joined with |: MSG_PEEK (look, leave the data queued),
    MSG_WAITALL (wait for the whole LENGTH), MSG_DONTWAIT (this call only: EAGAIN instead of
    waiting), MSG_OOB (urgent data), MSG_NOSIGNAL (EPIPE without SIGPIPE), MSG_TRUNC (a datagram's
    real length even when it was cut).
    """

  static let recv = CommandSpec(
    name: "recv", aliases: ["socket_recv"], family: .data,
    synopsis: "recv HANDLE LENGTH [FLAGS]",
    prototype: "ssize_t recv(int sockfd, void *buf, size_t len, int flags);",
    php: "socket_recv(Socket $socket, ?string &$data, int $length, int $flags): int|false",
    manPage: "recv(2)",
    summary: "Read with flags (MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT, ...); the value is the data.",
    notes: """
      read with a FLAGS argument. glibc makes it the recvfrom system call with no address, which
      is what strace shows for it.
      PHP's form puts the data in a variable and returns the count:
      `socket_recv($s, $buf, 1024, MSG_WAITALL)`.
      """ + "\n" + flagNotes,
    effect: "unchanged; MSG_PEEK leaves the data queued for the next read",
    errors: [
      LikelyError("EAGAIN", "MSG_DONTWAIT or a non-blocking socket, and nothing to read"),
      LikelyError("ENOTCONN", "the socket is not connected"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
    ],
    example: "$peek = recv $spawn 1024 MSG_PEEK",
    mayBlock: true, outArguments: [1]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...4)
    let handle = try call.handle(0)
    // PHP's form: socket_recv($socket, $data, $length, $flags).
    let phpForm = call.count == 4
    let length = try call.readLength(phpForm ? 2 : 1)
    let flags = try call.messageFlags(phpForm ? 3 : 2)
    let result = call.waiting(Transfer.readWait(handle, "recv")) {
      call.kernel.receive(handle.fd, count: length, flags: flags, from: false)
    }
    guard case .success(let received) = result else { return .bool(false) }
    if flags & Int32(MSG_PEEK) == 0 { handle.bytesRead += received.bytes.count }
    if phpForm {
      call.writeBack(1, .bytes(received.bytes))
      return .int(received.count)
    }
    return .bytes(received.bytes)
  }

  static let send = CommandSpec(
    name: "send", aliases: ["socket_send"], family: .data,
    synopsis: "send HANDLE DATA [LENGTH] [FLAGS]",
    prototype: "ssize_t send(int sockfd, const void *buf, size_t len, int flags);",
    php: "socket_send(Socket $socket, string $data, int $length, int $flags): int|false",
    manPage: "send(2)",
    summary: "Write with flags (MSG_DONTWAIT, MSG_NOSIGNAL, MSG_OOB, ...); the value is the count.",
    notes: "write with a FLAGS argument; glibc makes it the sendto system call with no address.\n"
      + flagNotes,
    effect: "unchanged",
    errors: [
      LikelyError("EPIPE", "the peer closed, or this side shut down writing"),
      LikelyError("EAGAIN", "MSG_DONTWAIT or a non-blocking socket, and the send buffer is full"),
      LikelyError("EDESTADDRREQ", "a datagram socket with no peer: use sendto"),
    ],
    example: "send $client \"xiongchao\" 9 MSG_NOSIGNAL",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...4)
    let handle = try call.handle(0)
    let data = try call.data(1, length: 2)
    let flags = try call.messageFlags(3)
    Transfer.explainNeverConnected(call, handle)
    let result = call.waiting(Transfer.writeWait(handle, "send")) {
      call.kernel.send(handle.fd, data, flags: flags, to: nil)
    }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    return .int(count)
  }

  static let recvfrom = CommandSpec(
    name: "recvfrom", aliases: ["socket_recvfrom"], family: .data,
    synopsis: "recvfrom HANDLE LENGTH [FLAGS]",
    prototype:
      "ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr, socklen_t *addrlen);",
    php:
      "socket_recvfrom(Socket $socket, string &$data, int $length, int $flags, string &$address, int &$port = null): int|false",
    manPage: "recvfrom(2)",
    summary: "Receive a datagram and learn who sent it; the sender is kept in $_from.",
    notes: """
      The way a UDP server reads: each call returns one datagram (a longer one is cut to LENGTH;
      MSG_TRUNC makes the value the real length) and the sender's address, which recvfrom shows
      and keeps in $_from for the sendto that answers. PHP's form fills variables:
      `socket_recvfrom($s, $buf, 1024, 0, $from, $port)`.
      """,
    effect: "unchanged",
    errors: [
      LikelyError("EAGAIN", "MSG_DONTWAIT or a non-blocking socket, and no datagram waiting"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
    ],
    example: "$request = recvfrom $udp 1024",
    mayBlock: true, outArguments: [1, 4, 5]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...6)
    let handle = try call.handle(0)
    // PHP's form: socket_recvfrom($socket, $data, $length, $flags, $address [, $port]).
    let phpForm = call.count >= 5
    let length = try call.readLength(phpForm ? 2 : 1)
    let flags = try call.messageFlags(phpForm ? 3 : 2)
    let result = call.waiting("recvfrom(\(handle.fd)) is waiting for a datagram or data") {
      call.kernel.receive(handle.fd, count: length, flags: flags, from: true)
    }
    guard case .success(let received) = result else { return .bool(false) }
    if flags & Int32(MSG_PEEK) == 0 { handle.bytesRead += received.bytes.count }
    let from: Value = received.from.map { .string($0.display) } ?? .null
    call.interpreter.variables["_from"] = from
    if phpForm {
      call.writeBack(1, .bytes(received.bytes))
      call.writeBack(4, received.from.map { .string($0.host) } ?? .null)
      if let port = received.from?.port { call.writeBack(5, .int(Int(port))) }
      return .int(received.count)
    }
    if received.count > received.bytes.count {
      call.interpreter.notice(
        "the datagram had \(received.count) bytes; \(received.bytes.count) fit in the buffer and the rest is lost"
      )
    }
    return .bytes(received.bytes)
  }

  static let sendto = CommandSpec(
    name: "sendto", aliases: ["socket_sendto"], family: .data,
    synopsis: "sendto HANDLE DATA ADDRESS [PORT] [FLAGS]",
    prototype:
      "ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen);",
    php:
      "socket_sendto(Socket $socket, string $data, int $length, int $flags, string $address, ?int $port = null): int|false",
    manPage: "sendto(2)",
    summary: "Send one datagram to an address (a path for AF_UNIX); the value is the count.",
    notes: """
      A datagram socket needs no connect: each sendto names its destination. An AF_UNIX
      datagram goes to a path and takes no PORT. PHP's argument order also works:
      `socket_sendto($s, $data, strlen($data), 0, "127.0.0.1", 5353)`.
      """,
    effect: "an unbound datagram socket gets an ephemeral port",
    errors: [
      LikelyError("EMSGSIZE", "the datagram is larger than the protocol allows"),
      LikelyError("ECONNREFUSED", "an earlier datagram reached a closed port (ICMP)"),
      LikelyError("EISCONN", "a connected stream socket takes no address"),
    ],
    example: "sendto $udp \"xiongchao\" 127.0.0.1 5353",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(3...6)
    let handle = try call.handle(0)
    var data: [UInt8]
    let address: SocketAddress
    var flags: Int32 = 0
    if case .int = call.value(2) {
      // PHP's order: data, length, flags, address, port.
      try call.expect(5...6)
      data = try call.data(1, length: 2)
      flags = try call.messageFlags(3)
      address = try call.address(4, for: handle)
    } else {
      data = try call.bytes(1, "the data")
      let (parsed, used) = try call.addressArguments(2, for: handle, flagsMayFollow: true)
      address = parsed
      flags = try call.messageFlags(2 + used)
    }
    let result = call.waiting(Transfer.writeWait(handle, "sendto")) {
      call.kernel.send(handle.fd, data, flags: flags, to: address)
    }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    data.removeAll()
    if handle.state == .created, handle.domain == AF_INET || handle.domain == AF_INET6 {
      // The kernel bound the socket to send from it.
      handle.state = .bound
      call.interpreter.notice(Lifecycle.implicitBindWarning("sendto", handle))
    }
    return .int(count)
  }
}

extension Invocation {
  /// MSG_* flags: a constant or several joined with `|`, or their names as words.
  func messageFlags(_ position: Int) throws(ShellError) -> Int32 {
    guard has(position) else { return 0 }
    switch value(position) {
    case .int(let number): return Int32(truncatingIfNeeded: number)
    case .bytes(let bytes):
      var flags: Int32 = 0
      for part in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "|" || $0 == "," }) {
        var name = part.trimmingCharacters(in: " ").uppercased()
        if !name.hasPrefix("MSG_") { name = "MSG_" + name }
        guard let flag = SocketNames.messageFlags.first(where: { $0.name == name }) else {
          throw usage(
            "unknown flag '\(part)' (flags: \(SocketNames.messageFlags.map(\.name).joined(separator: ", ")))")
        }
        flags |= flag.value
      }
      return flags
    case let other: throw usage("FLAGS must be MSG_* constants joined with |, not \(other.kindName)")
    }
  }

  /// A read length, capped as read caps it.
  func readLength(_ position: Int) throws(ShellError) -> Int {
    var length = try int(position, "the length")
    guard length > 0 else { throw usage("the length must be at least 1, not \(length)") }
    if length > Transfer.maximumReadLength {
      interpreter.notice("read length \(length) capped at \(Transfer.maximumReadLength) bytes")
      length = Transfer.maximumReadLength
    }
    return length
  }

  /// The data at `position`, cut to the length at `lengthPosition` when one is given.
  func data(_ position: Int, length lengthPosition: Int) throws(ShellError) -> [UInt8] {
    var data = try bytes(position, "the data")
    if has(lengthPosition) {
      let length = try int(lengthPosition, "the length")
      guard length >= 0 else { throw usage("the length cannot be negative") }
      if length < data.count { data.removeSubrange(length...) }
    }
    return data
  }
}
