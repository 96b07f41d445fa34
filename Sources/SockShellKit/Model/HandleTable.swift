/// Every handle of a session, open or closed. Numbers count up from 1 and are never reused, so
/// `#3` can never silently come to mean another socket that got the same fd.
public struct HandleTable {
  private var handles: [Handle] = []
  /// Open handles indexed by fd (descriptors are small integers), to find the owner of a failed
  /// call without scanning every handle or hashing on every create and close.
  private var byFD: [Handle?] = []

  public init() {}

  public var all: [Handle] { handles }
  public var open: [Handle] { byFD.compactMap { $0 }.sorted { $0.number < $1.number } }

  public mutating func add(fd: Int32, domain: Int32, type: Int32, proto: Int32, state: Handle.State) -> Handle
  {
    let handle = Handle(
      number: handles.count + 1, fd: fd, domain: domain, type: type, proto: proto, state: state)
    handles.append(handle)
    let slot = Int(fd)
    if slot >= byFD.count { byFD.append(contentsOf: repeatElement(nil, count: slot - byFD.count + 1)) }
    byFD[slot] = handle
    return handle
  }

  public func openHandle(fd: Int32) -> Handle? {
    let slot = Int(fd)
    return slot >= 0 && slot < byFD.count ? byFD[slot] : nil
  }

  /// Marks a handle closed; its number stays taken.
  public mutating func markClosed(_ handle: Handle, line: Int?, by command: String) {
    handle.state = .closed
    handle.closedAt = (line, command)
    let slot = Int(handle.fd)
    if slot >= 0, slot < byFD.count, byFD[slot] === handle { byFD[slot] = nil }
  }

  public func handle(_ number: Int) -> Handle? {
    guard number >= 1 && number <= handles.count else { return nil }
    return handles[number - 1]
  }
}
