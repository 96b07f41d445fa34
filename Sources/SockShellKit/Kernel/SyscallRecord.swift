/// One system call as it happened, with enough detail to print it the way strace does.
public struct SyscallRecord: Sendable {
  public enum Argument: Sendable {
    case fd(Int32)
    case int(Int)
    /// A symbolic value already named: `AF_INET`, `SHUT_WR`, `F_GETFL`.
    case symbol(String)
    /// An address passed in, with its length.
    case address(SocketAddress)
    /// An address the kernel fills in (accept): the address and the length before and after.
    case addressOut(SocketAddress?, lengthIn: Int, lengthOut: Int?)
    /// A buffer of data: what was written, or what the kernel read into it.
    case data([UInt8])
    /// A buffer the kernel did not fill because the call failed, shown by address as strace does.
    case pointer(UInt)
    /// An fd_set given to select, or nil for NULL.
    case fdSet([Int32]?)
    /// A select timeout.
    case timeval(seconds: Int, microseconds: Int)
    /// A NULL pointer.
    case null
    /// An iovec array: each buffer's data (as far as it was used) and its length.
    case iovecs([IOSlice])
    /// A `struct msghdr` for sendmsg and recvmsg.
    case message(name: SocketAddress?, nameLength: Int, iovecs: [IOSlice], flags: String)
  }

  /// One buffer of an iovec array as the echo shows it.
  public struct IOSlice: Sendable, Equatable {
    public var data: [UInt8]
    public var length: Int
    public init(data: [UInt8], length: Int) {
      self.data = data
      self.length = length
    }
  }

  public enum Outcome: Sendable {
    case value(Int)
    /// A value strace prints in hexadecimal with a decoding: `0x2 (flags O_RDWR)`.
    case flags(Int, String)
    /// select: the count and which fds were ready.
    case ready(Int, read: [Int32], write: [Int32], except: [Int32], left: (Int, Int)?)
    case failure(Errno)
  }

  public var name: String
  public var arguments: [Argument]
  public var outcome: Outcome

  public init(name: String, arguments: [Argument], outcome: Outcome) {
    self.name = name
    self.arguments = arguments
    self.outcome = outcome
  }

  public var errno: Errno? {
    if case .failure(let errno) = outcome { return errno }
    return nil
  }

  /// The return value as the kernel gave it: -1 on failure.
  public var returnValue: Int {
    switch outcome {
    case .value(let value), .flags(let value, _), .ready(let value, _, _, _, _): value
    case .failure: -1
    }
  }
}
