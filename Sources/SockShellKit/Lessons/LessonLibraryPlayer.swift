/// The lesson player the shell's `lessons` and `lesson` commands use: lessons from the library
/// found on this machine, played by a `LessonRunner` in a session of their own. The shell names
/// lessons of the library only, never a path: a line in a script cannot show a file as a lesson.
public final class LessonLibraryPlayer: LessonPlayer {
  /// The player of a session that is itself a lesson: it lists lessons but plays none, so a
  /// lesson that names itself cannot recurse until the stack runs out.
  private let insideLesson: Bool
  /// The capture of a `--wire` shell: a lesson played from it shows its segments too.
  private let wire: Wire?

  public init(insideLesson: Bool = false, wire: Wire? = nil) {
    self.insideLesson = insideLesson
    self.wire = wire
  }

  public func catalogue() throws(ShellError) -> String {
    LessonCatalog.text(LessonLibrary.locate())
  }

  public func play(_ name: String, port: Value?, waitNotices: Bool, output: Output) throws(ShellError) {
    guard !insideLesson else {
      throw ShellError("lesson: a lesson cannot play another lesson; leave this one first")
    }
    let library = LessonLibrary.locate()
    let loaded: Lesson
    do {
      loaded = try library.load(try library.resolve(name, allowingPaths: false))
    } catch {
      throw ShellError("lesson: \(error)")
    }
    var options = LessonRunner.Options()
    if let port { options.variables["port"] = port }
    options.waitNotices = waitNotices
    // How the lesson ended it has said itself; the shell goes on.
    let runner = LessonRunner(output: output, options: options)
    runner.wire = wire
    runner.run(loaded)
  }
}
