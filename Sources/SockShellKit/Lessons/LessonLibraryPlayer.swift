/// The lesson player the shell's `lessons` and `lesson` commands use: lessons from the library
/// found on this machine, played by a `LessonRunner` in a session of their own.
public final class LessonLibraryPlayer: LessonPlayer {
  public init() {}

  public func catalogue() throws(ShellError) -> String {
    LessonCatalog.text(try library("lessons"))
  }

  public func play(_ name: String, port: Value?, waitNotices: Bool, output: Output) throws(ShellError) {
    let library = try library("lesson")
    guard let path = library.resolve(name) else {
      throw ShellError("lesson: no lesson '\(name)'; `lessons` lists them")
    }
    let loaded: Lesson
    do {
      loaded = try library.load(path)
    } catch {
      throw ShellError("lesson: \(error)")
    }
    var options = LessonRunner.Options()
    if let port { options.variables["port"] = port }
    options.waitNotices = waitNotices
    LessonRunner(output: output, options: options).run(loaded)
  }

  private func library(_ command: String) throws(ShellError) -> LessonLibrary {
    guard let library = LessonLibrary.locate() else {
      throw ShellError("\(command): no lessons folder found; set SOCKSHELL_LESSONS")
    }
    return library
  }
}
