import Glibc

/// The rest of the socket API: pairs, names, options, datagrams and scatter/gather. Like the
/// core calls, each reports itself to the observer in strace's notation, under the name of the
/// libc function called (glibc's `recv` and `send` reach the kernel as recvfrom and sendto).
extension Kernel {
  /// `socketpair(2)`: two sockets connected to each other.
  public func socketpair(domain: Int32, type: Int32, protocol proto: Int32) -> Result<(Int32, Int32), Errno> {
    var fds: [Int32] = [-1, -1]
    let result = run("socketpair") { Int(Glibc.socketpair(domain, type, proto, &fds)) }
    let pair: SyscallRecord.Argument =
      switch result {
      case .success: .symbol("[\(fds[0]), \(fds[1])]")
      case .failure: fds.withUnsafeBytes { .pointer(UInt(bitPattern: $0.baseAddress)) }
      }
    report(
      "socketpair",
      [
        .symbol(SocketNames.domain(domain)), .symbol(SocketNames.type(type)),
        .symbol(SocketNames.protocol(proto, domain: domain)), pair,
      ], result)
    return result.map { _ in (fds[0], fds[1]) }
  }

  /// `getsockname(2)`: the address the socket is bound to.
  public func localAddress(_ fd: Int32) -> Result<SocketAddress, Errno> {
    socketName("getsockname", fd) { Glibc.getsockname($0, $1, $2) }
  }

  /// `getpeername(2)`: the address of the other end.
  public func peerAddress(_ fd: Int32) -> Result<SocketAddress, Errno> {
    socketName("getpeername", fd) { Glibc.getpeername($0, $1, $2) }
  }

