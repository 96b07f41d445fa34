/// What the shell's `lessons` and `lesson` commands need of lessons. Whoever builds the
/// interpreter hands one in (the executable, the lesson runner): the commands never reach into
/// the Lessons layer above them.
public protocol LessonPlayer: AnyObject {
  /// The list `lessons` prints.
  func catalogue() throws(ShellError) -> String
  /// Plays a lesson (by number or name) in a session of its own, writing to `output`; `port` is
  /// the caller's `$port`, passed on so a lesson meets the caller's server.
  func play(_ name: String, port: Value?, waitNotices: Bool, output: Output) throws(ShellError)
}
