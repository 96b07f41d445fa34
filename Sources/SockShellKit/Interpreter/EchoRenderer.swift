/// Prints system calls the way strace does: `bind(3, {sa_family=AF_INET, ...}, 16) = 0`.
public struct EchoRenderer: Sendable {
  /// How many bytes of a data buffer to show before `...`.
  public var stringLimit: Int

  public init(stringLimit: Int = 64) { self.stringLimit = stringLimit }

  public func render(_ record: SyscallRecord) -> String {
    var line = record.name
    line += "("
    var first = true
    for argument in record.arguments {
      if !first { line += ", " }
      first = false
      line += render(argument)
    }
    line += ") = "
    switch record.outcome {
    case .value(let value):
      line += String(value)
    case .flags(_, let text):
      line += text
    case .ready(let count, let read, let write, let except, let left):
      line += String(count)
      if count == 0 {
        line += " (Timeout)"
      } else {
        var parts: [String] = []
        if !read.isEmpty { parts.append("in " + EchoRenderer.fdList(read)) }
        if !write.isEmpty { parts.append("out " + EchoRenderer.fdList(write)) }
        if !except.isEmpty { parts.append("except " + EchoRenderer.fdList(except)) }
        if let left { parts.append("left {tv_sec=\(left.0), tv_usec=\(left.1)}") }
        line += " (" + parts.joined(separator: ", ") + ")"
      }
    case .failure(let errno):
      line += "-1 " + errno.name + " (" + errno.message + ")"
    }
    return line
  }

  public func render(_ argument: SyscallRecord.Argument) -> String {
    switch argument {
    case .fd(let fd): String(fd)
    case .int(let value): String(value)
    case .symbol(let text): text
    case .address(let address): EchoRenderer.render(address)
    case .addressOut(let address, let lengthIn, let lengthOut):
      if let address, let lengthOut {
        EchoRenderer.render(address) + ", [" + (lengthIn == lengthOut ? "\(lengthIn)" : "\(lengthIn) => \(lengthOut)")
          + "]"
      } else {
        "[\(lengthIn)]"
      }
    case .data(let bytes):
      "\"" + CString.escape(bytes, limit: stringLimit) + "\"" + (bytes.count > stringLimit ? "..." : "")
    case .pointer(let address): "0x" + String(address, radix: 16)
    case .fdSet(let fds): fds.map(EchoRenderer.fdList) ?? "NULL"
    case .timeval(let seconds, let microseconds): "{tv_sec=\(seconds), tv_usec=\(microseconds)}"
    case .null: "NULL"
    }
  }

  static func fdList(_ fds: [Int32]) -> String {
    "[" + fds.sorted().map { String($0) }.joined(separator: " ") + "]"
  }

  public static func render(_ address: SocketAddress) -> String {
    switch address {
    case .inet(_, let port):
      "{sa_family=AF_INET, sin_port=htons(\(port)), sin_addr=inet_addr(\"\(address.host)\")}"
    case .inet6(_, let port, let flowInfo, let scopeID):
      "{sa_family=AF_INET6, sin6_port=htons(\(port)), sin6_flowinfo=htonl(\(flowInfo)), "
        + "inet_pton(AF_INET6, \"\(address.host)\", &sin6_addr), sin6_scope_id=\(scopeID)}"
    case .unix(let path):
      if path.isEmpty {
        "{sa_family=AF_UNIX}"
      } else if path.first == 0 {
        "{sa_family=AF_UNIX, sun_path=@\"" + CString.escape(path.dropFirst(), limit: nil) + "\"}"
      } else {
        "{sa_family=AF_UNIX, sun_path=\"" + CString.escape(path, limit: nil) + "\"}"
      }
    }
  }
}
