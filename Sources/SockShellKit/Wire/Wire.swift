/// `--wire`: the capture on the session's loopback and what it knows of whose each segment is.
public final class Wire {
  /// Where the capture runs: in a network namespace sockshell makes for itself (the default),
  /// in the one it was started in (`--wire-here`: a test that runs tcpdump beside it), or in
  /// that of another session (`--join`).
  public enum Namespace: Sendable {
    case own
    case current
    /// The namespaces of the `--wire` session with this PID (`--join PID`), or nil: the newest
    /// of this user's (`--join`).
    case joined(Int32?)
  }

  public let capture: LoopbackCapture
  public let owners: SocketOwners

  init(capture: LoopbackCapture) {
    self.capture = capture
    owners = SocketOwners(diagnostics: SocketLookup())
  }

  /// Enters the namespace and opens the capture. Call it before the first of the learner's
  /// sockets and before anything starts a thread. The failure is the message to show: the
  /// session goes on without the wire.
  public static func start(namespace: Namespace, calls: PrivateNetwork.Calls = .system) -> Result<
    Wire, WireFailure
  > {
    switch namespace {
    case .own:
      if case .failure(let refusal) = PrivateNetwork.enter(using: calls) {
        return .failure(
          WireFailure(
            message: PrivateNetwork.explain(refusal),
            reason: "--wire needs a network namespace: \(refusal.step): \(refusal.errno.name), \(refusal.errno.message)"))
      }
      WireSessions.register()
    case .current:
      break
    case .joined(let chosen):
      guard let pid = chosen ?? WireSessions.live().first else {
        return .failure(
          WireFailure(
            message: "sockshell: --join found no --wire session of yours to join; start one first "
              + "(sockshell --wire, or sockshell lesson N --wire) in another terminal",
            reason: "--join found no --wire session"))
      }
      if case .failure(let refusal) = WireSessions.join(pid) {
        return .failure(
          WireFailure(
            message: "sockshell: --join cannot enter the namespaces of process \(pid) (\(refusal.step): "
              + "\(refusal.errno.name), \(refusal.errno.message)); is it a sockshell --wire session of yours? "
              + "Going on without the wire.",
            reason: "--join cannot enter the namespaces of process \(pid): \(refusal.step): \(refusal.errno.name)"))
      }
    }
    switch LoopbackCapture.open() {
    case .success(let capture): return .success(Wire(capture: capture))
    case .failure(let refusal):
      return .failure(
        WireFailure(
          message: "sockshell: --wire cannot capture on loopback (\(refusal.step): \(refusal.errno.name), "
            + "\(refusal.errno.message)); capturing needs CAP_NET_RAW in the network namespace. "
            + "Going on without the wire.",
          reason: "--wire cannot capture on loopback: \(refusal.step): \(refusal.errno.name), \(refusal.errno.message)"
        ))
    }
  }
}

/// Why the wire is off, as the one message the session shows.
public struct WireFailure: Error, Sendable {
  public var message: String
  /// The same in a few words, for a line of its own (a wire lesson's check skipped).
  public var reason: String

  public init(message: String, reason: String) {
    self.message = message
    self.reason = reason
  }
}
