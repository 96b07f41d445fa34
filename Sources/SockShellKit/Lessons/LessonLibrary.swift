import Glibc

/// Where lessons live and how a name finds one: `1`, `01`, `01-reverse-server`,
/// `reverse-server` or `01-reverse-server.md` in the library; on the command line also a path to
/// a lesson file of one's own.
public struct LessonLibrary: Sendable {
  public enum Origin: Sendable, Equatable {
    case folder(String)
    /// The copy of `lessons/` compiled into the binary (EmbeddedLessons), for a binary that was
    /// copied or installed away from its checkout.
    case builtIn
  }

  public let origin: Origin

  public init(directory: String) { origin = .folder(directory) }

  public static let builtIn = LessonLibrary(origin: .builtIn)

  private init(origin: Origin) { self.origin = origin }

  /// How messages name the library: the folder, or the binary's own copy.
  public var location: String {
    switch origin {
    case .folder(let directory): directory
    case .builtIn: "sockshell's built-in lessons"
    }
  }

  /// What a built-in lesson's path starts with, in reports and messages.
  static let builtInPrefix = "built-in:"

  /// `SOCKSHELL_LESSONS`, else `lessons/` of the checkout the binary was built in (it lives in
  /// `.build/<triple>/<config>/`), else `../share/sockshell/lessons` of an installed binary,
  /// else the lessons built into the binary.
  public static func locate() -> LessonLibrary {
    if let override = getenv("SOCKSHELL_LESSONS") {
      return LessonLibrary(directory: String(cString: override))
    }
    if let executable = FileSystem.executablePath() {
      var folder = FileSystem.parent(executable)
      for _ in 0..<5 {
        for candidate in [folder + "/lessons", folder + "/share/sockshell/lessons"]
        where FileSystem.isDirectory(candidate)
          && FileSystem.list(candidate).contains(where: { $0.hasSuffix(".md") })
        {
          return LessonLibrary(directory: candidate)
        }
        folder = FileSystem.parent(folder)
      }
    }
    return .builtIn
  }

  /// Lesson files in order, as paths: `…/lessons/01-reverse-server.md`, or
  /// `built-in:01-reverse-server.md`.
  public var files: [String] {
    switch origin {
    case .folder(let directory):
      return FileSystem.list(directory).filter(LessonLibrary.isLessonFileName).sorted()
        .map { directory + "/" + $0 }
    case .builtIn:
      return EmbeddedLessons.files.map(\.name).filter(LessonLibrary.isLessonFileName).sorted()
        .map { LessonLibrary.builtInPrefix + $0 }
    }
  }

  /// A lesson path's file name: `01-reverse-server.md`.
  static func fileName(_ path: String) -> String {
    path.hasPrefix(builtInPrefix) ? String(path.dropFirst(builtInPrefix.count)) : FileSystem.basename(path)
  }

  private static func isLessonFileName(_ name: String) -> Bool {
    name.hasSuffix(".md") && name.first?.isNumber == true
  }

  /// What Tab offers after `lesson`: each lesson's short name (`reverse-server`), which
  /// `resolve` accepts as well as the number and the file stem.
  public var completionNames: [String] {
    files.map { path in
      let stem = LessonLibrary.fileName(path).dropLast(3)
      let words = stem.drop { $0.isNumber }
      return words.hasPrefix("-") ? String(words.dropFirst()) : String(stem)
    }
  }

  /// The lesson a name means. A name never leaves the library: it is matched against the
  /// library's own file list, so `../x` finds nothing there. A name with a `/` is a path, taken
  /// only where `allowingPaths` (the command line, where the learner names their own files) and
  /// only when it is a Markdown lesson: a `.md` file holding a `sockshell` transcript.
  public func resolve(_ name: String, allowingPaths: Bool) throws(LessonError) -> String {
    if name.contains("/") {
      guard allowingPaths else {
        throw LessonError(
          "'\(name)' is not a lesson name: name a lesson by its number or name (`lessons` lists "
            + "them); a lesson file of your own plays with `sockshell lesson PATH.md`")
      }
      return try LessonLibrary.lessonFile(name)
    }
    let stems = files.map { path -> (path: String, stem: String) in
      (path, String(LessonLibrary.fileName(path).dropLast(3)))
    }
    if let number = Int(name), number >= 0 {
      if let found = stems.first(where: { Int($0.stem.prefix { $0.isNumber }) == number }) {
        return found.path
      }
    } else if let exact = stems.first(where: { $0.stem == name || $0.stem + ".md" == name }) {
      return exact.path
    } else if let short = stems.first(where: { stem in
      let words = stem.stem.drop { $0.isNumber }
      return words.hasPrefix("-") && words.dropFirst() == name
    }) {
      return short.path
    }
    throw LessonError("no lesson '\(name)' in \(location); `lessons` lists them")
  }

  /// A path the learner gave, if it is a lesson: anything else is refused before its text
  /// could be shown as narration.
  private static func lessonFile(_ path: String) throws(LessonError) -> String {
    let refusal = "'\(path)' is not a lesson: a lesson is a Markdown file (.md) with ```sockshell blocks"
    guard path.hasSuffix(".md") else { throw LessonError(refusal) }
    guard FileSystem.isFile(path), let text = FileSystem.read(path) else {
      throw LessonError("cannot read the lesson file '\(path)'")
    }
    guard let lesson = try? Lesson(path: path, text: text), !lesson.steps.isEmpty else {
      throw LessonError(refusal)
    }
    return path
  }

  public func load(_ path: String) throws(LessonError) -> Lesson {
    guard let text = LessonLibrary.text(of: path, in: origin) else {
      throw LessonError("cannot read \(path)")
    }
    return try Lesson(path: path, text: text)
  }

  private static func text(of path: String, in origin: Origin) -> String? {
    if origin == .builtIn, path.hasPrefix(builtInPrefix) {
      let name = path.dropFirst(builtInPrefix.count)
      return EmbeddedLessons.files.first { $0.name == name }?.text
    }
    return FileSystem.read(path)
  }

  /// Whether `--update` can write the lesson back: the built-in copy is part of the binary.
  public func isWritable(_ path: String) -> Bool {
    !(origin == .builtIn && path.hasPrefix(LessonLibrary.builtInPrefix))
  }
}

/// Writing a lesson back (`--update`).
public enum LessonFile {
  public static func write(_ text: String, to path: String) -> Bool { FileSystem.write(text, to: path) }
}

/// The list `sockshell lessons` and the shell's `lessons` print.
public enum LessonCatalog {
  public static func text(_ library: LessonLibrary) -> String {
    var text = ""
    for path in library.files {
      let file = LessonLibrary.fileName(path)
      let number = file.prefix { $0.isNumber }
      let title = (try? library.load(path).title) ?? "(unreadable)"
      text += "  \(number.isEmpty ? "  " : String(number))  \(String(file.dropLast(3)).padded(28))\(title)\n"
    }
    if text.isEmpty { return "no lessons in \(library.location)\n" }
    let heading =
      library.origin == .builtIn ? "Lessons built into sockshell" : "Lessons in \(library.location)"
    return heading + ":\n" + text
      + "Play one with `sockshell lesson 1`; check them all with `sockshell lesson --check`.\n"
  }
}

extension String {
  fileprivate func padded(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
