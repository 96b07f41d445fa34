import Glibc

/// Scatter and gather: iovecs (numbered buffer lists, `%1`) and the calls that read into or
/// write from all their buffers at once: readv, writev, sendmsg, recvmsg.
enum ScatterGather {
  static let commands: [CommandSpec] = [
    readv, writev, sendmsg, recvmsg, iovecAlloc, iovecSet, iovecFetch, iovecAdd, iovecDelete, iovecFree,
  ]

  static let readv = CommandSpec(
    name: "readv", aliases: ["socket_readv"], family: .iovecs,
    synopsis: "readv HANDLE IOVEC",
    prototype: "ssize_t readv(int fd, const struct iovec *iov, int iovcnt);",
    php: "socket_readv(resource $socket, resource $iovec): bool (PHP 4.1 to 5.0)",
    manPage: "readv(2)",
    summary: "One read that fills the iovec's buffers in turn; the value is the count.",
    notes: "The first buffer fills up before the next gets a byte. iovec_fetch reads each one back.",
    effect: "unchanged; the iovec's buffers hold what arrived",
    errors: [
      LikelyError("EAGAIN", "a non-blocking socket with nothing to read"),
      LikelyError("EINVAL", "an iovec with no buffers"),
    ],
    example: "readv $spawn %1",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let handle = try call.handle(0)
    let (number, iovec) = try call.iovec(1)
    let result = call.waiting(Transfer.readWait(handle, "readv")) {
      call.kernel.readv(handle.fd, lengths: iovec.lengths)
    }
    guard case .success(let parts) = result else { return .bool(false) }
    var filled = iovec
    filled.fill(parts)
    call.interpreter.iovecs.set(number, filled)
    let count = parts.reduce(0) { $0 + $1.count }
    handle.bytesRead += count
    return .int(count)
  }

  static let writev = CommandSpec(
    name: "writev", aliases: ["socket_writev"], family: .iovecs,
    synopsis: "writev HANDLE IOVEC",
    prototype: "ssize_t writev(int fd, const struct iovec *iov, int iovcnt);",
    php: "socket_writev(resource $socket, resource $iovec): bool (PHP 4.1 to 5.0)",
    manPage: "writev(2)",
    summary: "One write that gathers every buffer of the iovec; the value is the count.",
    notes: "The peer sees one stream of bytes: the buffers' boundaries do not travel.",
    effect: "unchanged",
    errors: [LikelyError("EPIPE", "the peer closed")],
    example: "writev $client %1",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let handle = try call.handle(0)
    let (_, iovec) = try call.iovec(1)
    let result = call.waiting(Transfer.writeWait(handle, "writev")) {
      call.kernel.writev(handle.fd, buffers: iovec.contents)
    }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    return .int(count)
  }

