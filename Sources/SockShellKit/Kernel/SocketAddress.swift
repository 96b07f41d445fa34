import Glibc

/// A socket address of one of the three families sockshell teaches.
public enum SocketAddress: Equatable, Sendable {
  /// IPv4: four address bytes in network order and a port in host order.
  case inet(address: [UInt8], port: UInt16)
  /// IPv6: sixteen address bytes in network order, a port, flow info and scope id.
  case inet6(address: [UInt8], port: UInt16, flowInfo: UInt32, scopeID: UInt32)
  /// AF_UNIX: a path, or an abstract name when the first byte is 0.
  case unix(path: [UInt8])

  public var family: Int32 {
    switch self {
    case .inet: AF_INET
    case .inet6: AF_INET6
    case .unix: AF_UNIX
    }
  }

  public var port: UInt16? {
    switch self {
    case .inet(_, let port), .inet6(_, let port, _, _): port
    case .unix: nil
    }
  }

  /// The address part as text: `127.0.0.1`, `::1`, `/tmp/s.sock`, `@name`.
  public var host: String {
    switch self {
    case .inet(let address, _): SocketAddress.format(family: AF_INET, bytes: address)
    case .inet6(let address, _, _, _): SocketAddress.format(family: AF_INET6, bytes: address)
    case .unix(let path):
      if path.first == 0 {
        "@" + String(decoding: path.dropFirst(), as: UTF8.self)
      } else {
        String(decoding: path, as: UTF8.self)
      }
    }
  }

  /// `127.0.0.1:5353`, `[::1]:5353`, `/tmp/s.sock`.
  public var display: String {
    switch self {
    case .inet(_, let port): "\(host):\(port)"
    case .inet6(_, let port, _, _): "[\(host)]:\(port)"
    case .unix: host.isEmpty ? "(unnamed)" : host
    }
  }

  /// True when a bind to this address is reachable from other machines.
  public var isBeyondLoopback: Bool {
    switch self {
    case .inet(let address, _): address[0] != 127
    case .inet6(let address, _, _, _):
      !(address[0..<15].allSatisfy { $0 == 0 } && address[15] == 1)
        && !(address[0..<10].allSatisfy { $0 == 0 } && address[10] == 0xff && address[11] == 0xff
          && address[12] == 127)
    case .unix: false
    }
  }

