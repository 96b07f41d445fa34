/// A socket the learner created or accepted, known by a number that is never reused.
public final class Handle {
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
  public var state: State
  public var localAddress: SocketAddress?
  public var peerAddress: SocketAddress?
  public var isNonBlocking = false
  public var lastError: LastError?
  public var bytesRead = 0
  public var bytesWritten = 0
  /// Where the handle was closed: `line 9`, and the command that closed it.
  public var closedWhere: String?

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
