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
    var line: [UInt8] = []
    line.reserveCapacity(128)
    append(record, to: &line)
    return String(decoding: line, as: UTF8.self)
  }

  /// Appends the record's line to `line`; returns how many of the bytes are colour codes, which
  /// take no room on the screen.
  @discardableResult
  public func append(_ record: SyscallRecord, to line: inout [UInt8]) -> Int {
    if colour { line.appendLiteral(EchoRenderer.cyan) }
    line.appendString(record.name)
    if colour { line.appendLiteral(EchoRenderer.reset) }
    line.append(UInt8(ascii: "("))
    var first = true
    for argument in record.arguments {
      if !first { line.appendLiteral(", ") }
      first = false
      render(argument, into: &line)
    }
    line.appendLiteral(") = ")
    if colour { line.appendLiteral(record.errno == nil ? EchoRenderer.green : EchoRenderer.red) }
    switch record.outcome {
    case .value(let value):
      EchoRenderer.appendDecimal(value, to: &line)
    case .flags(_, let text):
      line.appendString(text)
    case .ready(let count, let read, let write, let except, let left):
      EchoRenderer.appendDecimal(count, to: &line)
      if count == 0 {
        line.appendLiteral(" (Timeout)")
      } else {
        var parts: [String] = []
        if !read.isEmpty { parts.append("in " + EchoRenderer.fdList(read)) }
        if !write.isEmpty { parts.append("out " + EchoRenderer.fdList(write)) }
        if !except.isEmpty { parts.append("except " + EchoRenderer.fdList(except)) }
        if let left { parts.append("left {tv_sec=" + String(left.0) + ", tv_usec=" + String(left.1) + "}") }
        line.appendLiteral(" (")
        line.appendString(parts.joined(separator: ", "))
        line.append(UInt8(ascii: ")"))
      }
    case .failure(let errno):
      line.appendLiteral("-1 ")
      line.appendString(errno.name)
      line.appendLiteral(" (")
      line.appendString(errno.message)
      line.append(UInt8(ascii: ")"))
    }
    guard colour else { return 0 }
    line.appendLiteral(EchoRenderer.reset)
    return 2 * EchoRenderer.cyan.utf8CodeUnitCount + 2 * EchoRenderer.reset.utf8CodeUnitCount
  }

  public func render(_ argument: SyscallRecord.Argument) -> String {
    var bytes: [UInt8] = []
    render(argument, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private func render(_ argument: SyscallRecord.Argument, into line: inout [UInt8]) {
    switch argument {
    case .fd(let fd): EchoRenderer.appendDecimal(Int(fd), to: &line)
    case .int(let value): EchoRenderer.appendDecimal(value, to: &line)
    case .symbol(let text): line.appendString(text)
    case .address(let address): line.appendString(EchoRenderer.render(address))
    case .addressOut(let address, let lengthIn, let lengthOut):
      if let address, let lengthOut {
        line.appendString(EchoRenderer.render(address))
        line.appendLiteral(", [")
        EchoRenderer.appendDecimal(lengthIn, to: &line)
        if lengthIn != lengthOut {
          line.appendLiteral(" => ")
          EchoRenderer.appendDecimal(lengthOut, to: &line)
        }
        line.append(UInt8(ascii: "]"))
      } else {
        line.append(UInt8(ascii: "["))
        EchoRenderer.appendDecimal(lengthIn, to: &line)
        line.append(UInt8(ascii: "]"))
      }
    case .data(let bytes):
      line.append(UInt8(ascii: "\""))
      line.appendString(CString.escape(bytes, limit: stringLimit))
      line.append(UInt8(ascii: "\""))
      if bytes.count > stringLimit { line.appendLiteral("...") }
    case .pointer(let address):
      line.appendLiteral("0x")
      line.appendString(String(address, radix: 16))
    case .fdSet(let fds): line.appendString((fds.map(EchoRenderer.fdList) ?? "NULL"))
    case .timeval(let seconds, let microseconds):
      line.appendLiteral("{tv_sec=")
      EchoRenderer.appendDecimal(seconds, to: &line)
      line.appendLiteral(", tv_usec=")
      EchoRenderer.appendDecimal(microseconds, to: &line)
      line.append(UInt8(ascii: "}"))
    case .null: line.appendLiteral("NULL")
    case .iovecs(let slices): renderIovecs(slices, into: &line)
    case .message(let name, let nameLength, let slices, let flags):
      line.appendLiteral("{msg_name=")
      if let name { line.appendString(EchoRenderer.render(name)) } else { line.appendLiteral("NULL") }
      line.appendLiteral(", msg_namelen=")
      EchoRenderer.appendDecimal(nameLength, to: &line)
      line.appendLiteral(", msg_iov=")
      renderIovecs(slices, into: &line)
      line.appendLiteral(", msg_iovlen=")
      EchoRenderer.appendDecimal(slices.count, to: &line)
      line.appendLiteral(", msg_controllen=0, msg_flags=")
      line.appendString(flags)
      line.append(UInt8(ascii: "}"))
    }
  }

  /// `[{iov_base="ab", iov_len=2}, {iov_base="", iov_len=5}]`
  private func renderIovecs(_ slices: [SyscallRecord.IOSlice], into line: inout [UInt8]) {
    line.append(UInt8(ascii: "["))
    for (index, slice) in slices.enumerated() {
      if index > 0 { line.appendLiteral(", ") }
      line.appendLiteral("{iov_base=")
      render(.data(slice.data), into: &line)
      line.appendLiteral(", iov_len=")
      EchoRenderer.appendDecimal(slice.length, to: &line)
      line.append(UInt8(ascii: "}"))
    }
    line.append(UInt8(ascii: "]"))
  }

  static func appendDecimal(_ value: Int, to line: inout [UInt8]) {
    if value < 0 {
      line.append(UInt8(ascii: "-"))
      appendDecimal(Int(value.magnitude), to: &line)
      return
    }
    if value < 10 {
      line.append(48 + UInt8(value))
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { raw in
      while rest > 0 {
        raw[count] = 48 + UInt8(rest % 10)
        rest /= 10
        count += 1
      }
      for index in stride(from: count - 1, through: 0, by: -1) { line.append(raw[index]) }
    }
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

extension [UInt8] {
  /// Appends a literal's bytes in one copy (`+= "...".utf8` takes a byte-at-a-time path).
  @inline(__always)
  mutating func appendLiteral(_ text: StaticString) {
    append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  @inline(__always)
  public mutating func appendString(_ text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}
