/// Faults a test plans for the kernel's calls, counted from the moment they are planned: "the
/// 3rd accept fails with EMFILE", "the next write takes only 3 bytes". Calls are named as the
/// echo names them, after the libc function called (`socket`, `accept`, `read`, `sendto`, ...).
///
///     kernel.faults.fail("accept", with: Errno(EMFILE), onCall: 3)
///     kernel.faults.shorten("write", to: 3)
///     kernel.faults.fail("read", with: Errno(ECONNRESET))
public struct FaultPlan: Sendable {
  /// What happens to the call a fault is planned for.
  public enum Fault: Equatable, Sendable {
    /// The call fails with this errno without reaching libc; the echo shows it as a real failure.
    case fail(Errno)
    /// The call reaches libc with its byte count clipped to this, as a kernel with little room
    /// would take or give less; the echo shows the count asked for and the count the call returned.
    case shorten(to: Int)
  }

  /// The calls whose byte count a fault can shorten.
  public static let shortenableCalls: Set<String> = ["read", "write", "recv", "recvfrom", "send", "sendto"]

  private struct Planned: Sendable {
    var name: String
    /// Calls of `name` still to come, this one included, before the fault applies.
    var callsLeft: Int
    var fault: Fault
  }

  private var planned: [Planned] = []

  public init() {}

  /// True when no fault is waiting for its call.
  public var isEmpty: Bool { planned.isEmpty }

  /// Makes the `call`th call of `name` from now (the next one by default) fail with `errno`,
  /// without reaching libc.
  public mutating func fail(_ name: String, with errno: Errno, onCall call: Int = 1) {
    plan(Planned(name: name, callsLeft: call, fault: .fail(errno)))
  }

  /// Makes the `call`th call of `name` from now move at most `count` bytes: the real call is
  /// made with its length clipped, so exactly the bytes the return value counts are moved.
  public mutating func shorten(_ name: String, to count: Int, onCall call: Int = 1) {
    precondition(FaultPlan.shortenableCalls.contains(name), "\(name) has no byte count to shorten")
    precondition(count >= 1, "a shortened call still moves at least one byte")
    plan(Planned(name: name, callsLeft: call, fault: .shorten(to: count)))
  }

  /// Forgets every fault still waiting.
  public mutating func removeAll() { planned.removeAll() }

  private mutating func plan(_ fault: Planned) {
    precondition(fault.callsLeft >= 1, "calls are counted from 1, the next call")
    // Two faults for one call would leave the call's fate to the order they were planned in.
    precondition(
      !planned.contains { $0.name == fault.name && $0.callsLeft == fault.callsLeft },
      "a fault is already planned for that call of \(fault.name)")
    planned.append(fault)
  }

  /// Counts one call of `name` against every fault planned for that name, and hands back the
  /// fault whose turn it is, if one is.
  mutating func take(_ name: String) -> Fault? {
    var due: Int?
    for index in planned.indices where planned[index].name == name {
      planned[index].callsLeft -= 1
      if planned[index].callsLeft == 0 { due = index }
    }
    guard let due else { return nil }
    return planned.remove(at: due).fault
  }
}

extension Kernel {
  /// One call as the trace keeps it.
  public struct TracedCall: Equatable, Sendable, CustomStringConvertible {
    /// The libc function's name, as the echo shows it.
    public var name: String
    /// What the call returned, or the errno it failed with.
    public var result: Result<Int, Errno>
    /// The planned fault that shaped the call, if one did.
    public var fault: FaultPlan.Fault?

    /// False when a planned failure stood in for the call.
    public var reachedLibc: Bool {
      if case .fail = fault { return false }
      return true
    }

    /// `accept = 4`, `accept = -1 EMFILE (planned)`, `write = 3 (shortened to 3)`.
    public var description: String {
      let returned =
        switch result {
        case .success(let value): "\(value)"
        case .failure(let errno): "-1 \(errno.name)"
        }
      let planned =
        switch fault {
        case nil: ""
        case .fail?: " (planned)"
        case .shorten(let count)?: " (shortened to \(count))"
        }
      return name + " = " + returned + planned
    }
  }
}
