import Glibc

/// The symbolic names strace prints for socket-call arguments, and sockshell accepts as input.
public enum SocketNames {
  public static let domains: [(name: String, value: Int32)] = [
    ("AF_UNIX", AF_UNIX), ("AF_INET", AF_INET), ("AF_INET6", AF_INET6),
    ("AF_UNSPEC", AF_UNSPEC), ("AF_PACKET", AF_PACKET), ("AF_NETLINK", AF_NETLINK),
  ]

  public static let types: [(name: String, value: Int32)] = [
    ("SOCK_STREAM", Int32(SOCK_STREAM.rawValue)), ("SOCK_DGRAM", Int32(SOCK_DGRAM.rawValue)),
    ("SOCK_RAW", Int32(SOCK_RAW.rawValue)), ("SOCK_SEQPACKET", Int32(SOCK_SEQPACKET.rawValue)),
    ("SOCK_RDM", Int32(SOCK_RDM.rawValue)),
  ]

  public static let typeFlags: [(name: String, value: Int32)] = [
    ("SOCK_NONBLOCK", Int32(SOCK_NONBLOCK.rawValue)), ("SOCK_CLOEXEC", Int32(SOCK_CLOEXEC.rawValue)),
  ]

  public static let protocols: [(name: String, value: Int32)] = [
    ("IPPROTO_IP", Int32(IPPROTO_IP)), ("IPPROTO_ICMP", Int32(IPPROTO_ICMP)),
    ("IPPROTO_TCP", Int32(IPPROTO_TCP)), ("IPPROTO_UDP", Int32(IPPROTO_UDP)),
    ("IPPROTO_IPV6", Int32(IPPROTO_IPV6)), ("IPPROTO_ICMPV6", Int32(IPPROTO_ICMPV6)),
    ("IPPROTO_RAW", Int32(IPPROTO_RAW)), ("IPPROTO_SCTP", Int32(IPPROTO_SCTP)),
  ]

  public static let shutdownHows: [(name: String, value: Int32)] = [
    ("SHUT_RD", Int32(SHUT_RD)), ("SHUT_WR", Int32(SHUT_WR)), ("SHUT_RDWR", Int32(SHUT_RDWR)),
  ]

  /// The file status flags strace names in `fcntl(F_GETFL)` results, in strace's order.
  public static let fileFlags: [(name: String, value: Int32)] = [
    ("O_APPEND", O_APPEND), ("O_ASYNC", O_ASYNC), ("O_DIRECT", 0o40000), ("O_NOATIME", 0o1000000),
    ("O_NONBLOCK", O_NONBLOCK), ("O_SYNC", O_SYNC), ("O_DSYNC", O_DSYNC),
  ]

  public static func domain(_ value: Int32) -> String {
    name(of: value, in: domains) ?? "\(value) /* AF_??? */"
  }

  /// `SOCK_STREAM`, `SOCK_STREAM|SOCK_NONBLOCK`.
  public static func type(_ value: Int32) -> String {
    let flagBits = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    let base = name(of: value & ~flagBits, in: types) ?? String(value & ~flagBits)
    guard value & flagBits != 0 else { return base }
    var text = base
    for flag in typeFlags where value & flag.value != 0 { text += "|" + flag.name }
    return text
  }

  /// strace names the protocol only for the IP families; for AF_UNIX it prints the number.
  public static func `protocol`(_ value: Int32, domain: Int32) -> String {
    guard domain == AF_INET || domain == AF_INET6 else { return "\(value)" }
    return name(of: value, in: protocols) ?? "\(value)"
  }

  public static func shutdownHow(_ value: Int32) -> String {
    name(of: value, in: shutdownHows) ?? "\(value) /* SHUT_??? */"
  }

  /// `O_RDWR|O_NONBLOCK`, as strace prints file status flags.
  public static func fileStatusFlags(_ value: Int32) -> String {
    var parts: [String]
    switch value & O_ACCMODE {
    case O_RDONLY: parts = ["O_RDONLY"]
    case O_WRONLY: parts = ["O_WRONLY"]
    default: parts = ["O_RDWR"]
    }
    var rest = value & ~O_ACCMODE
    for flag in fileFlags where rest & flag.value != 0 {
      parts.append(flag.name)
      rest &= ~flag.value
    }
    if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
    return parts.joined(separator: "|")
  }

  public static let messageFlags: [(name: String, value: Int32)] = [
    ("MSG_OOB", Int32(MSG_OOB)), ("MSG_PEEK", Int32(MSG_PEEK)), ("MSG_DONTROUTE", Int32(MSG_DONTROUTE)),
    ("MSG_CTRUNC", Int32(MSG_CTRUNC)), ("MSG_TRUNC", Int32(MSG_TRUNC)), ("MSG_DONTWAIT", Int32(MSG_DONTWAIT)),
    ("MSG_EOR", Int32(MSG_EOR)), ("MSG_WAITALL", Int32(MSG_WAITALL)), ("MSG_NOSIGNAL", Int32(MSG_NOSIGNAL)),
  ]

  /// `0`, `MSG_PEEK|MSG_DONTWAIT`.
  public static func messageFlagNames(_ value: Int32) -> String {
    guard value != 0 else { return "0" }
    var parts: [String] = []
    var rest = value
    for flag in messageFlags where rest & flag.value != 0 {
      parts.append(flag.name)
      rest &= ~flag.value
    }
    if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
    return parts.joined(separator: "|")
  }

  static func name(of value: Int32, in table: [(name: String, value: Int32)]) -> String? {
    for entry in table where entry.value == value { return entry.name }
    return nil
  }
}