  static let sendmsg = CommandSpec(
    name: "sendmsg", aliases: ["socket_sendmsg"], family: .iovecs,
    synopsis: "sendmsg HANDLE IOVEC [ADDRESS [PORT]] [FLAGS]",
    prototype: "ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);",
    php: "socket_sendmsg(Socket $socket, array $message, int $flags = 0): int|false",
    manPage: "sendmsg(2)",
    summary: "Send the iovec's buffers as one message, to ADDRESS or the connected peer.",
    notes: "For a datagram socket the buffers become one datagram.",
    effect: "unchanged",
    errors: [
      LikelyError("EDESTADDRREQ", "a datagram socket with no peer and no ADDRESS"),
      LikelyError("EPIPE", "the peer closed"),
    ],
    example: "sendmsg $udp %1 127.0.0.1 5353",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...5)
    let handle = try call.handle(0)
    let (_, iovec) = try call.iovec(1)
    var address: SocketAddress?
    var flagPosition = 2
    if call.has(2), case .bytes = call.value(2) {
      let (parsed, used) = try call.addressArguments(2, for: handle, flagsMayFollow: true)
      address = parsed
      flagPosition = 2 + used
    }
    let flags = try call.messageFlags(flagPosition)
    let result = call.waiting(Transfer.writeWait(handle, "sendmsg")) {
      call.kernel.sendmsg(handle.fd, buffers: iovec.contents, to: address, flags: flags)
    }
    guard case .success(let count) = result else { return .bool(false) }
    handle.bytesWritten += count
    return .int(count)
  }

  static let recvmsg = CommandSpec(
    name: "recvmsg", aliases: ["socket_recvmsg"], family: .iovecs,
    synopsis: "recvmsg HANDLE IOVEC [FLAGS]",
    prototype: "ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);",
    php: "socket_recvmsg(Socket $socket, array &$message, int $flags = 0): int|false",
    manPage: "recvmsg(2)",
    summary: "Receive one message into the iovec's buffers; the sender is kept in $_from.",
    notes: "msg_flags shows MSG_TRUNC when a datagram was longer than all the buffers together.",
    effect: "unchanged; the iovec's buffers hold the message",
    errors: [LikelyError("EAGAIN", "a non-blocking socket with nothing to read")],
    example: "recvmsg $udp %2",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let handle = try call.handle(0)
    let (number, iovec) = try call.iovec(1)
    let flags = try call.messageFlags(2)
    let result = call.waiting(Transfer.readWait(handle, "recvmsg")) {
      call.kernel.recvmsg(handle.fd, lengths: iovec.lengths, flags: flags)
    }
    guard case .success(let message) = result else { return .bool(false) }
    var filled = iovec
    filled.fill(message.buffers)
    call.interpreter.iovecs.set(number, filled)
    call.interpreter.variables["_from"] = message.from.map { .string($0.display) } ?? .null
    handle.bytesRead += message.buffers.reduce(0) { $0 + $1.count }
    return .int(message.count)
  }

  static let iovecAlloc = CommandSpec(
    name: "iovec_alloc", aliases: ["socket_iovec_alloc"], family: .iovecs,
    synopsis: "iovec_alloc [COUNT] LENGTH...",
    prototype: "struct iovec { void *iov_base; size_t iov_len; };",
    php: "socket_iovec_alloc(int $num_vectors, int ...$lengths): resource (PHP 4.1 to 5.0)",
    summary: "Make an iovec of buffers with the given lengths; the value is %N.",
    notes: """
      As in PHP the first number may be the count: `iovec_alloc 3 4 4 8` and `iovec_alloc 4 4 8`
      both make three buffers of 4, 4 and 8 bytes.
      """,
    example: "$v = iovec_alloc 3 4 4 8"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    guard call.count >= 1 else { throw call.usage("at least one buffer length is needed") }
    var lengths: [Int] = []
    for position in 0..<call.count { lengths.append(try call.int(position, "a buffer length")) }
    if lengths.count > 1 && lengths[0] == lengths.count - 1 { lengths.removeFirst() }
    guard lengths.count <= 1024 else { throw call.usage("at most 1024 buffers (IOV_MAX)") }
    for length in lengths where !(0...Transfer.maximumReadLength).contains(length) {
      throw call.usage("a buffer length must be between 0 and \(Transfer.maximumReadLength), not \(length)")
    }
    try call.fitsIovecBudget(lengths.reduce(0, +), replacing: nil)
    let number = call.interpreter.iovecs.add(Iovec(lengths: lengths))
    return .iovec(number)
  }

  static let iovecSet = CommandSpec(
    name: "iovec_set", aliases: ["socket_iovec_set"], family: .iovecs,
    synopsis: "iovec_set IOVEC INDEX DATA",
    php: "socket_iovec_set(resource $iovec, int $iovec_position, string $new_val): bool (PHP 4.1 to 5.0)",
    summary: "Put DATA in buffer INDEX (from 0); the buffer takes DATA's length.",
    example: "iovec_set %1 0 \"xiong\""
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(3...3)
    let (number, found) = try call.iovec(0)
    var iovec = found
    let index = try call.bufferIndex(1, in: iovec)
    let data = try call.bytes(2, "the data")
    guard data.count <= Transfer.maximumReadLength else { throw call.usage("the data is over 1 MiB") }
    iovec.buffers[index] = Iovec.Buffer(bytes: data, filled: data.count)
    try call.fitsIovecBudget(iovec.size, replacing: number)
    call.interpreter.iovecs.set(number, iovec)
    return .bool(true)
  }

  static let iovecFetch = CommandSpec(
    name: "iovec_fetch", aliases: ["socket_iovec_fetch"], family: .iovecs,
    synopsis: "iovec_fetch IOVEC INDEX",
    php: "socket_iovec_fetch(resource $iovec, int $iovec_position): string (PHP 4.1 to 5.0)",
    summary: "The data in buffer INDEX (from 0): what iovec_set put or a read left there.",
    example: "$first = iovec_fetch %1 0"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let (_, iovec) = try call.iovec(0)
    let index = try call.bufferIndex(1, in: iovec)
    let value = Value.bytes(iovec.buffers[index].data)
    if call.isStatement { call.interpreter.output.write("=> " + value.literal + "\n") }
    return value
  }

  static let iovecAdd = CommandSpec(
    name: "iovec_add", aliases: ["socket_iovec_add"], family: .iovecs,
    synopsis: "iovec_add IOVEC LENGTH",
    php: "socket_iovec_add(resource $iovec, int $iov_len): bool (PHP 4.1 to 5.0)",
    summary: "Add an empty buffer of LENGTH bytes at the end.",
    example: "iovec_add %1 16"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let (number, found) = try call.iovec(0)
    var iovec = found
    let length = try call.int(1, "the length")
    guard (0...Transfer.maximumReadLength).contains(length) else {
      throw call.usage("the length must be between 0 and \(Transfer.maximumReadLength)")
    }
    guard iovec.buffers.count < 1024 else { throw call.usage("at most 1024 buffers (IOV_MAX)") }
    iovec.buffers.append(Iovec.Buffer(bytes: [UInt8](repeating: 0, count: length), filled: 0))
    try call.fitsIovecBudget(iovec.size, replacing: number)
    call.interpreter.iovecs.set(number, iovec)
    return .bool(true)
  }

  static let iovecDelete = CommandSpec(
    name: "iovec_delete", aliases: ["socket_iovec_delete"], family: .iovecs,
    synopsis: "iovec_delete IOVEC INDEX",
    php: "socket_iovec_delete(resource $iovec, int $iov_pos): bool (PHP 4.1 to 5.0)",
    summary: "Remove buffer INDEX; the buffers after it move down one.",
    example: "iovec_delete %1 0"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let (number, found) = try call.iovec(0)
    var iovec = found
    let index = try call.bufferIndex(1, in: iovec)
    iovec.buffers.remove(at: index)
    call.interpreter.iovecs.set(number, iovec)
    return .bool(true)
  }

  static let iovecFree = CommandSpec(
    name: "iovec_free", aliases: ["socket_iovec_free"], family: .iovecs,
    synopsis: "iovec_free IOVEC",
    php: "socket_iovec_free(resource $iovec): bool (PHP 4.1 to 5.0)",
    summary: "Release an iovec; its number stays dead.",
    example: "iovec_free %1"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let (number, _) = try call.iovec(0)
    call.interpreter.iovecs.set(number, nil)
    return .bool(true)
  }
}

