/// The session's record of what it did: every system call the kernel made for the learner, in
/// order, with the handle it was made on, the handles it created and the variable its command's
/// value went to. `export` writes it as a program; a timeline can draw it. It is a view's source,
/// never a second copy of the session's state: nothing here is consulted to run a command.
///
/// Appending is one store into a ring (the arguments array the kernel hands over is kept as it
/// is, not copied), so the journal costs a call little. It is bounded twice: it keeps the last
/// `limit` calls, and the data those calls carried up to `byteLimit` bytes; older calls are
/// dropped and counted in `dropped`, so that a reader can say what is missing.
public final class Journal {
  // The stored properties a script touches on every call are marked @exclusivity(unchecked): each
  // dynamic check costs more than the work around it (bench/README.md), and none of them is ever
  // reached through two overlapping accesses.
  public struct Entry: Sendable {
    /// The call's place in the session, counted from 0; it goes on counting when older entries
    /// are dropped, so a gap between two entries' sequences is never hidden.
    public var sequence: Int
    /// The call as the kernel reported it: name, arguments, result or errno.
    public var record: SyscallRecord
    /// The handle (`#2`) whose descriptor the call was made on, its first argument; nil for a
    /// call on no socket (socket, socketpair, select, unlink).
    public var handle: Int?
    /// The handles the call made: `#3` for a socket or an accept, two for a socketpair; empty
    /// otherwise. Known once the command is done.
    public var created: Range<Int>
    /// The variable the command's value went to (`$spawn = accept $socket` gives "spawn"), on
    /// the last call of the command, as the echo annotates it, and on the call that made the
    /// handles it holds (`create_listen` makes a socket, then binds and listens).
    public var variable: String?
    /// The script line the call was made from; nil at the prompt.
    public var line: Int?
  }

  /// A segment the wire saw (`--wire`), for the timeline: after which call it was read, the
  /// handles at its two ends where the session has them, and what it was (`[S.]`, `[P.] 9 bytes`).
  public struct WireEvent: Sendable, Equatable {
    /// The segment came after the call of sequence `afterCall - 1` and before the next.
    public var afterCall: Int
    public var sender: Int?
    public var receiver: Int?
    public var text: String
  }

  /// The segments of the calls kept, in order; the oldest go with their calls.
  @exclusivity(unchecked) public private(set) var wireEvents: [WireEvent] = []

  /// Keeps a segment the wire saw: `duringCall` when it was read as the call the kernel is
  /// reporting returned (the call is appended just after), else between calls.
  public func appendWire(sender: Int?, receiver: Int?, text: String, duringCall: Bool) {
    wireEvents.append(
      WireEvent(afterCall: total + (duringCall ? 1 : 0), sender: sender, receiver: receiver, text: text))
    if wireEvents.count > limit { wireEvents.removeFirst(wireEvents.count - limit) }
  }

  public static let defaultLimit = 100_000
  public static let defaultByteLimit = 64 << 20

  /// The most calls kept.
  public let limit: Int
  /// The most bytes of data (written, read, sent, received) kept with the calls.
  public let byteLimit: Int
  /// How many of the session's calls were dropped to keep within the limits: the oldest.
  public private(set) var dropped = 0

  @exclusivity(unchecked) private var ring: [Entry] = []
  /// Where the oldest entry kept lies in `ring`.
  @exclusivity(unchecked) private var start = 0
  @exclusivity(unchecked) public private(set) var count = 0
  @exclusivity(unchecked) private var bytes = 0
  /// The sequence the running command's first call has: what `commandDone` annotates.
  @exclusivity(unchecked) private var commandStart = 0

  public init(limit: Int = Journal.defaultLimit, byteLimit: Int = Journal.defaultByteLimit) {
    precondition(limit > 0 && byteLimit >= 0)
    self.limit = limit
    self.byteLimit = byteLimit
  }

  /// How many calls the session has made since the journal began, the dropped ones included.
  public var total: Int { dropped + count }

