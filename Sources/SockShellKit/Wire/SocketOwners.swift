import Glibc

/// Which of the session's handles a segment belongs to: the one that sent it, else the one that
/// received it. The kernel says which socket holds an address pair (sock_diag, the netlink
/// interface `ss` uses, asked for one socket at a time), and the handles' fds link to their
/// sockets' inodes (/proc/self/fd): no call is made on the learner's sockets, which sockshell
/// echoes every call on. An answer is kept per connection, so it is asked once.
public final class SocketOwners {
  /// One end of a connection or a bound socket: address and port.
  struct Endpoint: Hashable {
    var address: IPAddress
    var port: UInt16
  }

  public enum Owner: Equatable {
    case sent(by: Int)
    case received(by: Int)
    case none
  }

  private struct Key: Hashable {
    var tcp: Bool
    var local: Endpoint
    var remote: Endpoint
  }

  /// The remote end of a listening or unconnected socket.
  private static let anywhere = Endpoint(address: IPAddress(low: 0, isIPv6: false), port: 0)

  /// Connections whose socket is a handle's, by their two ends: kept after the handle closes,
  /// so the peer's FIN that comes after a close is still shown as that handle's.
  private var connections: [Key: Int] = [:]
  /// Handles by their sockets' inodes, and the handles already looked at.
  private var handlesByInode: [UInt64: Int] = [:]
  private var inodeKnown: Set<Int> = []
  private let diagnostics: SocketLookup?

  init(diagnostics: SocketLookup?) { self.diagnostics = diagnostics }

  /// The owner of `segment` among `handles` (number and fd of each open one).
  public func owner(
    of segment: Segment, handles: () -> [(number: Int, fd: Int32)], isOpen: (Int) -> Bool
  ) -> Owner {
    let source = Endpoint(address: segment.source.plain, port: segment.sourcePort)
    let destination = Endpoint(
      address: segment.destination.plain, port: segment.destinationPort)
    let tcp = segment.isTCP
    // The sender first: the socket with both ends, else a listening or unconnected one (the
    // listener answers a SYN before accept has made the connection a handle).
    if let handle = lookUp(tcp, local: source, remote: destination, handles, isOpen) {
      return .sent(by: handle)
    }
    if let handle = lookUp(tcp, local: source, remote: nil, handles, isOpen) { return .sent(by: handle) }
    if let handle = lookUp(tcp, local: destination, remote: source, handles, isOpen) {
      return .received(by: handle)
    }
    if let handle = lookUp(tcp, local: destination, remote: nil, handles, isOpen) {
      return .received(by: handle)
    }
    return .none
  }

  /// Takes `handle` as the sender of `segment` from now on: a connect that failed leaves no
  /// socket to find its SYN by, but the call that sent it is known.
  public func remember(_ segment: Segment, sentBy handle: Int) {
    let source = Endpoint(address: segment.source.plain, port: segment.sourcePort)
    let destination = Endpoint(
      address: segment.destination.plain, port: segment.destinationPort)
    connections[Key(tcp: segment.isTCP, local: source, remote: destination)] = handle
  }

  /// The handle whose socket the kernel finds for these ends (`remote` nil: a listening or
  /// unbound-to-a-peer socket on `local`).
  private func lookUp(
    _ tcp: Bool, local: Endpoint, remote: Endpoint?, _ handles: () -> [(number: Int, fd: Int32)],
    _ isOpen: (Int) -> Bool
  )
    -> Int?
  {
    let key = Key(tcp: tcp, local: local, remote: remote ?? SocketOwners.anywhere)
    if let handle = connections[key] {
      // A listening or unconnected socket is taken for as long as its handle is open.
      if remote != nil || isOpen(handle) { return handle }
      connections[key] = nil
    }
    guard let diagnostics,
      let inode = diagnostics.inode(
        tcp: tcp, local: local,
        remote: remote ?? Endpoint(address: IPAddress(low: 0, isIPv6: local.address.isIPv6), port: 0)),
      inode != 0
    else { return nil }
    if handlesByInode[inode] == nil {
      for handle in handles() where !inodeKnown.contains(handle.number) {
        inodeKnown.insert(handle.number)
        if let found = SocketOwners.inode(of: handle.fd) { handlesByInode[found] = handle.number }
      }
    }
    guard let handle = handlesByInode[inode] else { return nil }
    connections[key] = handle
    return handle
  }

  /// The inode of the socket at `fd`: `/proc/self/fd/N` links to `socket:[INODE]`.
  private static func inode(of fd: Int32) -> UInt64? {
    var buffer = [CChar](repeating: 0, count: 64)
    let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard text.hasPrefix("socket:["), text.hasSuffix("]") else { return nil }
    return UInt64(text.dropFirst(8).dropLast())
  }
}

/// A NETLINK_SOCK_DIAG socket asking the kernel for one TCP or UDP socket by its address pair,
/// as a packet from `remote` to `local` would find it: the connection's own socket, else a
/// listening (or, for UDP, unconnected) one. It sits at a descriptor of 1000 or above, as the
/// capture does.
final class SocketLookup {
  private let fd: Int32
  private var sequence: UInt32 = 0
  private var reply = [UInt8](repeating: 0, count: 8192)

  init?() {
    let first = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 4)  // NETLINK_SOCK_DIAG
    guard first >= 0 else { return nil }
    fd = fcntl(first, F_DUPFD_CLOEXEC, 1000)
    close(first)
    guard fd >= 0 else { return nil }
  }

  deinit { close(fd) }

  /// The inode of the socket found, 0 for one no file holds (a connection not yet accepted, a
  /// closed one), nil when there is none.
  func inode(tcp: Bool, local: SocketOwners.Endpoint, remote: SocketOwners.Endpoint) -> UInt64? {
    sequence &+= 1
    var request: [UInt8] = []
    func put32(_ value: UInt32) { withUnsafeBytes(of: value) { request += $0 } }
    func put16(_ value: UInt16) { withUnsafeBytes(of: value) { request += $0 } }
    func address(_ address: IPAddress) {
      let bytes = address.bytes
      request += bytes + [UInt8](repeating: 0, count: 16 - bytes.count)
    }
    put32(72)  // nlmsghdr: length, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, sequence, port 0
    put16(20)
    put16(1)
    put32(sequence)
    put32(0)
    request += [UInt8(local.address.isIPv6 ? AF_INET6 : AF_INET), tcp ? 6 : 17, 0, 0]
    put32(0xffff_ffff)  // every state
    // inet_diag_sockid: TCP names the local end as the source; UDP, for historical reasons
    // (net/ipv4/udp_diag.c), the other way round.
    let (first, second) = tcp ? (local, remote) : (remote, local)
    put16(first.port.bigEndian)
    put16(second.port.bigEndian)
    address(first.address)
    address(second.address)
    put32(0)  // any interface
    put32(0xffff_ffff)  // INET_DIAG_NOCOOKIE
    put32(0xffff_ffff)
    let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    guard sent == request.count else { return nil }
    // The kernel answers within the send: nothing to wait for.
    let got = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
    guard got >= 16 + 72 else { return nil }
    return reply.withUnsafeBytes { raw -> UInt64? in
      guard raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self) == 20 else { return nil }
      return UInt64(raw.loadUnaligned(fromByteOffset: 16 + 68, as: UInt32.self))
    }
  }
}
