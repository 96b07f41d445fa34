import Glibc

/// Scatter and gather: readv, writev, sendmsg and recvmsg over iovec arrays.
extension Kernel {
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