  /// The entries kept, oldest first.
  public var entries: [Entry] {
    var list: [Entry] = []
    list.reserveCapacity(count)
    for index in 0..<count { list.append(ring[(start + index) % ring.count]) }
    return list
  }

  /// Keeps a call the kernel has just reported, made on `handle`.
  public func append(_ record: consuming SyscallRecord, handle: Int?, line: Int?) {
    var record = record
    let weight = Journal.compact(&record)
    let entry = Entry(
      sequence: total, record: record, handle: handle, created: 0..<0, variable: nil, line: line)
    bytes += weight
    if count < ring.count {
      ring[(start + count) % ring.count] = entry
      count += 1
    } else if ring.count < limit {
      // The ring grows only while it is in order: after entries were dropped for their bytes it
      // is put back in order first.
      if start != 0 {
        ring = entries
        start = 0
      }
      ring.append(entry)
      count += 1
    } else {
      bytes -= Journal.weight(ring[start].record)
      ring[start] = entry
      start = (start + 1) % ring.count
      dropped += 1
    }
    while bytes > byteLimit && count > 1 { dropOldest() }
  }

  /// The running command is done: its last call gets the variable its value went to, and the
  /// call that made handles (the last socket, accept or socketpair of it) gets their numbers and
  /// the variable too.
  public func commandDone(created: Range<Int>, variable: String?) {
    let first = commandStart
    commandStart = total
    guard total > first, count > 0 else { return }
    let last = (start + count - 1) % ring.count
    if let variable { ring[last].variable = variable }
    guard !created.isEmpty else { return }
    var index = count - 1
    while index >= 0, ring[(start + index) % ring.count].sequence >= first {
      let slot = (start + index) % ring.count
      let record = ring[slot].record
      if ["socket", "accept", "socketpair"].contains(record.name), record.errno == nil {
        ring[slot].created = created
        if let variable { ring[slot].variable = variable }
        return
      }
      index -= 1
    }
    ring[last].created = created
  }

  /// Forgets every call (the counts of dropped and total calls start again too).
  public func removeAll() {
    ring = []
    start = 0
    count = 0
    bytes = 0
    dropped = 0
    commandStart = 0
  }

  private func dropOldest() {
    bytes -= Journal.weight(ring[start].record)
    // Replaced, so that the dropped call's data is freed now.
    ring[start].record = SyscallRecord(name: "", arguments: [], outcome: .value(0))
    start = (start + 1) % ring.count
    count -= 1
    dropped += 1
  }

  /// The bytes of data a record holds.
  static func weight(_ record: borrowing SyscallRecord) -> Int {
    var total = 0
    for argument in record.arguments {
      switch argument {
      case .data(let bytes): total += bytes.capacity
      case .iovecs(let slices), .message(_, _, let slices, _):
        for slice in slices { total += slice.data.count }
      default: break
      }
    }
    return total
  }

  /// Gives a read's buffer back its unused room (a read of 9 bytes into 64 KiB keeps 9 bytes),
  /// and returns the bytes the record holds then.
  private static func compact(_ record: inout SyscallRecord) -> Int {
    var total = 0
    for index in record.arguments.indices {
      switch record.arguments[index] {
      case .data(let bytes):
        if bytes.capacity > 2 * bytes.count + 64 {
          let kept = bytes.withUnsafeBufferPointer { Array($0) }
          record.arguments[index] = .data(kept)
          total += kept.capacity
        } else {
          total += bytes.capacity
        }
      case .iovecs(let slices), .message(_, _, let slices, _):
        for slice in slices { total += slice.data.count }
      default: break
      }
    }
    return total
  }
}

extension Value {
  /// The handles a command's value holds, as a range (`create` gives one, `socketpair` two in a
  /// row); empty when it holds none.
  var handleNumbers: Range<Int> {
    switch self {
    case .handle(let number): return number..<(number + 1)
    case .array(let items):
      var low = Int.max
      var high = Int.min
      for case (_, .handle(let number)) in items {
        low = min(low, number)
        high = max(high, number)
      }
      return low <= high ? low..<(high + 1) : 0..<0
    default: return 0..<0
    }
  }
}
