/// `--wire`: the capture on the session's loopback and what it knows of whose each segment is.
public final class Wire {
  /// Where the capture runs: in a network namespace sockshell makes for itself (the default),
  /// or in the one it was started in (a test that runs tcpdump beside it, `--join`).
  public enum Namespace: Sendable {
    case own
    case current
  }

  public let capture: LoopbackCapture
  public let owners = SocketOwners()

  init(capture: LoopbackCapture) { self.capture = capture }

  /// Enters the namespace and opens the capture. Call it before the first of the learner's
  /// sockets and before anything starts a thread. The failure is the message to show: the
  /// session goes on without the wire.
  public static func start(namespace: Namespace, calls: PrivateNetwork.Calls = .system) -> Result<
    Wire, WireFailure
  > {
    if namespace == .own, case .failure(let refusal) = PrivateNetwork.enter(using: calls) {
      return .failure(WireFailure(message: PrivateNetwork.explain(refusal)))
    }
    switch LoopbackCapture.open() {
    case .success(let capture): return .success(Wire(capture: capture))
    case .failure(let refusal):
      return .failure(
        WireFailure(
          message: "sockshell: --wire cannot capture on loopback (\(refusal.step): \(refusal.errno.name), "
            + "\(refusal.errno.message)); capturing needs CAP_NET_RAW in the network namespace. "
            + "Going on without the wire."))
    }
  }
}

/// Why the wire is off, as the one message the session shows.
public struct WireFailure: Error, Sendable {
  public var message: String
}
