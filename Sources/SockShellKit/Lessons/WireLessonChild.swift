/// A lesson played on the wire (`<!-- wire -->`) is checked in a sockshell of its own: a network
/// namespace is per process and must be entered while the process has one thread, which a
/// checker of several lessons (and their peers) no longer is. The child enters it first thing,
/// checks or updates the lesson with its segments, and prints the one report line (or `skip`
/// where namespaces are refused); the checker passes that on.
public enum WireLessonChild {
  /// The hidden flag that makes `sockshell lesson NAME --check` such a child.
  public static let flag = "--as-wire-child"

  /// Runs `sockshell ARGUMENTS` to its end, ended with the checker, killed after `timeout`
  /// seconds; its exit status and output, or nil when it could not start.
  public static func run(_ arguments: [String], name: String, timeout: Int) -> (status: Int32, output: String)? {
    guard let child = PeerProcess(arguments: arguments, name: name) else { return nil }
    return child.finish(timeout: timeout)
  }

  /// The report line of a lesson not checked because the wire could not be had.
  public static func skipped(_ path: String, reason: String) -> String {
    "skip  \(path): \(reason)\n"
  }
}
