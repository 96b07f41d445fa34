/// iovec objects (`%1`): the buffers readv, writev, sendmsg and recvmsg scatter into and gather
/// from. PHP had these functions from 4.1 to 5.0; here they teach the calls behind them.
enum Iovecs {
  static let commands: [CommandSpec] = [alloc, set, fetch, add, delete, free]

  static let alloc = CommandSpec(
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
    let number = call.interpreter.iovecs.add(Iovec(lengths: lengths))
    return .iovec(number)
  }

  static let set = CommandSpec(
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
    call.interpreter.iovecs.set(number, iovec)
    return .bool(true)
  }

  static let fetch = CommandSpec(
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

  static let add = CommandSpec(
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
    call.interpreter.iovecs.set(number, iovec)
    return .bool(true)
  }

  static let delete = CommandSpec(
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

  static let free = CommandSpec(
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
}
