import Glibc

/// Where lessons live and how a name finds one: `1`, `01`, `01-reverse-server`,
/// `reverse-server`, or a path.
public struct LessonLibrary: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  /// `SOCKSHELL_LESSONS`, else `lessons/` of the checkout the binary was built in (it lives in
  /// `.build/<triple>/<config>/`), else `../share/sockshell/lessons` of an installed binary,
  /// else `./lessons`.
  public static func locate() -> LessonLibrary? {
    if let override = getenv("SOCKSHELL_LESSONS") {
      return LessonLibrary(directory: String(cString: override))
    }
    var candidates: [String] = []
    if let executable = FileSystem.executablePath() {
      var folder = FileSystem.parent(executable)
      for _ in 0..<5 {
        candidates.append(folder + "/lessons")
        candidates.append(folder + "/share/sockshell/lessons")
        folder = FileSystem.parent(folder)
      }
    }
    candidates.append("lessons")
    for candidate in candidates where FileSystem.isDirectory(candidate) {
      if !FileSystem.list(candidate).filter({ $0.hasSuffix(".md") }).isEmpty {
        return LessonLibrary(directory: candidate)
      }
    }
    return nil
  }

  /// Lesson files in order: `01-reverse-server.md`, `02-...`.
  public var files: [String] {
    FileSystem.list(directory).filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted()
      .map { directory + "/" + $0 }
  }

  /// What Tab offers after `lesson`: each lesson's short name (`reverse-server`), which
  /// `resolve` accepts as well as the number and the file stem.
  public var completionNames: [String] {
    files.map { path in
      let stem = FileSystem.basename(path).dropLast(3)
      let words = stem.drop { $0.isNumber }
      return words.hasPrefix("-") ? String(words.dropFirst()) : String(stem)
    }
  }

  public func resolve(_ name: String) -> String? {
    if name.contains("/") || name.hasSuffix(".md") {
      if FileSystem.isFile(name) { return name }
      if FileSystem.isFile(directory + "/" + name) { return directory + "/" + name }
      return nil
    }
    let stems = files.map { path -> (path: String, stem: String) in
      let file = FileSystem.basename(path)
      return (path, String(file.dropLast(3)))
    }
    if let number = Int(name) {
      return stems.first { Int($0.stem.prefix { $0.isNumber }) == number }?.path
    }
    if let exact = stems.first(where: { $0.stem == name }) { return exact.path }
    return stems.first { stem in
      let words = stem.stem.drop { $0.isNumber }
      return words.hasPrefix("-") && words.dropFirst() == name
    }?.path
  }

  public func load(_ path: String) throws(LessonError) -> Lesson {
    guard let text = FileSystem.read(path) else { throw LessonError("cannot read \(path)") }
    return try Lesson(path: path, text: text)
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
      let file = FileSystem.basename(path)
      let number = file.prefix { $0.isNumber }
      let title = (try? library.load(path).title) ?? "(unreadable)"
      text += "  \(number.isEmpty ? "  " : String(number))  \(String(file.dropLast(3)).padded(28))\(title)\n"
    }
    if text.isEmpty { return "no lessons in \(library.directory)\n" }
    return "Lessons in \(library.directory):\n" + text
      + "Play one with `sockshell lesson 1`; check them all with `sockshell lesson --check`.\n"
  }
}

extension String {
  fileprivate func padded(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
