import Glibc

/// One socket option: its level, its number and what kind of value it holds. The one table
/// `get_option`, `set_option`, `help` and completion all read.
public struct SocketOption: Sendable {
  public enum Kind: Sendable {
    /// An int; `flag` options are on (1) or off (0).
    case int, flag
    /// `struct linger`, given and shown as `[onoff, seconds]`.
    case linger
    /// `struct timeval`, given and shown in seconds (fractions allowed).
    case timeval
    /// An int that names a socket type, a domain, an errno or a protocol.
    case type, domain, error, proto
    /// `struct tcp_info`: read-only.
    case tcpInfo
  }

  public let name: String
  public let level: Int32
  public let number: Int32
  public let kind: Kind
  public let readOnly: Bool
  public let summary: String

  init(
    _ name: String, _ level: Int32, _ number: Int32, _ kind: Kind, readOnly: Bool = false, _ summary: String
  ) {
    self.name = name
    self.level = level
    self.number = number
    self.kind = kind
    self.readOnly = readOnly
    self.summary = summary
  }

  public static let all: [SocketOption] = [
    SocketOption("SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, .flag, "bind a port still in TIME_WAIT"),
    SocketOption("SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT, .flag, "let several sockets bind the same port"),
    SocketOption("SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, .flag, "probe an idle connection"),
    SocketOption("SO_BROADCAST", SOL_SOCKET, SO_BROADCAST, .flag, "allow datagrams to a broadcast address"),
    SocketOption(
      "SO_LINGER", SOL_SOCKET, SO_LINGER, .linger, "what close does with unsent data: [onoff, seconds]"),
    SocketOption("SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, .int, "receive buffer size (the kernel doubles it)"),
    SocketOption("SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, .int, "send buffer size (the kernel doubles it)"),
    SocketOption("SO_RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT, .int, "bytes needed before a read returns"),
    SocketOption(
      "SO_SNDLOWAT", SOL_SOCKET, SO_SNDLOWAT, .int, "free space needed before a write (fixed on Linux)"),
    SocketOption("SO_RCVTIMEO", SOL_SOCKET, SO_RCVTIMEO, .timeval, "seconds a read may block before EAGAIN"),
    SocketOption("SO_SNDTIMEO", SOL_SOCKET, SO_SNDTIMEO, .timeval, "seconds a write may block before EAGAIN"),
    SocketOption("SO_TYPE", SOL_SOCKET, SO_TYPE, .type, readOnly: true, "the socket's type"),
    SocketOption(
      "SO_ERROR", SOL_SOCKET, SO_ERROR, .error, readOnly: true, "the pending error; reading clears it"),
    SocketOption("SO_ACCEPTCONN", SOL_SOCKET, SO_ACCEPTCONN, .flag, readOnly: true, "1 when listening"),
    SocketOption("SO_DOMAIN", SOL_SOCKET, SO_DOMAIN, .domain, readOnly: true, "the socket's address family"),
    SocketOption("SO_PROTOCOL", SOL_SOCKET, SO_PROTOCOL, .proto, readOnly: true, "the socket's protocol"),
    SocketOption(
      "TCP_NODELAY", Int32(IPPROTO_TCP), TCP_NODELAY, .flag, "send small writes at once (no Nagle)"),
    SocketOption("TCP_MAXSEG", Int32(IPPROTO_TCP), TCP_MAXSEG, .int, "largest segment TCP sends"),
    SocketOption(
      "TCP_KEEPIDLE", Int32(IPPROTO_TCP), TCP_KEEPIDLE, .int, "idle seconds before keepalive probes"),
    SocketOption(
      "TCP_KEEPINTVL", Int32(IPPROTO_TCP), TCP_KEEPINTVL, .int, "seconds between keepalive probes"),
    SocketOption(
      "TCP_KEEPCNT", Int32(IPPROTO_TCP), TCP_KEEPCNT, .int, "unanswered probes before the connection drops"),
    SocketOption(
      "TCP_INFO", Int32(IPPROTO_TCP), TCP_INFO, .tcpInfo, readOnly: true, "TCP's state and counters"),
    SocketOption("IP_TTL", Int32(IPPROTO_IP), IP_TTL, .int, "hops an IPv4 packet may make"),
    SocketOption("IP_TOS", Int32(IPPROTO_IP), IP_TOS, .int, "the IPv4 type-of-service byte"),
    SocketOption("IPV6_V6ONLY", Int32(IPPROTO_IPV6), IPV6_V6ONLY, .flag, "an AF_INET6 socket takes no IPv4"),
  ]

  public static func named(_ name: String) -> SocketOption? {
    let upper = name.uppercased()
    return all.first { $0.name == upper }
  }

  /// The option with this level and number (a constant's value), if sockshell knows it.
  public static func find(level: Int32, number: Int32) -> SocketOption? {
    all.first { $0.level == level && $0.number == number }
  }

  /// strace's name for a level: SOL_SOCKET, SOL_TCP, SOL_IP, SOL_IPV6.
  public static func levelName(_ level: Int32) -> String {
    switch level {
    case SOL_SOCKET: "SOL_SOCKET"
    case Int32(IPPROTO_TCP): "SOL_TCP"
    case Int32(IPPROTO_UDP): "SOL_UDP"
    case Int32(IPPROTO_IP): "SOL_IP"
    case Int32(IPPROTO_IPV6): "SOL_IPV6"
    default: String(level)
    }
  }

  /// Linux's TCP states, numbered as in include/net/tcp_states.h.
  public static let tcpStates = [
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT",
    7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING", 12: "NEW_SYN_RECV",
  ]
}

/// The value of a socket option as it crosses the kernel boundary.
public enum OptionValue: Equatable, Sendable {
  case int(Int32)
  case linger(onoff: Int32, seconds: Int32)
  case timeval(seconds: Int, microseconds: Int)
  /// `struct tcp_info`, raw.
  case tcpInfo([UInt8])

  /// The bytes handed to setsockopt / filled by getsockopt.
  var bytes: [UInt8] {
    switch self {
    case .int(let value): withUnsafeBytes(of: value) { Array($0) }
    case .linger(let onoff, let seconds):
      withUnsafeBytes(of: Glibc.linger(l_onoff: onoff, l_linger: seconds)) { Array($0) }
    case .timeval(let seconds, let micros):
      withUnsafeBytes(of: Glibc.timeval(tv_sec: seconds, tv_usec: micros)) { Array($0) }
    case .tcpInfo(let raw): raw
    }
  }

  static func size(of kind: SocketOption.Kind) -> Int {
    switch kind {
    case .linger: MemoryLayout<Glibc.linger>.size
    case .timeval: MemoryLayout<Glibc.timeval>.size
    case .tcpInfo: MemoryLayout<tcp_info>.size
    default: MemoryLayout<Int32>.size
    }
  }

  static func decode(_ raw: [UInt8], as kind: SocketOption.Kind) -> OptionValue {
    func load<T>(_ type: T.Type) -> T? {
      guard raw.count >= MemoryLayout<T>.size else { return nil }
      return raw.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
    switch kind {
    case .linger:
      let value = load(Glibc.linger.self) ?? Glibc.linger()
      return .linger(onoff: value.l_onoff, seconds: value.l_linger)
    case .timeval:
      let value = load(Glibc.timeval.self) ?? Glibc.timeval()
      return .timeval(seconds: value.tv_sec, microseconds: value.tv_usec)
    case .tcpInfo: return .tcpInfo(raw)
    default:
      return .int(load(Int32.self) ?? 0)
    }
  }

  /// A 32-bit field of `struct tcp_info` at a byte offset (include/uapi/linux/tcp.h).
  static func tcpField(_ raw: [UInt8], _ offset: Int) -> UInt32 {
    guard raw.count >= offset + 4 else { return 0 }
    return raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
  }

  /// The counters of `struct tcp_info` worth a learner's look, by name and offset.
  static let tcpCounters: [(name: String, offset: Int)] = [
    ("tcpi_rto", 8), ("tcpi_snd_mss", 16), ("tcpi_rcv_mss", 20), ("tcpi_unacked", 24), ("tcpi_lost", 32),
    ("tcpi_retrans", 36), ("tcpi_rtt", 68), ("tcpi_rttvar", 72), ("tcpi_snd_cwnd", 80),
    ("tcpi_total_retrans", 100),
  ]

  /// strace's rendering: `[1]`, `[SOCK_STREAM]`, `{l_onoff=1, l_linger=0}`, `{tv_sec=1, tv_usec=0}`.
  func render(as kind: SocketOption.Kind) -> String {
    switch self {
    case .int(let value):
      switch kind {
      case .type: return "[" + SocketNames.type(value) + "]"
      case .domain: return "[" + SocketNames.domain(value) + "]"
      case .error: return "[" + (value == 0 ? "0" : Errno(value).name) + "]"
      default: return "[\(value)]"
      }
    case .linger(let onoff, let seconds): return "{l_onoff=\(onoff), l_linger=\(seconds)}"
    case .timeval(let seconds, let micros): return "{tv_sec=\(seconds), tv_usec=\(micros)}"
    case .tcpInfo(let raw):
      let state = SocketOption.tcpStates[Int(raw.first ?? 0)].map { "TCP_" + $0 } ?? String(raw.first ?? 0)
      var text = "{tcpi_state=" + state + ", tcpi_retransmits=\(raw.count > 2 ? raw[2] : 0)"
      for counter in OptionValue.tcpCounters {
        text += ", \(counter.name)=\(OptionValue.tcpField(raw, counter.offset))"
      }
      return text + ", ...}"
    }
  }
}