  /// Parses an IP literal, `localhost` or, for AF_UNIX, a path. Never asks DNS: sockshell's
  /// traffic stays on this machine unless a learner types an address themselves.
  /// `127.0.0.1:5353` → (`127.0.0.1`, 5353); `[::1]:80` → (`::1`, 80). Nil when the text
  /// carries no port (a bare IPv6 address's colons are not a port).
  public static func splitPort(_ text: String, family: Int32) -> (host: String, port: Int)? {
    let separator: String.Index
    if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
      guard text.index(after: close) < text.endIndex, text[text.index(after: close)] == ":" else {
        return nil
      }
      separator = text.index(after: close)
    } else {
      guard family == AF_INET, let colon = text.firstIndex(of: ":"), text.lastIndex(of: ":") == colon else {
        return nil
      }
      separator = colon
    }
    guard let port = Int(text[text.index(after: separator)...]) else { return nil }
    var host = String(text[..<separator])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    return (host, port)
  }

  public static func parse(host: String, port: Int?, family: Int32) -> Result<SocketAddress, AddressError> {
    if family == AF_UNIX {
      if port != nil { return .failure(.unexpectedPort) }
      var bytes = Array(host.utf8)
      if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
      if bytes.isEmpty { return .failure(.emptyPath) }
      if bytes.count > 107 { return .failure(.pathTooLong(bytes.count)) }
      return .success(.unix(path: bytes))
    }
    guard let port else { return .failure(.missingPort) }
    guard (0...65535).contains(port) else { return .failure(.portOutOfRange(port)) }
    var text = host
    if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
    if text == "localhost" { text = family == AF_INET6 ? "::1" : "127.0.0.1" }
    if family == AF_INET {
      var raw = in_addr()
      guard inet_pton(AF_INET, text, &raw) == 1 else {
        return .failure(
          text.contains(":") ? .wrongFamily(host, expected: "IPv4") : .notAnAddress(host, "IPv4"))
      }
      return .success(.inet(address: withUnsafeBytes(of: &raw) { Array($0) }, port: UInt16(port)))
    }
    if family == AF_INET6 {
      var raw = in6_addr()
      guard inet_pton(AF_INET6, text, &raw) == 1 else { return .failure(.notAnAddress(host, "IPv6")) }
      return .success(
        .inet6(address: withUnsafeBytes(of: &raw) { Array($0) }, port: UInt16(port), flowInfo: 0, scopeID: 0))
    }
    return .failure(.unsupportedFamily(family))
  }

  public enum AddressError: Error, Equatable, CustomStringConvertible {
    case notAnAddress(String, String)
    case wrongFamily(String, expected: String)
    case portOutOfRange(Int)
    case missingPort
    case unexpectedPort
    case emptyPath
    case pathTooLong(Int)
    case unsupportedFamily(Int32)

    public var description: String {
      switch self {
      case .notAnAddress(let text, let kind):
        "'\(text)' is not an \(kind) address (sockshell takes IP literals and localhost, never DNS names)"
      case .wrongFamily(let text, let expected):
        "'\(text)' is not an \(expected) address; this socket's family needs one"
      case .portOutOfRange(let port): "port \(port) is out of range 0..65535"
      case .missingPort: "a port is needed after the address"
      case .unexpectedPort: "an AF_UNIX address is a path and takes no port"
      case .emptyPath: "an AF_UNIX path cannot be empty"
      case .pathTooLong(let count): "an AF_UNIX path holds at most 107 bytes, this one has \(count)"
      case .unsupportedFamily(let family):
        "addresses of family \(SocketNames.domain(family)) are not supported"
      }
    }
  }

  static func format(family: Int32, bytes: [UInt8]) -> String {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let ok = bytes.withUnsafeBytes { raw in
      inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
    }
    guard ok else { return "?" }
    let end = buffer.firstIndex(of: 0) ?? buffer.count
    return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The length the kernel is given for this address.
  var length: socklen_t {
    switch self {
    case .inet: socklen_t(MemoryLayout<sockaddr_in>.size)
    case .inet6: socklen_t(MemoryLayout<sockaddr_in6>.size)
    // sun_family, the path, and the terminating NUL that abstract names do not have.
    case .unix(let path): socklen_t(2 + path.count + (path.first == 0 ? 0 : 1))
    }
  }

  func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    var storage = sockaddr_storage()
    return withUnsafeMutableBytes(of: &storage) { raw in
      switch self {
      case .inet(let address, let port):
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address) }
        withUnsafeBytes(of: &sin) { raw.copyMemory(from: $0) }
      case .inet6(let address, let port, let flowInfo, let scopeID):
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        sin6.sin6_flowinfo = flowInfo.bigEndian
        sin6.sin6_scope_id = scopeID
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address) }
        withUnsafeBytes(of: &sin6) { raw.copyMemory(from: $0) }
      case .unix(let path):
        raw.storeBytes(of: sa_family_t(AF_UNIX), as: sa_family_t.self)
        UnsafeMutableRawBufferPointer(rebasing: raw[2..<(2 + path.count)]).copyBytes(from: path)
      }
      return body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
    }
  }

  /// Reads back an address the kernel filled in; nil for a family sockshell does not model.
  init?(storage: UnsafeRawPointer, length: socklen_t) {
    guard length >= 2 else { return nil }
    let family = Int32(storage.load(as: sa_family_t.self))
    switch family {
    case AF_INET:
      let sin = storage.load(as: sockaddr_in.self)
      let address = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
      self = .inet(address: address, port: UInt16(bigEndian: sin.sin_port))
    case AF_INET6:
      let sin6 = storage.load(as: sockaddr_in6.self)
      let address = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
      self = .inet6(
        address: address, port: UInt16(bigEndian: sin6.sin6_port),
        flowInfo: UInt32(bigEndian: sin6.sin6_flowinfo), scopeID: sin6.sin6_scope_id)
    case AF_UNIX:
      let count = Int(length) - 2
      var path = [UInt8](UnsafeRawBufferPointer(start: storage + 2, count: max(count, 0)))
      if path.first != 0, let end = path.firstIndex(of: 0) { path.removeSubrange(end...) }
      self = .unix(path: path)
    default:
      return nil
    }
  }
}
