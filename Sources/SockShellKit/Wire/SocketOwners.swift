import Glibc

/// Which of the session's handles a segment belongs to: the one that sent it, else the one that
/// received it. The sockets' addresses come from /proc (net/tcp, net/udp and the fds' inodes),
/// read only when a segment names endpoints not yet known: no call is made on the learner's
/// sockets, which sockshell echoes every call on.
public final class SocketOwners {
  /// One end of a connection or a bound socket: protocol, address and port.
  struct Endpoint: Hashable {
    var tcp: Bool
    var address: [UInt8]
    var port: UInt16
  }

  struct Socket {
    var handle: Int
    var local: Endpoint
    /// Port 0 for a listening or unconnected socket.
    var remote: Endpoint
  }

  public enum Owner: Equatable {
    case sent(by: Int)
    case received(by: Int)
    case none
  }

  private struct Key: Hashable {
    var local: Endpoint
    var remote: Endpoint
  }

  /// Connections seen, by their two ends: kept after the handle closes, so the peer's FIN that
  /// comes after a close is still shown as that handle's.
  private var connections: [Key: Int] = [:]
  /// Sockets as the last look at /proc found them.
  private var sockets: [Socket] = []
  /// Inodes of the handles' sockets, by handle number (they never change).
  private var inodes: [Int: UInt64] = [:]

  public init() {}

  /// The owner of `segment` among `handles` (number and fd of each open one). `refresh` says
  /// whether /proc may be read again to find it; it is set to false once read.
  public func owner(of segment: Segment, handles: () -> [(number: Int, fd: Int32)], refresh: inout Bool)
    -> Owner
  {
    let source = Endpoint(
      tcp: segment.isTCP, address: SocketOwners.plain(segment.source), port: segment.sourcePort)
    let destination = Endpoint(
      tcp: segment.isTCP, address: SocketOwners.plain(segment.destination), port: segment.destinationPort)
    // The sender first: the socket with both ends, else (read /proc again: a connection made
    // since, an accepted socket taking over from its listener) a listening or unconnected one.
    if let handle = match(local: source, remote: destination, exactly: true) { return .sent(by: handle) }
    if refresh {
      refresh = false
      reload(handles())
      if let handle = match(local: source, remote: destination, exactly: true) { return .sent(by: handle) }
    }
    if let handle = match(local: source, remote: destination, exactly: false) { return .sent(by: handle) }
    if let handle = match(local: destination, remote: source, exactly: true) { return .received(by: handle) }
    if let handle = match(local: destination, remote: source, exactly: false) { return .received(by: handle) }
    return .none
  }

  /// Takes `handle` as the sender of `segment` from now on: a connect that failed leaves no
  /// socket in /proc to find its SYN by, but the call that sent it is known.
  public func remember(_ segment: Segment, sentBy handle: Int) {
    let source = Endpoint(
      tcp: segment.isTCP, address: SocketOwners.plain(segment.source), port: segment.sourcePort)
    let destination = Endpoint(
      tcp: segment.isTCP, address: SocketOwners.plain(segment.destination), port: segment.destinationPort)
    connections[Key(local: source, remote: destination)] = handle
  }

  /// The socket with these two ends; else a listening or unconnected one bound to `local` (or
  /// to the wildcard address on its port).
  private func match(local: Endpoint, remote: Endpoint, exactly: Bool) -> Int? {
    if exactly {
      if let handle = connections[Key(local: local, remote: remote)] { return handle }
      for socket in sockets where socket.local == local && socket.remote == remote {
        connections[Key(local: local, remote: remote)] = socket.handle
        return socket.handle
      }
      return nil
    }
    for socket in sockets
    where socket.remote.port == 0 && socket.local.tcp == local.tcp && socket.local.port == local.port
      && (socket.local.address == local.address || socket.local.address.allSatisfy { $0 == 0 })
    {
      return socket.handle
    }
    return nil
  }

  private func reload(_ handles: [(number: Int, fd: Int32)]) {
    var byInode: [UInt64: Int] = [:]
    for handle in handles {
      if inodes[handle.number] == nil, let inode = SocketOwners.inode(of: handle.fd) {
        inodes[handle.number] = inode
      }
      if let inode = inodes[handle.number] { byInode[inode] = handle.number }
    }
    sockets = []
    for (path, tcp) in [
      ("/proc/net/tcp", true), ("/proc/net/tcp6", true), ("/proc/net/udp", false), ("/proc/net/udp6", false),
    ] {
      guard case .success(let bytes) = FileSystem.readScript(path, limit: 16 << 20) else { continue }
      for line in bytes.split(separator: 10).dropFirst() {
        let fields = line.split(separator: 32)
        guard fields.count > 9, let inode = UInt64(String(decoding: fields[9], as: UTF8.self)),
          let handle = byInode[inode],
          let local = SocketOwners.endpoint(fields[1], tcp: tcp),
          let remote = SocketOwners.endpoint(fields[2], tcp: tcp)
        else { continue }
        sockets.append(Socket(handle: handle, local: local, remote: remote))
      }
    }
  }

  /// `0100007F:14E9` as /proc/net prints it: the address as 32-bit words in the host's order.
  private static func endpoint(_ field: ArraySlice<UInt8>, tcp: Bool) -> Endpoint? {
    let parts = field.split(separator: UInt8(ascii: ":"))
    guard parts.count == 2, parts[0].count == 8 || parts[0].count == 32,
      let port = UInt16(String(decoding: parts[1], as: UTF8.self), radix: 16)
    else { return nil }
    var address: [UInt8] = []
    let hex = Array(parts[0])
    for start in stride(from: 0, to: hex.count, by: 8) {
      guard let word = UInt32(String(decoding: hex[start..<(start + 8)], as: UTF8.self), radix: 16) else {
        return nil
      }
      withUnsafeBytes(of: word) { address += $0 }
    }
    return Endpoint(tcp: tcp, address: plain(address), port: port)
  }

  /// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, a dual-stack socket) as the IPv4 one.
  static func plain(_ address: [UInt8]) -> [UInt8] {
    if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff
    {
      return Array(address[12...])
    }
    return address
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
