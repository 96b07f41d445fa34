/// An iovec object (`%1`): a list of buffers that readv and recvmsg fill and writev and sendmsg
/// send, as PHP's old socket_iovec_* functions kept them.
public struct Iovec: Sendable {
  public struct Buffer: Sendable, Equatable {
    /// The buffer's bytes; its length is the iov_len the kernel sees.
    public var bytes: [UInt8]
    /// How many bytes hold data: all after `iovec_set`, what arrived after a read, 0 when new.
    public var filled: Int

    public var data: [UInt8] { Array(bytes[..<filled]) }
  }

  public var buffers: [Buffer]

  public init(lengths: [Int]) {
    buffers = lengths.map { Buffer(bytes: [UInt8](repeating: 0, count: $0), filled: 0) }
  }

  public var lengths: [Int] { buffers.map(\.bytes.count) }

  /// Bytes its buffers hold, data or not.
  public var size: Int { buffers.reduce(0) { $0 + $1.bytes.count } }

  /// What a gathering call sends: each buffer whole, as the kernel reads iov_len bytes.
  public var contents: [[UInt8]] { buffers.map(\.bytes) }

  /// After a scattering call: each buffer's new data.
  public mutating func fill(_ parts: [[UInt8]]) {
    for (index, part) in parts.enumerated() where index < buffers.count {
      buffers[index].bytes.replaceSubrange(0..<part.count, with: part)
      buffers[index].filled = part.count
    }
  }

  /// `["ab" (2 of 2), "" (0 of 5)]`
  public var summary: String {
    "["
      + buffers.map { Value.bytes($0.data).literal + " (\($0.filled) of \($0.bytes.count))" }.joined(
        separator: ", ") + "]"
  }
}

/// Every iovec of a session; numbers are never reused, like handle numbers.
public struct IovecTable: Sendable {
  /// The most the live iovecs of a session may hold together: each buffer is real memory, and
  /// a read into it is as large as its buffers.
  public static let maximumBytes = 16 << 20

  private var slots: [Iovec?] = []

  public init() {}

  public var count: Int { slots.count }

  public mutating func add(_ iovec: Iovec) -> Int {
    slots.append(iovec)
    return slots.count
  }

  public func get(_ number: Int) -> Iovec? {
    guard number >= 1 && number <= slots.count else { return nil }
    return slots[number - 1]
  }

  public func exists(_ number: Int) -> Bool { number >= 1 && number <= slots.count }

  public mutating func set(_ number: Int, _ iovec: Iovec?) {
    guard number >= 1 && number <= slots.count else { return }
    slots[number - 1] = iovec
  }

  /// Bytes held by the live iovecs, the one numbered `except` left out.
  public func size(except number: Int? = nil) -> Int {
    var total = 0
    for (index, slot) in slots.enumerated() where index + 1 != number { total += slot?.size ?? 0 }
    return total
  }

  public var live: [(number: Int, iovec: Iovec)] {
    slots.enumerated().compactMap { entry in entry.element.map { (entry.offset + 1, $0) } }
  }
}
