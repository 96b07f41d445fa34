import Glibc

/// Pairs of connected sockets, the names a socket has (getsockname, getpeername), and the
/// file a bound AF_UNIX socket leaves (unlink).
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
}
