import Foundation
import Testing
@testable import SockShellKit

/// Which names find a lesson, and which never do: a name stays inside the library.
@Suite struct LessonLibraryTests {
  static let lessonsDirectory = Paths.packageRoot.appendingPathComponent("lessons").path
  let library = LessonLibrary(directory: LessonLibraryTests.lessonsDirectory)

  @Test func aNumberAStemAShortNameOrAFileNameFindsALesson() throws {
    let expected = Self.lessonsDirectory + "/03-reverse-one-session.md"
    for name in ["3", "03", "03-reverse-one-session", "reverse-one-session", "03-reverse-one-session.md"] {
      #expect(try library.resolve(name, allowingPaths: false) == expected, "\(name)")
    }
    #expect(throws: LessonError.self) { try library.resolve("99", allowingPaths: true) }
    #expect(throws: LessonError.self) { try library.resolve("no-such-lesson", allowingPaths: true) }
  }

  @Test func aNameNeverLeavesTheLibrary() {
    for name in ["../../../etc/passwd", "../lessons/01-reverse-server.md", "/etc/passwd", ".."] {
      #expect(throws: LessonError.self, "\(name)") { try library.resolve(name, allowingPaths: false) }
    }
  }

  @Test func aPathIsTakenOnlyWhenItIsAMarkdownLesson() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-library-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lesson = folder.appendingPathComponent("mine.md").path
    try "# Mine\n\n```sockshell\nsockshell> strerror 111\nECONNREFUSED (111): Connection refused\n```\n"
      .write(toFile: lesson, atomically: true, encoding: .utf8)
    let prose = folder.appendingPathComponent("notes.md").path
    try "# Notes\n\nNo transcript here.\n".write(toFile: prose, atomically: true, encoding: .utf8)
    let text = folder.appendingPathComponent("secret.txt").path
    try "```sockshell\nsockshell> strerror 1\n```\n".write(toFile: text, atomically: true, encoding: .utf8)

    #expect(try library.resolve(lesson, allowingPaths: true) == lesson)
    let refused = [prose, text, "/etc/passwd", "../../../etc/passwd", folder.path + "/missing.md"]
    for path in refused {
      #expect(throws: LessonError.self, "\(path)") { try library.resolve(path, allowingPaths: true) }
    }
    // The shell takes no path at all, a lesson file among them.
    #expect(throws: LessonError.self) { try library.resolve(lesson, allowingPaths: false) }
  }

  @Test func theBuiltInLessonsAreTheLessonsFolderByteForByte() throws {
    let folder = try FileManager.default.contentsOfDirectory(atPath: Self.lessonsDirectory)
      .filter { $0.hasSuffix(".md") }.sorted()
    #expect(EmbeddedLessons.files.map(\.name) == folder)
    for (name, text) in EmbeddedLessons.files {
      let file = try Data(contentsOf: URL(fileURLWithPath: Self.lessonsDirectory + "/" + name))
      #expect(Data(text.utf8) == file, "the built-in \(name) differs from lessons/\(name)")
    }
  }

  @Test func theBuiltInLibraryListsResolvesAndLoadsEveryLesson() throws {
    let builtIn = LessonLibrary.builtIn
    #expect(builtIn.files == library.files.map { "built-in:" + FileSystem.basename($0) })
    let path = try builtIn.resolve("reverse-server", allowingPaths: false)
    #expect(path == "built-in:01-reverse-server.md")
    #expect(try builtIn.load(path).title == "Lesson 1: the reverse-string server")
    #expect(builtIn.completionNames == library.completionNames)
    #expect(!builtIn.isWritable(path))
    #expect(LessonCatalog.text(builtIn).hasPrefix("Lessons built into sockshell:\n"))
  }

  @Test func aLessonThatPlaysALessonIsRefusedInsteadOfRecursing() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-self-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "# Itself\n\n```sockshell\nsockshell> lesson 1\n```\n".write(
      to: folder.appendingPathComponent("01-itself.md"), atomically: false, encoding: .utf8)
    let result = try runProcess(
      "/usr/bin/env", ["SOCKSHELL_LESSONS=\(folder.path)", Paths.sockshell, "lesson", "1"])
    #expect(result.status < 128, "killed by a signal: \(result.stderr)")
    #expect(result.stderr.contains("a lesson cannot play another lesson"), "\(result.stderr)")
  }
}
