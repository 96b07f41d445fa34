/// Every handle of a session, open or closed. Numbers count up from 1 and are never reused, so
/// `#3` can never silently come to mean another socket that got the same fd.
///
/// A script may create and close a million sockets, and every one stays listed. So only an open
/// handle is a Handle object; a closed one takes 9 bytes (its fd, the line that closed it and a
/// code for its kind and closing command, of which a session has few), with its addresses and
/// last error kept apart for the few that had any.
public struct HandleTable {
  /// One slot and one closing code per handle number: `#N` is at N - 1. Two arrays, because a
  /// struct holding the code too would be padded from 9 bytes to 12.
  private var slots: [Slot] = []
  private var codes: [UInt8] = []
  /// Open handles indexed by fd (descriptors are small integers), to find the owner of a failed
  /// call without scanning every handle or hashing on every create and close. An open handle's
  /// slot finds its object here: `byFD[fd]` is always the open handle holding that fd.
  private var byFD: [Handle?] = []
  /// The kind and closing command of closed handles, each distinct one stored once.
  private var closings: [Closing] = []
  /// Where each closing is in `closings`; filled once there are more than 16 of them.
  private var closingIndex: [Closing: Int] = [:]
  /// The closing stored last: a loop closes the same kind with the same command again and again.
  private var lastClosing: Int?
  /// The closing of handles whose code is `Code.elsewhere`, by handle number.
  private var uncommonClosings: [Int: Int] = [:]
  /// The addresses and last error of closed handles that had any, by handle number.
  private var closedExtras: [Int: Handle.Extras] = [:]
  /// Closing lines too large for a slot (four billion and up), by handle number.
  private var longLines: [Int: Int] = [:]

  private struct Slot {
    var fd: Int32
    /// The script line that closed the handle; `noLine` while open or when closed at the
    /// interactive prompt, `longLine` when the number is in `longLines`.
    var line: UInt32

    static let noLine = UInt32.max
    static let longLine = UInt32.max - 1
  }

  /// A handle's closing code: `open`, 1 to 254 for `closings[code - 1]` (the first 254 distinct
  /// closings, more than a session has), or `elsewhere` when it is in `uncommonClosings`.
  private enum Code {
    static let open: UInt8 = 0
    static let elsewhere: UInt8 = 255
  }

  /// What many closed handles share: their kind and the command that closed them.
  private struct Closing: Hashable {
    var domain: Int32
    var type: Int32
    var proto: Int32
    var command: String
  }

  public init() {}

  /// How many handles there have been: the last number given out.
  public var count: Int { slots.count }

  /// Every handle in number order; closed ones are rebuilt from their slots as they are read.
  public var all: LazyMapCollection<Range<Int>, Handle> {
    // handle(_:) finds every number from 1 to count: an open slot's fd always leads to its object.
    (1..<slots.count + 1).lazy.map { [self] number in handle(number)! }
  }

  public var open: [Handle] { byFD.compactMap { $0 }.sorted { $0.number < $1.number } }

  public mutating func add(fd: Int32, domain: Int32, type: Int32, proto: Int32, state: Handle.State) -> Handle
  {
    // The kernel gives out only free descriptors: a handle still holding this fd lost it to a close
    // that sockshell did not make, and must not answer for the new socket.
    if let stale = openHandle(fd: fd) { markClosed(stale, line: nil, by: "a close outside sockshell") }
    let handle = Handle(
      number: slots.count + 1, fd: fd, domain: domain, type: type, proto: proto, state: state)
    slots.append(Slot(fd: fd, line: Slot.noLine))
    codes.append(Code.open)
    let slot = Int(fd)
    if slot >= byFD.count { byFD.append(contentsOf: repeatElement(nil, count: slot - byFD.count + 1)) }
    byFD[slot] = handle
    return handle
  }

  public func openHandle(fd: Int32) -> Handle? {
    let slot = Int(fd)
    return slot >= 0 && slot < byFD.count ? byFD[slot] : nil
  }

  /// Marks a handle closed; its number stays taken, and what `handles --all` shows of it is kept.
  public mutating func markClosed(_ handle: Handle, line: Int?, by command: String) {
    handle.state = .closed
    handle.closedAt = (line, command)
    let slot = Int(handle.fd)
    if slot >= 0, slot < byFD.count, byFD[slot] === handle { byFD[slot] = nil }
    let number = handle.number
    guard number >= 1 && number <= slots.count else { return }
    var closedLine = Slot.noLine
    if let line {
      if let fits = UInt32(exactly: line), fits < Slot.longLine {
        closedLine = fits
      } else {
        closedLine = Slot.longLine
        longLines[number] = line
      }
    }
    let closing = index(
      of: Closing(domain: handle.domain, type: handle.type, proto: handle.proto, command: command))
    slots[number - 1] = Slot(fd: handle.fd, line: closedLine)
    if closing < Int(Code.elsewhere) - 1 {
      codes[number - 1] = UInt8(closing + 1)
    } else {
      codes[number - 1] = Code.elsewhere
      uncommonClosings[number] = closing
    }
    if let extras = handle.extras { closedExtras[number] = extras }
  }

  /// The handle with this number, open or closed; nil for a number never given out.
  public func handle(_ number: Int) -> Handle? {
    guard number >= 1 && number <= slots.count else { return nil }
    let slot = slots[number - 1]
    let code = codes[number - 1]
    guard code != Code.open else {
      let handle = openHandle(fd: slot.fd)
      return handle?.number == number ? handle : nil
    }
    guard let index = code == Code.elsewhere ? uncommonClosings[number] : Int(code) - 1 else { return nil }
    let closing = closings[index]
    let handle = Handle(
      number: number, fd: slot.fd, domain: closing.domain, type: closing.type, proto: closing.proto,
      state: .closed)
    let line: Int? =
      switch slot.line {
      case Slot.noLine: nil
      case Slot.longLine: longLines[number]
      default: Int(slot.line)
      }
    handle.closedAt = (line, closing.command)
    // Shared, not copied: a change to the rebuilt handle's last error is the closed handle's.
    handle.extras = closedExtras[number]
    return handle
  }

  private mutating func index(of closing: Closing) -> Int {
    if let last = lastClosing, closings[last] == closing { return last }
    let index: Int
    if let known = closingIndex.isEmpty ? closings.firstIndex(of: closing) : closingIndex[closing] {
      index = known
    } else {
      index = closings.count
      closings.append(closing)
      if !closingIndex.isEmpty {
        closingIndex[closing] = index
      } else if closings.count > 16 {
        // A session has a handful of closings, found by a scan (a script's first dictionary of
        // them costs as much as a thousand closes); past that, a scan would grow with each kind.
        for (known, stored) in closings.enumerated() { closingIndex[stored] = known }
      }
    }
    lastClosing = index
    return index
  }
}