extension Invocation {
  func bufferIndex(_ position: Int, in iovec: Iovec) throws(ShellError) -> Int {
    let index = try int(position, "the buffer index")
    guard iovec.buffers.indices.contains(index) else {
      throw ShellError(
        "\(typedName): buffer \(index) is outside the iovec's \(iovec.buffers.count) buffers (they count from 0)"
      )
    }
    return index
  }

  /// A live iovec: `%N`, `N` or a variable holding one.
  func iovec(_ position: Int) throws(ShellError) -> (Int, Iovec) {
    let number: Int
    switch value(position) {
    case .iovec(let n), .int(let n): number = n
    case let other:
      throw usage(
        "argument \(position + 1) must be an iovec (%1, or a variable holding one), not \(other.kindName)")
    }
    let table = interpreter.iovecs
    guard table.exists(number) else {
      throw ShellError(
        "\(typedName): there is no iovec %\(number)"
          + (table.count == 0 ? " (iovec_alloc makes one)" : " (iovecs go from %1 to %\(table.count))"))
    }
    guard let iovec = table.get(number) else {
      throw ShellError("\(typedName): iovec %\(number) was freed; iovec numbers are never reused")
    }
    return (number, iovec)
  }


  /// Refuses an iovec that would take the session's iovecs past their budget together.
  func fitsIovecBudget(_ size: Int, replacing number: Int?) throws(ShellError) {
    let others = interpreter.iovecs.size(except: number)
    guard size <= IovecTable.maximumBytes - others else {
      throw ShellError(
        "\(typedName): the iovecs would hold \(others + size) bytes; together they may hold at most "
          + "\(IovecTable.maximumBytes >> 20) MiB (iovec_free releases one)")
    }
  }
}
