import Glibc

/// Data with flags and addresses: recv, send, recvfrom and sendto. Each call is reported under
/// the name of the libc function called (glibc's `recv` and `send` reach the kernel as recvfrom
/// and sendto).
extension Kernel {
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
    var storage = sockaddr_storage()
    let lengthIn = socklen_t(MemoryLayout<sockaddr_storage>.size)
    var length = lengthIn
    var result: Result<Int, Errno> = .success(0)
    var pointer: UInt = 0
    // The kernel fills the buffer, as read's: it is not zeroed first, and only what came counts.
    let buffer = [UInt8](unsafeUninitializedCapacity: max(count, 1)) { raw, initialized in
      // Taken here, not in the call, so a planned failure shows the buffer as a real one does.
      pointer = UInt(bitPattern: raw.baseAddress)
      // What the kernel may fill: less than `count` when a planned fault shortens the call.
      var room = count
      result = run(name, length: count) { clipped in
        room = clipped
        guard from else { return Glibc.recv(fd, raw.baseAddress, clipped, flags) }
        return withUnsafeMutableBytes(of: &storage) { address in
          Glibc.recvfrom(
            fd, raw.baseAddress, clipped, flags, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
            &length)
        }
      }
      // MSG_TRUNC may return more than was filled.
      if case .success(let got) = result { initialized = min(got, room) } else { initialized = 0 }
    }
    let flagText = SyscallRecord.Argument.symbol(SocketNames.messageFlagNames(flags))
    switch result {
    case .success(let got):
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
      report(name, [.fd(fd), .data(buffer), .int(count), flagText] + tail, result)
      return .success(Received(bytes: Kernel.kept(buffer, capacity: count), count: got, from: sender))
    case .failure(let errno):
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
}