  private func socketName(
    _ name: String, _ fd: Int32,
    _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
  ) -> Result<SocketAddress, Errno> {
    var storage = sockaddr_storage()
    let lengthIn = socklen_t(MemoryLayout<sockaddr_storage>.size)
    var length = lengthIn
    let result = run(name) {
      withUnsafeMutableBytes(of: &storage) { raw in
        Int(call(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length))
      }
    }
    switch result {
    case .success:
      let address = withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!, length: length) }
      report(name, .fd(fd), .addressOut(address, lengthIn: Int(lengthIn), lengthOut: Int(length)), result)
      guard let address else { return .failure(Errno(EAFNOSUPPORT)) }
      return .success(address)
    case .failure(let errno):
      let pointer = withUnsafeBytes(of: &storage) { UInt(bitPattern: $0.baseAddress) }
      report(
        name, [.fd(fd), .pointer(pointer), .addressOut(nil, lengthIn: Int(lengthIn), lengthOut: nil)], result)
      return .failure(errno)
    }
  }

  /// `unlink(2)`: removes the file a bound AF_UNIX socket left behind.
  public func unlink(_ path: [UInt8]) -> Result<Void, Errno> {
    let result = run("unlink") {
      Int(
        (path + [0]).withUnsafeBufferPointer {
          $0.withMemoryRebound(to: CChar.self) { Glibc.unlink($0.baseAddress!) }
        })
    }
    report("unlink", .data(path), result)
    return result.map { _ in () }
  }

  // MARK: - Options

  public func getOption(_ fd: Int32, _ option: SocketOption) -> Result<OptionValue, Errno> {
    var raw = [UInt8](repeating: 0, count: OptionValue.size(of: option.kind))
    let lengthIn = socklen_t(raw.count)
    var length = lengthIn
    let result = run("getsockopt") {
      Int(Glibc.getsockopt(fd, option.level, option.number, &raw, &length))
    }
    let head: [SyscallRecord.Argument] = [
      .fd(fd), .symbol(SocketOption.levelName(option.level)), .symbol(option.name),
    ]
    switch result {
    case .success:
      let value = OptionValue.decode(Array(raw[..<Int(length)]), as: option.kind)
      let lengths = length == lengthIn ? "[\(length)]" : "[\(lengthIn) => \(length)]"
      report("getsockopt", head + [.symbol(value.render(as: option.kind)), .symbol(lengths)], result)
      return .success(value)
    case .failure(let errno):
      let pointer = raw.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      report("getsockopt", head + [.pointer(pointer), .symbol("[\(lengthIn)]")], result)
      return .failure(errno)
    }
  }

  public func setOption(_ fd: Int32, _ option: SocketOption, _ value: OptionValue) -> Result<Void, Errno> {
    let raw = value.bytes
    let result = run("setsockopt") {
      Int(Glibc.setsockopt(fd, option.level, option.number, raw, socklen_t(raw.count)))
    }
    report(
      "setsockopt",
      [
        .fd(fd), .symbol(SocketOption.levelName(option.level)), .symbol(option.name),
        .symbol(value.render(as: option.kind)), .int(raw.count),
      ], result)
    return result.map { _ in () }
  }

  // MARK: - Data with flags and addresses

  public struct Received: Sendable {
    /// The bytes that fit in the buffer.
    public var bytes: [UInt8]
    /// What the call returned: larger than `bytes` when MSG_TRUNC reports a cut datagram.
    public var count: Int
    public var from: SocketAddress?
  }

  /// `recv` (with `from: false`) or `recvfrom`. glibc makes both the recvfrom system call, which
  /// strace shows; the echo names the libc function called, as it does for select.
  public func receive(_ fd: Int32, count: Int, flags: Int32, from: Bool) -> Result<Received, Errno> {
    let name = from ? "recvfrom" : "recv"
    var buffer = [UInt8](repeating: 0, count: count)
    var storage = sockaddr_storage()
    let lengthIn = socklen_t(MemoryLayout<sockaddr_storage>.size)
    var length = lengthIn
    // What the kernel may fill: less than `count` when a planned fault shortens the call.
    var room = count
    let result = run(name, length: count) { clipped in
      room = clipped
      return buffer.withUnsafeMutableBytes { raw in
        guard from else { return Glibc.recv(fd, raw.baseAddress, clipped, flags) }
        return withUnsafeMutableBytes(of: &storage) { address in
          Glibc.recvfrom(
            fd, raw.baseAddress, clipped, flags, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
            &length)
        }
      }
    }
    let flagText = SyscallRecord.Argument.symbol(SocketNames.messageFlagNames(flags))
    switch result {
    case .success(let got):
      // MSG_TRUNC may return more than was filled.
      let kept = Array(buffer[..<min(got, room)])
      var sender: SocketAddress?
      var tail: [SyscallRecord.Argument] = []
      if from {
        sender = withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!, length: length) }
        // A connected stream socket, or an unnamed sender, leaves no address: strace then shows
        // the buffer's address and the length that came back.
        tail =
          length == 0 || sender == nil
          ? [
            .pointer(withUnsafeBytes(of: &storage) { UInt(bitPattern: $0.baseAddress) }),
            .symbol("[\(lengthIn) => \(length)]"),
          ]
          : [.addressOut(sender, lengthIn: Int(lengthIn), lengthOut: Int(length))]
      }
      report(name, [.fd(fd), .data(kept), .int(count), flagText] + tail, result)
      return .success(Received(bytes: kept, count: got, from: sender))
    case .failure(let errno):
      // Taken here, not in the call, so a planned failure shows the buffer as a real one does.
      let pointer = buffer.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      let tail: [SyscallRecord.Argument] = from ? [.pointer(pointer), .symbol("[\(lengthIn)]")] : []
      report(name, [.fd(fd), .pointer(pointer), .int(count), flagText] + tail, result)
      return .failure(errno)
    }
  }

  /// `send` (no address) or `sendto`; glibc makes both the sendto system call.
  public func send(_ fd: Int32, _ bytes: [UInt8], flags: Int32, to address: SocketAddress?) -> Result<
    Int, Errno
  > {
    let name = address == nil ? "send" : "sendto"
    let result = run(name, length: bytes.count) { length in
      bytes.withUnsafeBytes { raw in
        guard let address else { return Glibc.send(fd, raw.baseAddress, length, flags) }
        return address.withSockaddr { Glibc.sendto(fd, raw.baseAddress, length, flags, $0, $1) }
      }
    }
    let tail: [SyscallRecord.Argument] = address.map { [.address($0), .int(Int($0.length))] } ?? []
    report(
      name, [.fd(fd), .data(bytes), .int(bytes.count), .symbol(SocketNames.messageFlagNames(flags))] + tail,
      result)
    return result
  }

  // MARK: - Scatter and gather

  /// Spreads `total` received bytes over buffers of `lengths`, as the kernel fills an iovec.
  static func scatter(_ bytes: [UInt8], total: Int, over lengths: [Int]) -> [[UInt8]] {
    var rest = bytes[..<min(total, bytes.count)]
    return lengths.map { length in
      let part = Array(rest.prefix(length))
      rest = rest.dropFirst(length)
      return part
    }
  }

  /// `readv(2)`: one read filling several buffers in turn.
  public func readv(_ fd: Int32, lengths: [Int]) -> Result<[[UInt8]], Errno> {
    var storage = lengths.map { [UInt8](repeating: 0, count: $0) }
    let result = run("readv") { Kernel.withIovecs(&storage) { Glibc.readv(fd, $0, Int32($1)) } }
    switch result {
    case .success(let got):
      let flat = storage.flatMap { $0 }
      let parts = Kernel.scatter(flat, total: got, over: lengths)
      let slices = zip(parts, lengths).map { SyscallRecord.IOSlice(data: $0, length: $1) }
      report("readv", .fd(fd), .iovecs(slices), .int(lengths.count), result)
      return .success(parts)
    case .failure(let errno):
      let slices = lengths.map { SyscallRecord.IOSlice(data: [], length: $0) }
      report("readv", .fd(fd), .iovecs(slices), .int(lengths.count), result)
      return .failure(errno)
    }
  }

  /// `writev(2)`: one write gathering several buffers.
  public func writev(_ fd: Int32, buffers: [[UInt8]]) -> Result<Int, Errno> {
    var storage = buffers
    let result = run("writev") { Kernel.withIovecs(&storage) { Glibc.writev(fd, $0, Int32($1)) } }
    let slices = buffers.map { SyscallRecord.IOSlice(data: $0, length: $0.count) }
    report("writev", .fd(fd), .iovecs(slices), .int(buffers.count), result)
    return result
  }

  /// `sendmsg(2)`: buffers gathered into one message, to an address or the connected peer.
  public func sendmsg(_ fd: Int32, buffers: [[UInt8]], to address: SocketAddress?, flags: Int32) -> Result<
    Int, Errno
  > {
    var storage = buffers
    let result = run("sendmsg") {
      Kernel.withIovecs(&storage) { iov, count in
        var header = msghdr()
        header.msg_iov = iov
        header.msg_iovlen = count
        guard let address else { return Glibc.sendmsg(fd, &header, flags) }
        return address.withSockaddr { pointer, length in
          header.msg_name = UnsafeMutableRawPointer(mutating: pointer)
          header.msg_namelen = length
          return Glibc.sendmsg(fd, &header, flags)
        }
      }
    }
    let slices = buffers.map { SyscallRecord.IOSlice(data: $0, length: $0.count) }
    report(
      "sendmsg",
      [
        .fd(fd), .message(name: address, nameLength: Int(address?.length ?? 0), iovecs: slices, flags: "0"),
        .symbol(SocketNames.messageFlagNames(flags)),
      ], result)
    return result
  }

  public struct ReceivedMessage: Sendable {
    public var buffers: [[UInt8]]
    public var count: Int
    public var from: SocketAddress?
    /// MSG_TRUNC when a datagram did not fit.
    public var flags: Int32
  }

  /// `recvmsg(2)`: one message scattered over buffers, with the sender's address.
  public func recvmsg(_ fd: Int32, lengths: [Int], flags: Int32) -> Result<ReceivedMessage, Errno> {
    var storage = lengths.map { [UInt8](repeating: 0, count: $0) }
    var name = sockaddr_storage()
    var header = msghdr()
    let result = run("recvmsg") {
      Kernel.withIovecs(&storage) { iov, count in
        withUnsafeMutableBytes(of: &name) { nameBytes in
          header.msg_name = nameBytes.baseAddress
          header.msg_namelen = socklen_t(nameBytes.count)
          header.msg_iov = iov
          header.msg_iovlen = count
          let got = Glibc.recvmsg(fd, &header, flags)
          header.msg_name = nil
          header.msg_iov = nil
          return got
        }
      }
    }
    let flagText = SyscallRecord.Argument.symbol(SocketNames.messageFlagNames(flags))
    switch result {
    case .success(let got):
      let parts = Kernel.scatter(storage.flatMap { $0 }, total: got, over: lengths)
      let from =
        header.msg_namelen > 0
        ? withUnsafeBytes(of: &name) { SocketAddress(storage: $0.baseAddress!, length: header.msg_namelen) }
        : nil
      let slices = zip(parts, lengths).map { SyscallRecord.IOSlice(data: $0, length: $1) }
      let messageFlags = SocketNames.messageFlagNames(header.msg_flags)
      report(
        "recvmsg",
        [
          .fd(fd),
          .message(name: from, nameLength: Int(header.msg_namelen), iovecs: slices, flags: messageFlags),
          flagText,
        ], result)
      return .success(ReceivedMessage(buffers: parts, count: got, from: from, flags: header.msg_flags))
    case .failure(let errno):
      let slices = lengths.map { SyscallRecord.IOSlice(data: [], length: $0) }
      report(
        "recvmsg",
        [
          .fd(fd),
          .message(name: nil, nameLength: MemoryLayout<sockaddr_storage>.size, iovecs: slices, flags: "0"),
          flagText,
        ], result)
      return .failure(errno)
    }
  }

  /// Builds a `struct iovec` array over the buffers for the length of one call.
  static func withIovecs(_ buffers: inout [[UInt8]], _ body: (UnsafeMutablePointer<iovec>, Int) -> Int) -> Int
  {
    let count = buffers.count
    let iov = UnsafeMutablePointer<iovec>.allocate(capacity: max(count, 1))
    defer { iov.deallocate() }
    var pinned: [UnsafeMutableRawBufferPointer] = []
    for buffer in buffers {
      let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(buffer.count, 1), alignment: 1)
      copy.copyBytes(from: buffer)
      pinned.append(copy)
    }
    defer { for copy in pinned { copy.deallocate() } }
    for (index, copy) in pinned.enumerated() {
      iov[index] = iovec(iov_base: copy.baseAddress, iov_len: buffers[index].count)
    }
    let result = body(iov, count)
    for (index, copy) in pinned.enumerated() {
      buffers[index] = Array(copy.prefix(buffers[index].count))
    }
    return result
  }
}
