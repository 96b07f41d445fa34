import Dispatch
import Glibc
import Synchronization

/// Says what a blocked call is waiting for once it has waited about a second, so a learner
/// staring at a silent `accept` knows why and how to stop it. The notice is written from a
/// timer thread straight to the terminal; a call that returns in time prints nothing.
final class WaitNotice: Sendable {
  /// True until the notice is written or the call returns, whichever comes first.
  private let pending = Mutex(true)
  private let message: String
  private let fd: Int32

  private init(message: String, fd: Int32) {
    self.message = message
    self.fd = fd
  }

  /// Runs `body`; if it takes longer than `delay`, writes `message` to `fd` meanwhile.
  static func during<T>(_ message: String, fd: Int32, delay: Double = 1.0, _ body: () -> T) -> T {
    let notice = WaitNotice(message: message, fd: fd)
    DispatchQueue.global().asyncAfter(deadline: .now() + delay) { notice.fire() }
    defer { notice.cancel() }
    return body()
  }

  private func fire() {
    // Written under the lock: the call cannot return and print its echo in the middle of it.
    pending.withLock { pending in
      guard pending else { return }
      pending = false
      let bytes = Array((message + "\n").utf8)
      _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
  }

  private func cancel() { pending.withLock { $0 = false } }
}

extension Invocation {
  /// Runs a call that may block; in the interactive shell a notice says what it waits for
  /// once it has waited a second (`accept(3) is waiting for a connection to ...`).
  public func waiting<T>(_ what: @autoclosure () -> String, _ body: () -> T) -> T {
    guard interpreter.settings.waitNotices else { return body() }
    let colour = interpreter.output.colour
    let message =
      (colour ? "\u{1B}[2m" : "") + "sockshell: " + what() + " — Ctrl-C to stop waiting"
      + (colour ? "\u{1B}[0m" : "")
    return WaitNotice.during(message, fd: 2, body)
  }
}
