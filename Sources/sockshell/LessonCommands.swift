import ArgumentParser
import Glibc
import SockShellKit

/// `sockshell lesson NAME`: play, step through, check or update lessons.
struct LessonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lesson",
    abstract: "Play a lesson, or check lessons against their transcripts.",
    discussion: """
      NAME is a number (1, 01), a file name without .md (01-reverse-server, reverse-server) or a \
      path. Lessons are found in SOCKSHELL_LESSONS, else in the lessons/ folder of the checkout \
      sockshell was built in, or share/sockshell/lessons beside an installed binary.
      """)

  @Argument(help: "The lesson to play; with --check or --update, any number of lessons (none: all).")
  var names: [String] = []

  @Flag(help: "Pause before each input: Enter runs it, or type a line of your own.")
  var step = false

  @Flag(help: "Run every input and compare with the transcript; exit 1 on a difference.")
  var check = false

  @Flag(help: "Rewrite the transcripts' expected output from a real run.")
  var update = false

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Define $NAME before the lesson runs.", valueName: "NAME=VALUE"))
  var assignments: [String] = []

  @Option(help: "Seconds an input may block in --check and --update mode.")
  var timeout = 10

  @Flag(help: ArgumentHelp("Run as the peer of another lesson's check: start no peers.", visibility: .hidden))
  var asPeer = false

  func validate() throws {
    if [step, check, update].filter({ $0 }).count > 1 {
      throw ValidationError("choose one of --step, --check and --update")
    }
    if !check && !update && names.count != 1 {
      throw ValidationError("name one lesson to play (sockshell lessons lists them)")
    }
    if !(1...3600).contains(timeout) { throw ValidationError("--timeout must be between 1 and 3600 seconds") }
    for assignment in assignments where !assignment.contains("=") || assignment.hasPrefix("=") {
      throw ValidationError("--set takes NAME=VALUE, not '\(assignment)'")
    }
  }

  func run() throws {
    guard let library = LessonLibrary.locate() else {
      FileHandleWriter.standardError("sockshell: no lessons folder found; set SOCKSHELL_LESSONS\n")
      throw ExitCode(2)
    }
    var options = LessonRunner.Options()
    options.mode = check ? .check : update ? .update : step ? .step : .play
    options.waitNotices = isatty(2) == 1
    options.timeout = timeout
    options.isPeer = asPeer
    for assignment in assignments {
      let name = String(assignment.prefix { $0 != "=" }).replacingDollar()
      let text = String(assignment.drop { $0 != "=" }.dropFirst())
      options.variables[name] = Int(text).map { .int($0) } ?? .string(text)
    }
    var paths: [String] = []
    for name in names {
      guard let path = library.resolve(name) else {
        FileHandleWriter.standardError(
          "sockshell: no lesson '\(name)' in \(library.directory); sockshell lessons lists them\n")
        throw ExitCode(2)
      }
      paths.append(path)
    }
    if paths.isEmpty { paths = library.files }

    let output = StreamOutput(flushesEachWrite: true)
    let runner = LessonRunner(output: output, options: options) { Terminal.readLine() }
    var failed = false
    for path in paths {
      let lesson: Lesson
      do {
        lesson = try library.load(path)
      } catch {
        FileHandleWriter.standardError("sockshell: \(error)\n")
        throw ExitCode(2)
      }
      let result = runner.run(lesson)
      switch options.mode {
      case .check:
        output.write(LessonRunner.report(result))
        failed = failed || !result.passed
      case .update:
        if result.mismatches.contains(where: { $0.note != nil }) || !result.problems.isEmpty {
          output.write(LessonRunner.report(result) + "not updated: a step blocked or a peer failed\n")
          failed = true
        } else if result.passed {
          output.write("ok    \(path) (unchanged)\n")
        } else if LessonFile.write(LessonRunner.updatedText(result), to: path) {
          output.write("updated \(path) (\(result.mismatches.count) steps)\n")
        } else {
          output.write("sockshell: could not write \(path)\n")
          failed = true
        }
      case .play, .step:
        break
      }
    }
    output.flush()
    if failed { throw ExitCode(1) }
  }
}

/// `sockshell lessons`: the lessons, numbered, with their titles.
struct LessonsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "lessons", abstract: "List the lessons.")

  func run() throws {
    guard let library = LessonLibrary.locate() else {
      FileHandleWriter.standardError("sockshell: no lessons folder found; set SOCKSHELL_LESSONS\n")
      throw ExitCode(2)
    }
    print(LessonCatalog.text(library), terminator: "")
  }
}

extension String {
  fileprivate func replacingDollar() -> String { hasPrefix("$") ? String(dropFirst()) : self }
}

enum Terminal {
  /// One line from stdin, without its newline; nil at end of input.
  static func readLine() -> String? {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let count = read(0, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      guard count == 1 else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == 10 { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
  }
}
