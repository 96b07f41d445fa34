import Glibc

/// Whether a TCP port is in LISTEN state: a client lesson's checker waits for its server this
/// way. It asks the kernel about that one port with sock_diag (what `ss -ltn sport = :PORT`
/// does): a connect probe would be a connection the server lesson then accepts, and
/// /proc/net/tcp lists every socket on the machine, thousands on a busy one, on every poll.
/// The netlink socket is the checker's own, opened and closed within the call.
enum ListeningPorts {
  static func isListening(_ port: Int) -> Bool {
    guard (1...65535).contains(port) else { return false }
    return SocketDiagnostics.isListening(UInt16(port)) ?? ProcNetTCP.isListening(port)
  }

  static func wait(for port: Int, seconds: Int) -> Bool {
    for _ in 0..<(seconds * 50) {
      if isListening(port) { return true }
      usleep(20_000)
    }
    return false
  }
}

/// NETLINK_SOCK_DIAG: a dump of the TCP sockets in LISTEN whose local port is the one asked
/// for, which the kernel filters itself (inet_diag_req_v2 with idiag_states and id.idiag_sport).
enum SocketDiagnostics {
  // From <linux/netlink.h>, <linux/sock_diag.h>, <linux/inet_diag.h> and <netinet/tcp.h>,
  // which Swift's Glibc module does not import.
  static let netlinkSockDiag: Int32 = 4
  static let sockDiagByFamily: UInt16 = 20
  static let requestFlags: UInt16 = 0x1 | 0x300  // NLM_F_REQUEST | NLM_F_DUMP
  static let done: UInt16 = 3  // NLMSG_DONE
  static let error: UInt16 = 2  // NLMSG_ERROR
  static let tcpListen: UInt8 = 10
  static let headerSize = 16  // struct nlmsghdr

  /// nil when the kernel does not answer (no sock_diag here): the caller falls back to /proc.
  static func isListening(_ port: UInt16) -> Bool? {
    let fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    for family in [AF_INET, AF_INET6] {
      guard let found = query(fd, family: UInt8(family), port: port) else { return nil }
      if found { return true }
    }
    return false
  }

  /// struct nlmsghdr, then struct inet_diag_req_v2; netlink fields in host order, the port in
  /// network order.
  static func request(family: UInt8, port: UInt16) -> [UInt8] {
    var bytes: [UInt8] = []
    func append<T>(_ value: T) { withUnsafeBytes(of: value) { bytes += $0 } }
    append(UInt32(headerSize + 56))  // nlmsg_len
    append(sockDiagByFamily)  // nlmsg_type
    append(requestFlags)  // nlmsg_flags
    append(UInt32(1))  // nlmsg_seq
    append(UInt32(0))  // nlmsg_pid: the kernel fills it in
    bytes += [family, UInt8(IPPROTO_TCP), 0, 0]  // sdiag_family, sdiag_protocol, idiag_ext, pad
    append(UInt32(1) << UInt32(tcpListen))  // idiag_states
    append(port.bigEndian)  // id.idiag_sport
    append(UInt16(0))  // id.idiag_dport
    bytes += [UInt8](repeating: 0, count: 32)  // id.idiag_src, id.idiag_dst
    append(UInt32(0))  // id.idiag_if
    append(UInt32.max)  // id.idiag_cookie: INET_DIAG_NOCOOKIE
    append(UInt32.max)
    return bytes
  }

  /// Sends the dump request for one address family and reads the answer to its end; true when
  /// a listening socket on the port is in it.
  private static func query(_ fd: Int32, family: UInt8, port: UInt16) -> Bool? {
    let message = request(family: family, port: port)
    let sent = message.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    guard sent == message.count else { return nil }
    // A dump datagram is at most 32 KiB; a smaller buffer would truncate it.
    var buffer = [UInt8](repeating: 0, count: 32768)
    var found = false
    while true {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, 1000)
      if ready < 0 && errno == EINTR { continue }
      guard ready == 1 else { return nil }
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return nil }
      switch scan(buffer, count: count, port: port, found: &found) {
      case .more: continue
      case .finished: return found
      case .failed: return nil
      }
    }
  }

  private enum Datagram { case more, finished, failed }

  /// The messages of one datagram of the dump: sockets (noting a listening one on the port),
  /// the end, or an error.
  private static func scan(_ buffer: [UInt8], count: Int, port: UInt16, found: inout Bool) -> Datagram {
    buffer.withUnsafeBytes { raw in
      var offset = 0
      while offset + headerSize <= count {
        let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        let type = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
        guard length >= headerSize, offset + length <= count else { return .failed }
        switch type {
        case done: return .finished
        case error: return .failed
        case sockDiagByFamily where length >= headerSize + 6:
          // struct inet_diag_msg: family, state, timer, retrans, then id.idiag_sport.
          let state = raw[offset + headerSize + 1]
          let sport = UInt16(
            bigEndian: raw.loadUnaligned(fromByteOffset: offset + headerSize + 4, as: UInt16.self))
          if state == tcpListen && sport == port { found = true }
        default: break
        }
        offset += (length + 3) & ~3
      }
      return .more
    }
  }
}

/// The tables in /proc/net, read whole: only where the kernel has no sock_diag.
enum ProcNetTCP {
  static func isListening(_ port: Int) -> Bool {
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
      guard let text = FileSystem.read(table) else { continue }
      for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ")
        guard fields.count > 3, let colon = fields[1].lastIndex(of: ":"),
          Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port
        else { continue }
        if fields[3] == "0A" { return true }
      }
    }
    return false
  }
}
