/// sockshell's own messages to the learner: errors, notices and hints. During a command the
/// notices and hints wait until its echo is out, so they read as comments on the call.
struct NoticeQueue {
  /// Set while a command runs.
  var holding = false
  var pending: [String] = []
  /// Hints a command gives in place of the errno table's for this call only: EADDRINUSE on an
  /// AF_UNIX path means a leftover file, not TIME_WAIT.
  var specificHints: [Int32: String] = [:]
}

extension Interpreter {
  /// Prints sockshell's own error, with the line it came from. What the user typed or a peer
  /// sent may be quoted in it, so its control characters are shown escaped.
  public func report(_ message: String) {
    let message = CString.escapingControls(message)
    if let location {
      output.message("sockshell: \(location): \(message)")
    } else {
      output.message("sockshell: \(message)")
    }
  }

  /// A notice that is not an error: a capped length, a warning about an exposed port.
  public func notice(_ message: String) {
    say("sockshell: " + message)
  }

  /// One of PHP's warnings (an undefined variable or key, an array written as a string), named by
  /// the line it comes from, as PHP names it; the statement goes on.
  public func warning(_ message: String) {
    // Under PHP's `@` the warning is not shown.
    if silenced > 0 { return }
    say("sockshell: " + (location.map { $0 + ": " } ?? "") + "warning: " + message)
  }

  /// A hint a command gives for one errno of this call, in place of the errno table's.
  public func hint(for errno: Int32, _ message: String) { notices.specificHints[errno] = message }

  /// A `hint:` of a command's own (`set hints off` silences it), shown after its echo.
  public func hint(_ message: String) {
    guard settings.hints else { return }
    say("hint: " + message)
  }

  private func say(_ line: String) {
    let line = CString.escapingControls(line)
    if notices.holding {
      notices.pending.append(line)
    } else {
      output.message(line)
    }
  }

  /// The hint after a failed call's echo: the command's own for this errno, else the table's.
  func hint(after errno: Errno) -> String? {
    guard settings.hints else { return nil }
    if let specific = notices.specificHints[errno.number] { return specific }
    if errno == .EINTR, Signals.watchdogHasExpired {
      return "the time limit set by set_time_limit() ran out and interrupted the call"
    }
    return errno.hint
  }

  /// Called when a command is done: its echo, then what it had to say.
  func releaseNotices() {
    notices.holding = false
    if !notices.specificHints.isEmpty { notices.specificHints.removeAll() }
    for line in notices.pending { output.message(line) }
    notices.pending.removeAll()
  }

  static func didYouMean(_ names: [String]) -> String {
    names.isEmpty ? "" : " (did you mean \(names.joined(separator: ", "))?)"
  }
}
