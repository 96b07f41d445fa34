import Glibc

/// The strace echo with the wire under it (`--wire`): after each call, the segments that
/// crossed loopback while it ran, each marked with the handle that sent it (`#2 >`), else the
/// one that received it (`#1 <`), else `--`. Segments that came between calls are read just
/// before the next call, so they show above its echo; before a prompt, `showWire` shows them.
final class WireEchoes: CallView {
  let echoes = CallEchoes()
  let wire: Wire
  private var text = SegmentText()
  /// The session whose handles own the segments.
  weak var interpreter: Interpreter?
  /// A call made a socket that becomes a handle only when its command is done.
  private var readsWhenDone = false
  /// When the capture was last read (CLOCK_MONOTONIC, in nanoseconds).
  private var lastRead = 0

  init(wire: Wire) { self.wire = wire }

  func record(_ record: borrowing SyscallRecord, stringLimit: Int, colour: Bool) {
    echoes.record(record, stringLimit: stringLimit, colour: colour)
    // The socket accept made is not a handle until the command is done: its segments wait.
    if record.name == "accept" || record.name == "accept4" {
      readsWhenDone = true
      return
    }
    guard !WireEchoes.quietCalls.contains(record.name) else { return }
    var connecting: Int?
    if record.name == "connect", case .fd(let fd)? = record.arguments.first {
      connecting = interpreter?.handles.openHandle(fd: fd)?.number
    }
    readWire(connecting: connecting, duringCall: true)
  }

  /// Calls that put nothing on the wire and wait for nothing: the capture is not read after
  /// them. (A read may send an ACK or a window update; select may wait while segments come.)
  static let quietCalls: Set<String> = [
    "socket", "socketpair", "bind", "listen", "getsockname", "getpeername", "getsockopt", "setsockopt",
    "fcntl",
    "ioctl", "unlink",
  ]

  /// Before a call: what came since the last read of the capture. Within a millisecond of it
  /// (the next line of a script) nothing is read: whatever came in that time shows under the
  /// call instead, and a script's lines are not made to wait a system call each.
  func readWireBeforeCall() {
    if WireEchoes.now() - lastRead < 1_000_000 { return }
    readWire()
  }

  /// CLOCK_MONOTONIC in nanoseconds.
  private static func now() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return now.tv_sec * 1_000_000_000 + now.tv_nsec
  }

  func commandDone(
    output: Output, mode: Interpreter.EchoMode, handles: Value, variable: String?, hint: (Errno) -> String?
  ) {
    if readsWhenDone {
      readsWhenDone = false
      readWire()
    }
    echoes.commandDone(output: output, mode: mode, handles: handles, variable: variable, hint: hint)
  }

  func discard() { echoes.discard() }

  /// Turns the frames waiting on the capture into lines among the echo's.
  /// `connecting` is the handle of the connect call just made: a SYN no socket owns is its (the
  /// connect failed, and its socket has no address left to find it by).
  func readWire(connecting: Int? = nil, duringCall: Bool = false) {
    lastRead = WireEchoes.now()
    wire.capture.drain { frame in
      guard let segment = Segment(frame: frame.bytes) else { return }
      var owner = wire.owners.owner(
        of: segment, handles: { [weak self] in self?.openHandles() ?? [] },
        isOpen: { [weak self] in self?.isOpen($0) ?? false })
      if owner == .none, let connecting, case .tcp(let tcp) = segment.transport, tcp.flags == Segment.syn {
        wire.owners.remember(segment, sentBy: connecting)
        owner = .sent(by: connecting)
      }
      echoes.note { line in
        switch owner {
        case .sent(let number), .received(let number):
          line.append("  #")
          line.appendDecimal(number)
          line.append(owner == .sent(by: number) ? " > " : " < ")
        case .none:
          line.append("  -- ")
        }
        text.append(segment, to: line)
      }
      if let journal = interpreter?.journal { keep(segment, owner: owner, in: journal, duringCall: duringCall) }
    }
  }

  /// A segment in the journal, for the timeline: the handle at each end the session has.
  private func keep(_ segment: Segment, owner: SocketOwners.Owner, in journal: Journal, duringCall: Bool) {
    var sender: Int?
    var receiver: Int?
    switch owner {
    case .sent(let number): sender = number
    case .received(let number): receiver = number
    case .none: break
    }
    if receiver == nil {
      // The other end: the socket that would send the same segment back.
      var back = segment
      (back.source, back.destination) = (segment.destination, segment.source)
      (back.sourcePort, back.destinationPort) = (segment.destinationPort, segment.sourcePort)
      if case .sent(let number) = wire.owners.owner(
        of: back, handles: { [weak self] in self?.openHandles() ?? [] },
        isOpen: { [weak self] in self?.isOpen($0) ?? false })
      {
        receiver = number
      }
    }
    let what: String
    switch segment.transport {
    case .tcp(let tcp):
      what = "[" + SegmentText.flags(tcp.flags) + "]" + (segment.length > 0 ? " \(segment.length) bytes" : "")
    default:
      what = "UDP \(segment.length) bytes"
    }
    journal.appendWire(sender: sender, receiver: receiver, text: what, duringCall: duringCall)
  }

  private func openHandles() -> [(number: Int, fd: Int32)] {
    interpreter?.handles.open.map { ($0.number, $0.fd) } ?? []
  }

  private func isOpen(_ number: Int) -> Bool { interpreter?.handles.handle(number)?.isOpen ?? false }
}

extension Interpreter {
  /// The capture, when the session runs with `--wire`.
  public var wire: Wire? { (echoes as? WireEchoes)?.wire }

  /// Shows the segments that arrived since the last call (before a prompt, at the end of a script).
  /// `settling` waits up to that many milliseconds for more while they keep coming: at a
  /// prompt, the ACK the peer delays (40 ms) shows with the call that caused it.
  public func showWire(settling milliseconds: Int32 = 0) {
    guard let view = echoes as? WireEchoes else { return }
    view.readWire()
    if milliseconds > 0 {
      // At most ten rounds: a stream that never stops does not hold the prompt back.
      var rounds = 0
      while rounds < 10 && view.wire.capture.wait(milliseconds: milliseconds) {
        view.readWire()
        rounds += 1
      }
    }
    view.commandDone(output: output, mode: settings.echo, handles: .null, variable: nil) { _ in nil }
  }

  /// Reads the wire before each call reaches the kernel, so what came between calls shows
  /// above the next call's echo.
  func attach(_ view: WireEchoes) {
    view.interpreter = self
    kernel.beforeCall = { [unowned view] in view.readWireBeforeCall() }
  }
}
