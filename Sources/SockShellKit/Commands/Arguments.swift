import Glibc

/// Argument readers shared by the socket commands: families, types, addresses.
extension Invocation {
  /// `AF_INET` (a constant), or `inet`, `inet6`, `unix`, `local`, or the constant's name as a string.
  func domain(_ position: Int) throws(ShellError) -> Int32 {
    switch value(position) {
    case .int(let number): return Int32(clamping: number)
    case .bytes(let bytes):
      let word = String(decoding: bytes, as: UTF8.self)
      switch word.lowercased() {
      case "inet", "ipv4", "af_inet", "4": return AF_INET
      case "inet6", "ipv6", "af_inet6", "6": return AF_INET6
      case "unix", "local", "af_unix", "af_local": return AF_UNIX
      default: throw usage("unknown domain '\(word)' (use AF_INET, AF_INET6, AF_UNIX, or inet, inet6, unix)")
      }
    case let other: throw usage("the domain must be AF_INET, AF_INET6 or AF_UNIX, not \(other.kindName)")
    }
  }

  /// `SOCK_STREAM` (a constant, possibly `|`-free flags added), or `stream`, `dgram`, `seqpacket`, `raw`.
  func socketType(_ position: Int) throws(ShellError) -> Int32 {
    switch value(position) {
    case .int(let number): return Int32(clamping: number)
    case .bytes(let bytes):
      let word = String(decoding: bytes, as: UTF8.self)
      switch word.lowercased() {
      case "stream", "tcp", "sock_stream": return Int32(SOCK_STREAM.rawValue)
      case "dgram", "datagram", "udp", "sock_dgram": return Int32(SOCK_DGRAM.rawValue)
      case "seqpacket", "sock_seqpacket": return Int32(SOCK_SEQPACKET.rawValue)
      case "raw", "sock_raw": return Int32(SOCK_RAW.rawValue)
      default:
        throw usage("unknown socket type '\(word)' (use SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW)")
      }
    case let other: throw usage("the type must be SOCK_STREAM, SOCK_DGRAM, ... not \(other.kindName)")
    }
  }

  func protocolNumber(_ position: Int) throws(ShellError) -> Int32 {
    guard has(position) else { return 0 }
    switch value(position) {
    case .int(let number): return Int32(clamping: number)
    case .bytes(let bytes):
      let word = String(decoding: bytes, as: UTF8.self)
      switch word.lowercased() {
      case "ip", "default": return 0
      case "tcp": return Int32(IPPROTO_TCP)
      case "udp": return Int32(IPPROTO_UDP)
      case "icmp": return Int32(IPPROTO_ICMP)
      default: throw usage("unknown protocol '\(word)' (use 0, IPPROTO_TCP, IPPROTO_UDP, or tcp, udp)")
      }
    case let other: throw usage("the protocol must be a number, not \(other.kindName)")
    }
  }

  /// The address at `position` for a socket of `handle`'s family: a path for AF_UNIX, or a host
  /// and the port after it. `defaultPort` applies when the port is left out (bind's port 0).
  func address(_ position: Int, for handle: Handle, defaultPort: Int? = nil) throws(ShellError)
    -> SocketAddress
  {
    try addressArguments(position, for: handle, defaultPort: defaultPort).address
  }

  /// The address and how many arguments it took: 2 for a host and a port, 1 for a path or a
  /// host with its port written in (`127.0.0.1:5353`, `[::1]:80`, the form `$_from` holds).
  /// `flagsMayFollow`: other arguments (sendto's FLAGS) may come after the address, so one after
  /// an AF_UNIX path is not taken for a port.
  func addressArguments(
    _ position: Int, for handle: Handle, defaultPort: Int? = nil, flagsMayFollow: Bool = false
  )
    throws(ShellError) -> (address: SocketAddress, used: Int)
  {
    guard has(position) else { throw usage("an address is needed") }
    var host = try text(position, "the address")
    var port: Int?
    var used = 1
    if handle.domain != AF_UNIX, let (bare, written) = SocketAddress.splitPort(host, family: handle.domain) {
      host = bare
      port = written
    } else if handle.domain != AF_UNIX {
      used = 2
      if has(position + 1) {
        port = try int(position + 1, "the port")
      } else if let defaultPort {
        port = defaultPort
      } else {
        throw usage("a port is needed after the address")
      }
    } else if has(position + 1) && !flagsMayFollow {
      throw usage("an AF_UNIX address is a path and takes no port")
    }
    switch SocketAddress.parse(host: host, port: port, family: handle.domain) {
    case .success(let address): return (address, used)
    case .failure(let error): throw ShellError("\(typedName): \(error)")
    }
  }
}
