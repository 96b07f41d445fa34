import ArgumentParser
import Glibc
import SockShellKit

/// `sockshell lesson NAME`: play, step through, check or update lessons.
struct LessonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lesson",
    abstract: "Play a lesson, or check lessons against their transcripts.",
    discussion: """
      NAME is a lesson of the library: a number (1, 01), a file name with or without .md \
      (01-reverse-server, reverse-server), or a path with a / to a lesson file of your own \
      (./mine.md: a Markdown file with sockshell blocks). The library is SOCKSHELL_LESSONS, else \
      the lessons/ folder of the checkout sockshell was built in, else share/sockshell/lessons \
      beside an installed binary, else the lessons built into sockshell.

      Exit status: 0; 1 when a lesson stopped on `or die` or a check failed; 130 when Ctrl-C \
      stopped it; 2 for a usage error or a name that is not a lesson.
      """)

  @Argument(help: "The lesson to play; with --check or --update, any number of lessons (none: all).")
  var names: [String] = []

  @Flag(help: "Pause before each input: Enter runs it, `skip` skips it, or type a line of your own first.")
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

  @OptionGroup var wireOptions: WireOptions

  @Option(
    help: ArgumentHelp(
      "While playing (or with --step), record what you run as a lesson of your own in FILE.md.",
      valueName: "FILE.md"))
  var record: String?
  @OptionGroup(title: "Export")
  var export: ExportOptions

  @Flag(help: ArgumentHelp("Run as the peer of another lesson's check: start no peers.", visibility: .hidden))
  var asPeer = false

  @Option(
    help: ArgumentHelp("End when process PID (the checker that started this peer) ends.", visibility: .hidden)
  )
  var parent: Int32?

  @Flag(help: ArgumentHelp("Check or update one lesson on the wire, in a namespace of its own.", visibility: .hidden))
  var asWireChild = false

  func validate() throws {
    if [step, check, update].filter({ $0 }).count > 1 {
      throw ValidationError("choose one of --step, --check and --update")
    }
    if record != nil && (check || update) {
      throw ValidationError("--record records a lesson played or stepped through, not a check")
    }
    if !check && !update && names.count != 1 {
      throw ValidationError("name one lesson to play (sockshell lessons lists them)")
    }
    if (wireOptions.wire || wireOptions.join != nil) && (check || update) {
      throw ValidationError(
        "--wire shows the segments while a lesson plays; a lesson marked <!-- wire --> is checked on the wire itself")
    }
    if export.isOn && (names.count != 1 || update) {
      throw ValidationError("--export writes the program of one lesson, played or checked")
    }
    if !(1...3600).contains(timeout) { throw ValidationError("--timeout must be between 1 and 3600 seconds") }
    for assignment in assignments where !assignment.contains("=") || assignment.hasPrefix("=") {
      throw ValidationError("--set takes NAME=VALUE, not '\(assignment)'")
    }
  }

  func run() throws {
    // A peer whose checker is gone has no one to meet; it ends with the checker from here on.
    if let parent, !PeerProcess.endWithParent(parent) { throw ExitCode(1) }
    let library = LessonLibrary.locate()
    var options = LessonRunner.Options()
    options.mode = check ? .check : update ? .update : step ? .step : .play
    options.recordPath = record
    options.waitNotices = isatty(2) == 1
    options.timeout = timeout
    options.isPeer = asPeer
    options.keepsJournal = export.isOn
    for assignment in assignments {
      let name = String(assignment.prefix { $0 != "=" }).replacingDollar()
      let text = String(assignment.drop { $0 != "=" }.dropFirst())
      options.variables[name] = Int(text).map { .int($0) } ?? .string(text)
    }
    var paths: [String] = []
    for name in names {
      do {
        paths.append(try library.resolve(name, allowingPaths: true))
      } catch {
        FileHandleWriter.standardError("sockshell: \(error)\n")
        throw ExitCode(2)
      }
    }
    if paths.isEmpty { paths = library.files }
    // Before any socket of the learner's and before anything starts a thread (WireOptions).
    let wire = try startWire(library: library, paths: paths)

    // With --export and no --export-to the program takes stdout, and the lesson stderr.
    let output = StreamOutput(outFD: export.runOutputFD, flushesEachWrite: true)
    var journal: Journal?
    let playing = options.mode == .play || options.mode == .step
    if playing {
      // As in the shell, Ctrl-C stops a waiting call; the lesson then ends instead of the process.
      Signals.catchInterrupts()
      Signals.endsLineOnInterrupt = true
    }
    let runner = LessonRunner(
      output: output, options: options,
      readStep: step ? LessonCommand.stepReader(library: library, output: output) : { _, _ in .endOfInput })
    runner.wire = wire
    var failed = false
    for path in paths {
      let lesson: Lesson
      do {
        lesson = try library.load(path)
      } catch {
        FileHandleWriter.standardError("sockshell: \(error)\n")
        throw ExitCode(2)
      }
      if options.mode == .update && !library.isWritable(path) {
        output.write("sockshell: \(path) is built into sockshell; update the lessons/ folder it came from\n")
        failed = true
        continue
      }
      if lesson.wire && !asWireChild && !playing {
        failed = !checkOnTheWire(lesson, library: library, output: output) || failed
        if export.isOn {
          // Its calls were made in a namespace of its own, by another process: not in this journal.
          output.flush()
          FileHandleWriter.standardError(
            "sockshell: export: \(lesson.title) is checked on the wire in a process of its own, whose calls this one "
              + "did not see; play it to export it: sockshell lesson \(names.first ?? path) --export LANG\n")
          failed = true
        }
        continue
      }
      let result = runner.run(lesson)
      journal = runner.journal
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
        output.flush()
        if result.exitStatus != 0 {
          // A lesson that stopped early is still written as far as it ran.
          _ = export.finish(journal)
          throw ExitCode(result.exitStatus)
        }
      }
    }
    output.flush()
    if !export.finish(journal) { failed = true }
    if failed { throw ExitCode(1) }
  }

  /// How `--step` reads the learner's answer: at a terminal with readline (editing, history,
  /// completion from the lesson's session), else a plain line from stdin, echoed so the output
  /// reads as the terminal would show it.
  static func stepReader(library: LessonLibrary, output: StreamOutput)
    -> (Lesson.Step, Interpreter) -> LessonRunner.StepInput
  {
    guard isatty(0) == 1 else {
      return { _, _ in
        output.write(LessonRunner.stepPrompt)
        output.flush()
        let answer = Terminal.readLine()
        if case .line(let line) = answer { output.write(line) }
        output.write("\n")
        return answer
      }
    }
    let editor = LineEditor(
      prompt: LessonRunner.stepPrompt, historyPath: History.path(environment: Session.environment())
    ) { [output] in output.message("sockshell: " + $0) }
    return { step, interpreter in
      LineEditor.completer = { line, cursor in
        Completer(interpreter: interpreter, lessons: { library.completionNames }).complete(
          line, cursor: cursor)
      }
      // readline shows Ctrl-C at its prompt itself.
      Signals.endsLineOnInterrupt = false
      defer { Signals.endsLineOnInterrupt = true }
      switch editor.read() {
      case .line(let line):
        // Enter ran the step: Up brings it back, to type a variation of it.
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { editor.remember(step.input) }
        return .line(line)
      case .interrupted: return .interrupted
      case .endOfInput: return .endOfInput
      }
    }
  }
}

/// `sockshell lessons`: the lessons, numbered, with their titles.
struct LessonsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "lessons", abstract: "List the lessons.")

  func run() throws {
    print(LessonCatalog.text(LessonLibrary.locate()), terminator: "")
  }
}

extension String {
  fileprivate func replacingDollar() -> String { hasPrefix("$") ? String(dropFirst()) : self }
}

enum Terminal {
  /// One line from stdin without its newline, end of input, or Ctrl-C.
  static func readLine() -> LessonRunner.StepInput {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let count = read(0, &byte, 1)
      if count < 0 && errno == EINTR {
        if Signals.takeInterrupt() { return .interrupted }
        continue
      }
      guard count == 1 else {
        return bytes.isEmpty ? .endOfInput : .line(String(decoding: bytes, as: UTF8.self))
      }
      if byte == 10 { return .line(String(decoding: bytes, as: UTF8.self)) }
      bytes.append(byte)
    }
  }
}
