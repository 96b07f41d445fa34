import Glibc

/// Moving bytes: read and write.
enum Transfer {
  static let commands: [CommandSpec] = [read, write]

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
      echo shows call by call. A non-blocking socket with nothing to read gets EAGAIN.
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
    var length = try call.int(1, "the length")
    guard length > 0 else { throw call.usage("the length must be at least 1, not \(length)") }
    if length > maximumReadLength {
      call.interpreter.notice("read length \(length) capped at \(maximumReadLength) bytes")
      length = maximumReadLength
    }
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
      case .failure:
        return line.isEmpty ? .bool(false) : .bytes(line)
      }
    }
    return .bytes(line)
  }

  static func readWait(_ handle: Handle, _ call: String = "read") -> String {
    "\(call)(\(handle.fd)) is waiting for data from \(handle.peerAddress?.display ?? "the peer")"
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
    var data = try call.bytes(1, "the data")
    if call.has(2) {
      let length = try call.int(2, "the length")
      guard length >= 0 else { throw call.usage("the length cannot be negative") }
      if length < data.count { data.removeSubrange(length...) }
    }
    let result = call.waiting(Transfer.writeWait(handle)) { call.kernel.write(handle.fd, data) }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    return .int(count)
  }
}
