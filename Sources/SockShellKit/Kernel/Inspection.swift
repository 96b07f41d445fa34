import Glibc

/// What the kernel says about a socket right now, for the `handles` table: the one command
/// allowed to make system calls it does not echo (getsockopt, ioctl, fcntl, poll, getsockname,
/// getpeername). None of them changes the socket.
public struct SocketStatus: Sendable {
  /// TCP's own state from TCP_INFO: `ESTABLISHED`, `CLOSE_WAIT`; nil for other protocols.
  public var tcpState: String?
  /// Bytes received and not read yet (FIONREAD); nil where the kernel does not say (a listener).
  public var unread: Int?
  /// Bytes written and not yet acknowledged by the peer (SIOCOUTQ).
  public var unsent: Int?
  public var isNonBlocking: Bool?
  /// Readiness from a zero-timeout poll: `R` readable, `W` writable, `X` exceptional (or
  /// hung up / error), `-` for none.
  public var readiness: String
  public var local: SocketAddress?
  public var peer: SocketAddress?
  /// TCP segments received and sent, and retransmitted, from TCP_INFO: what the connection did
  /// on the wire, without capturing it. nil for other protocols or an older kernel.
  public var segments: (received: UInt32, sent: UInt32, retransmitted: UInt32)?
  // SO_ERROR is left out on purpose: reading it clears the pending error in the kernel.
}

extension Kernel {
  /// Looks at a socket without echoing and without changing it.
  public func inspect(_ fd: Int32, domain: Int32, type: Int32) -> SocketStatus {
    let isTCP = (domain == AF_INET || domain == AF_INET6) && type & 0xf == Int32(SOCK_STREAM.rawValue)
    var status = SocketStatus(readiness: "-")
    if isTCP {
      // struct tcp_info begins with the state byte; a generous buffer takes any kernel's size.
      var info = [UInt8](repeating: 0, count: 512)
      var length = socklen_t(info.count)
      if getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &length) == 0, length > 0 {
        status.tcpState = SocketOption.tcpStates[Int(info[0])] ?? "state \(info[0])"
        // struct tcp_info (linux/tcp.h): tcpi_total_retrans at 100, tcpi_segs_out at 136 and
        // tcpi_segs_in at 140, in the kernel's byte order (Linux 4.2 and later).
        if length >= 144 {
          func word(_ offset: Int) -> UInt32 { info.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) } }
          status.segments = (received: word(140), sent: word(136), retransmitted: word(100))
        }
      }
    }
    var count: Int32 = 0
    if status.tcpState != "LISTEN", ioctl(fd, UInt(FIONREAD), &count) == 0 { status.unread = Int(count) }
    count = 0
    // SIOCOUTQ has the value of TIOCOUTQ.
    if status.tcpState != "LISTEN", ioctl(fd, UInt(TIOCOUTQ), &count) == 0 { status.unsent = Int(count) }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { status.isNonBlocking = flags & O_NONBLOCK != 0 }

    var poller = pollfd(fd: fd, events: Int16(POLLIN | POLLOUT | POLLPRI), revents: 0)
    if poll(&poller, 1, 0) > 0 {
      var ready = ""
      if poller.revents & Int16(POLLIN) != 0 { ready += "R" }
      if poller.revents & Int16(POLLOUT) != 0 { ready += "W" }
      if poller.revents & Int16(POLLPRI | POLLERR | POLLHUP) != 0 { ready += "X" }
      if !ready.isEmpty { status.readiness = ready }
    }
    status.local = Kernel.address(fd, Glibc.getsockname)
    status.peer = Kernel.address(fd, Glibc.getpeername)
    return status
  }

  private static func address(
    _ fd: Int32, _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
  ) -> SocketAddress? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let result = withUnsafeMutableBytes(of: &storage) { raw in
      call(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
    }
    guard result == 0 else { return nil }
    return withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!, length: length) }
  }
}
