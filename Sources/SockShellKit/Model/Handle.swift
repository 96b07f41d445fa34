/// A socket the learner created or accepted, known by a number that is never reused.
///
/// Only open handles live as objects. Once closed, HandleTable keeps a compact record of what
/// `handles --all` shows and rebuilds a closed Handle from it when one is asked for.
public final class Handle {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  public enum State: String, Sendable {
    case created, bound, listening, connecting, connected, accepted
    case readShut = "read-shut", writeShut = "write-shut", shut = "shut", closed
  }

  public struct LastError: Sendable {
    public var errno: Errno
    /// The libc call that failed: `connect`.
    public var call: String
  }

  public let number: Int
  public let fd: Int32
  public let domain: Int32
  public let type: Int32
  public let proto: Int32
  @exclusivity(unchecked) public var state: State
  @exclusivity(unchecked) public var isNonBlocking = false
  @exclusivity(unchecked) public var bytesRead = 0
  @exclusivity(unchecked) public var bytesWritten = 0

  /// What few handles need (addresses, an error) lives apart, so that a handle without them
  /// stays small. When the handle closes, HandleTable keeps this object, and a closed Handle
  /// rebuilt later shares it: `clear_error` on a closed handle still forgets its error.
  final class Extras {
    var localAddress: SocketAddress?
    var peerAddress: SocketAddress?
    var lastError: LastError?
  }

  @exclusivity(unchecked) var extras: Extras?
  private var extrasForWriting: Extras {
    if let extras { return extras }
    let created = Extras()
    extras = created
    return created
  }

  public var localAddress: SocketAddress? {
    get { extras?.localAddress }
    set { if newValue != nil || extras != nil { extrasForWriting.localAddress = newValue } }
  }

  public var peerAddress: SocketAddress? {
    get { extras?.peerAddress }
    set { if newValue != nil || extras != nil { extrasForWriting.peerAddress = newValue } }
  }

  public var lastError: LastError? {
    get { extras?.lastError }
    set { if newValue != nil || extras != nil { extrasForWriting.lastError = newValue } }
  }

  /// Where the handle was closed: the line (nil in the interactive shell) and the command.
  /// Kept as parts, not a formatted string: a long script closes thousands of handles.
  @exclusivity(unchecked) public var closedAt: (line: Int?, by: String)?

  /// `line 9 by socket_close`
  public var closedWhere: String? {
    guard let closedAt else { return nil }
    if let line = closedAt.line { return "line \(line) by \(closedAt.by)" }
    return "an earlier input by \(closedAt.by)"
  }

  public init(number: Int, fd: Int32, domain: Int32, type: Int32, proto: Int32, state: State) {
    self.number = number
    self.fd = fd
    self.domain = domain
    self.type = type
    self.proto = proto
    self.state = state
  }

  public var isOpen: Bool { state != .closed }
}
