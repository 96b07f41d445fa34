/// Prints system calls the way strace does: `bind(3, {sa_family=AF_INET, ...}, 16) = 0`.
/// Builds bytes and makes one String at the end: this runs for every call of a long script.
public struct EchoRenderer: Sendable {
  /// How many bytes of a data buffer to show before `...`.
  public var stringLimit: Int
  /// ANSI colour: the call's name in cyan, a return value in green, a failure in red.
  public var colour: Bool

  public init(stringLimit: Int = 64, colour: Bool = false) {
    self.stringLimit = stringLimit
    self.colour = colour
  }

  static let cyan: StaticString = "\u{1B}[36m"
  static let green: StaticString = "\u{1B}[32m"
  static let red: StaticString = "\u{1B}[31m"
  static let reset: StaticString = "\u{1B}[0m"

  public func render(_ record: SyscallRecord) -> String {
    let line = ByteBuffer(capacity: 128)
    append(record, to: line)
    return String(decoding: line.bytes, as: UTF8.self)
  }

  /// Appends the record's line to `line`; returns how many of the bytes are colour codes, which
  /// take no room on the screen.
  @discardableResult
  public func append(_ record: SyscallRecord, to line: ByteBuffer) -> Int {
    if colour { line.append(EchoRenderer.cyan) }
    line.append(record.name)
    if colour { line.append(EchoRenderer.reset) }
    line.append(UInt8(ascii: "("))
    // Through the buffer: iterating the array would copy each argument, and retain what it holds.
    record.arguments.withUnsafeBufferPointer { arguments in
      for index in arguments.indices {
        if index > 0 { line.append(", ") }
        render(at: arguments.baseAddress! + index, into: line)
      }
    }
    line.append(") = ")
    if colour { line.append(record.errno == nil ? EchoRenderer.green : EchoRenderer.red) }
    switch record.outcome {
    case .value(let value):
      line.appendDecimal(value)
    case .flags(_, let text):
      line.append(text)
    case .ready(let count, let read, let write, let except, let left):
      line.appendDecimal(count)
      if count == 0 {
        line.append(" (Timeout)")
      } else {
        var parts: [String] = []
        if !read.isEmpty { parts.append("in " + EchoRenderer.fdList(read)) }
        if !write.isEmpty { parts.append("out " + EchoRenderer.fdList(write)) }
        if !except.isEmpty { parts.append("except " + EchoRenderer.fdList(except)) }
        if let left { parts.append("left {tv_sec=" + String(left.0) + ", tv_usec=" + String(left.1) + "}") }
        line.append(" (")
        line.append(parts.joined(separator: ", "))
        line.append(UInt8(ascii: ")"))
      }
    case .failure(let errno):
      line.append("-1 ")
      line.append(errno.name)
      line.append(" (")
      line.append(errno.message)
      line.append(UInt8(ascii: ")"))
    }
    guard colour else { return 0 }
    line.append(EchoRenderer.reset)
    return 2 * EchoRenderer.cyan.utf8CodeUnitCount + 2 * EchoRenderer.reset.utf8CodeUnitCount
  }

  public func render(_ argument: SyscallRecord.Argument) -> String {
    let bytes = ByteBuffer()
    render(argument, into: bytes)
    return String(decoding: bytes.bytes, as: UTF8.self)
  }

  private func render(_ argument: SyscallRecord.Argument, into line: ByteBuffer) {
    withUnsafePointer(to: argument) { render(at: $0, into: line) }
  }

  /// Renders the argument where it lies: switching over a copy would retain what it holds.
  private func render(at argument: UnsafePointer<SyscallRecord.Argument>, into line: ByteBuffer) {
    switch argument.pointee {
    case .fd(let fd): line.appendDecimal(Int(fd))
    case .int(let value): line.appendDecimal(value)
    case .symbol(let text): line.append(text)
    case .address(let address): line.append(EchoRenderer.render(address))
    case .addressOut(let address, let lengthIn, let lengthOut):
      if let address, let lengthOut {
        line.append(EchoRenderer.render(address))
        line.append(", [")
        line.appendDecimal(lengthIn)
        if lengthIn != lengthOut {
          line.append(" => ")
          line.appendDecimal(lengthOut)
        }
        line.append(UInt8(ascii: "]"))
      } else {
        line.append(UInt8(ascii: "["))
        line.appendDecimal(lengthIn)
        line.append(UInt8(ascii: "]"))
      }
    case .data(let bytes):
      line.append(UInt8(ascii: "\""))
      line.append(CString.escape(bytes, limit: stringLimit))
      line.append(UInt8(ascii: "\""))
      if bytes.count > stringLimit { line.append("...") }
    case .pointer(let address):
      line.append("0x")
      line.append(String(address, radix: 16))
    case .fdSet(let fds): line.append((fds.map(EchoRenderer.fdList) ?? "NULL"))
    case .timeval(let seconds, let microseconds):
      line.append("{tv_sec=")
      line.appendDecimal(seconds)
      line.append(", tv_usec=")
      line.appendDecimal(microseconds)
      line.append(UInt8(ascii: "}"))
    case .null: line.append("NULL")
    case .iovecs(let slices): renderIovecs(slices, into: line)
    case .message(let name, let nameLength, let slices, let flags):
      line.append("{msg_name=")
      if let name { line.append(EchoRenderer.render(name)) } else { line.append("NULL") }
      line.append(", msg_namelen=")
      line.appendDecimal(nameLength)
      line.append(", msg_iov=")
      renderIovecs(slices, into: line)
      line.append(", msg_iovlen=")
      line.appendDecimal(slices.count)
      line.append(", msg_controllen=0, msg_flags=")
      line.append(flags)
      line.append(UInt8(ascii: "}"))
    }
  }

  /// `[{iov_base="ab", iov_len=2}, {iov_base="", iov_len=5}]`
  private func renderIovecs(_ slices: [SyscallRecord.IOSlice], into line: ByteBuffer) {
    line.append(UInt8(ascii: "["))
    for (index, slice) in slices.enumerated() {
      if index > 0 { line.append(", ") }
      line.append("{iov_base=")
      render(.data(slice.data), into: line)
      line.append(", iov_len=")
      line.appendDecimal(slice.length)
      line.append(UInt8(ascii: "}"))
    }
    line.append(UInt8(ascii: "]"))
  }

  static func fdList(_ fds: [Int32]) -> String {
    "[" + fds.sorted().map { String($0) }.joined(separator: " ") + "]"
  }

  public static func render(_ address: SocketAddress) -> String {
    switch address {
    case .inet(_, let port):
      "{sa_family=AF_INET, sin_port=htons(" + String(port) + "), sin_addr=inet_addr(\"" + address.host
        + "\")}"
    case .inet6(_, let port, let flowInfo, let scopeID):
      "{sa_family=AF_INET6, sin6_port=htons(" + String(port) + "), sin6_flowinfo=htonl(" + String(flowInfo)
        + "), inet_pton(AF_INET6, \"" + address.host + "\", &sin6_addr), sin6_scope_id=" + String(scopeID)
        + "}"
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
