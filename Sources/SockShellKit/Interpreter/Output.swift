import Glibc

/// Where the interpreter's output goes. The terminal, a lesson checker and a test each plug in
/// their own sink.
public protocol Output: AnyObject {
  /// A system call in strace notation, with sockshell's annotation; one line, no newline.
  func echo(_ line: String)
  /// The same line, appended by `render` to the buffer it is given (without its newline). A sink
  /// with a byte buffer of its own renders straight into it, skipping the String (and the copy)
  /// that a script's every call would otherwise cost.
  func echo(rendering render: (ByteBuffer) -> Void)
  /// Text a statement prints (`echo`, reports such as `help`), exactly as given.
  func write(_ bytes: [UInt8])
  /// sockshell's own message (`sockshell: ...`, `hint: ...`); one line, no newline.
  func message(_ line: String)
  /// Delivers everything written so far; called before anything that may block.
  func flush()
  /// ANSI colour in what is shown: a terminal's sink has it unless NO_COLOR or `set colour off`;
  /// the echo's renderer reads it here, so the setting lives in one place.
  var colour: Bool { get set }
  /// A second sink that sees every line the first one shows, without colour (`record`); nil,
  /// and one check per write, when nothing records.
  var observer: (any Output)? { get set }
}

extension Output {
  public func write(_ text: String) { write(Array(text.utf8)) }

  public func echo(rendering render: (ByteBuffer) -> Void) {
    let line = ByteBuffer(capacity: 128)
    render(line)
    echo(String(decoding: line.bytes, as: UTF8.self))
  }
}

/// Writes echo and statement output to stdout (buffered) and messages to stderr, keeping the
/// two in order. A line that `echo` left unfinished is ended before the next echo or message,
/// so the strace lines always start at the left margin.
public final class StreamOutput: Output {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  private let buffer = ByteBuffer(capacity: 1 << 14)
  @exclusivity(unchecked) private var atLineStart = true
  private let outFD: Int32
  private let errFD: Int32
  /// Flush after every write: for a terminal, where the learner watches each line appear.
  @exclusivity(unchecked) public var flushesEachWrite: Bool
  @exclusivity(unchecked) public var observer: (any Output)?

  public init(outFD: Int32 = 1, errFD: Int32 = 2, flushesEachWrite: Bool = false, colour: Bool = false) {
    self.outFD = outFD
    self.errFD = errFD
    self.flushesEachWrite = flushesEachWrite
    self.colour = colour
  }

  deinit { flush() }

  public func echo(_ line: String) {
    endLine()
    buffer.append(line)
    buffer.append(10)
    atLineStart = true
    observer?.echo(line)
    afterWrite()
  }

  public func echo(rendering render: (ByteBuffer) -> Void) {
    endLine()
    let start = buffer.count
    render(buffer)
    if let observer {
      observer.echo(String(decoding: UnsafeBufferPointer(rebasing: buffer.bytes[start...]), as: UTF8.self))
    }
    buffer.append(10)
    atLineStart = true
    afterWrite()
  }

  public func write(_ bytes: [UInt8]) {
    guard let last = bytes.last else { return }
    buffer.append(bytes)
    atLineStart = last == 10
    observer?.write(bytes)
    afterWrite()
  }

  public func message(_ line: String) {
    endLine()
    flush()
    let bytes = Array((colour ? StreamOutput.coloured(line) : line).utf8) + [10]
    bytes.withUnsafeBytes { StreamOutput.writeAll(errFD, $0) }
    observer?.message(line)
  }

  /// Colour the echo, and the prefix of a message: sockshell's errors in red, hints in yellow.
  @exclusivity(unchecked) public var colour: Bool

  static func coloured(_ line: String) -> String {
    for (prefix, code) in [("sockshell: ", "31"), ("hint: ", "33")] where line.hasPrefix(prefix) {
      return "\u{1B}[\(code)m" + prefix.dropLast() + "\u{1B}[0m " + line.dropFirst(prefix.count)
    }
    return line
  }

  /// Ends a line that statement output left open; the terminal's prompt calls this too.
  public func endLine() {
    if !atLineStart {
      buffer.append(10)
      atLineStart = true
    }
  }

  public func flush() {
    guard !buffer.isEmpty else { return }
    StreamOutput.writeAll(outFD, UnsafeRawBufferPointer(buffer.bytes))
    buffer.removeAll()
  }

  private func afterWrite() {
    if flushesEachWrite || buffer.count >= 1 << 13 { flush() }
  }

  static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) {
    guard let start = raw.baseAddress else { return }
    var offset = 0
    while offset < raw.count {
      let n = Glibc.write(fd, start + offset, raw.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += n
    }
  }
}

/// Keeps everything in order, for tests and the lesson checker.
public final class RecordingOutput: Output {
  public enum Event: Equatable, Sendable {
    case echo(String)
    case text([UInt8])
    case message(String)
  }

  public private(set) var events: [Event] = []
  /// What the echo was rendered with, as a terminal would have it; the events keep the codes.
  public var colour: Bool
  public var observer: (any Output)?

  public init(colour: Bool = false) { self.colour = colour }

  public func echo(_ line: String) {
    events.append(.echo(line))
    observer?.echo(line)
  }
  public func write(_ bytes: [UInt8]) {
    if !bytes.isEmpty { events.append(.text(bytes)) }
    observer?.write(bytes)
  }
  public func message(_ line: String) {
    events.append(.message(line))
    observer?.message(line)
  }
  public func flush() {}

  public var echoes: [String] { events.compactMap { if case .echo(let line) = $0 { line } else { nil } } }
  public var messages: [String] {
    events.compactMap { if case .message(let line) = $0 { line } else { nil } }
  }
  public var text: String {
    var all: [UInt8] = []
    for case .text(let bytes) in events { all += bytes }
    return String(decoding: all, as: UTF8.self)
  }

  public func clear() { events.removeAll() }
}
