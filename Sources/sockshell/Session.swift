import CReadline
import Glibc
import SockShellKit

/// Wires the interpreter to the terminal or to a script.
final class Session {
  let output: StreamOutput
  let interpreter: Interpreter
  let interactive: Bool

  init(settings: Interpreter.Settings, interactive: Bool, export: ExportOptions, wire: Wire? = nil) {
    var settings = settings
    settings.interactive = interactive
    self.interactive = interactive
    // Colour on a terminal, unless NO_COLOR is set to anything (no-color.org).
    let noColour = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
    // With --export and no --export-to the program takes stdout, and the run's output stderr.
    let outFD = export.runOutputFD
    output = StreamOutput(
      outFD: outFD, flushesEachWrite: interactive || isatty(outFD) == 1, colour: isatty(outFD) == 1 && !noColour)
    interpreter = Interpreter(
      table: .standard, output: output, settings: settings, lessonPlayer: LessonLibraryPlayer(wire: wire), wire: wire)
    // The shell keeps a journal for `export`; a script only when --export will write it.
    interpreter.journal = interactive ? Journal() : export.journal()
  }

  /// A recording the session ends in the middle of is written, not lost.
  func finishRecording() {
    guard let recorder = interpreter.recorder else { return }
    interpreter.recorder = nil
    output.observer = nil
    switch recorder.finish() {
    case .success(let report): output.message("sockshell: the session ended while recording; " + report)
    case .failure(let error): output.message("sockshell: " + error.message)
    }
  }

  /// `$argv` and `$argc`, as PHP sets them for `php FILE ARGS…`.
  func setArguments(_ arguments: [String]) {
    interpreter.variables["argv"] = .list(arguments.map { .string($0) })
    interpreter.variables["argc"] = .int(arguments.count)
  }

  /// A PHP file (one that opens with `<?php`) is read whole and parsed as one program, as PHP
  /// reads it, and runs only if all of it parses: a parse error is shown with its line and a
  /// caret, and the status is 255. nil when the file is not PHP: it runs line by line.
  func runPHPFile(path: String) -> Int32? {
    guard var source = ScriptSource(path: path) else { return nil }
    var file: [UInt8] = []
    var lineCount = 0
    var decided = false
    while let line = source.nextLine() {
      lineCount += 1
      // Only a file that opens with `<?php` (after a `#!` line) is PHP, and is read whole; a
      // sockshell script is told apart on its first line and runs line by line as it is read.
      if !decided, !(lineCount == 1 && line.starts(with: [35, 33])) {
        decided = true
        guard line.drop(while: { $0 == 32 || $0 == 9 }).starts(with: Array("<?php".utf8)) else { return nil }
      }
      file += line
      file.append(10)
    }
    if let failure = source.failure {
      output.message("sockshell: " + failure)
      return 1
    }
    // Each line was given its newline back; the file's last line may have had none.
    if !source.lastLineEndedWithNewline, file.last == 10 { file.removeLast() }
    guard let parsed = PHPProgram.parse(file: file, commands: CommandTable.standard) else { return nil }
    switch parsed {
    case .failure(let error):
      let shown = CString.escapingControls(String(decoding: error.text, as: UTF8.self))
      output.message(
        "sockshell: \(path):\(error.line):\(error.column): \(error.message)\n    \(shown)\n    "
          + String(repeating: " ", count: max(0, error.column - 1)) + "^")
      output.message("sockshell: \(path) did not parse (1 error); nothing of it ran")
      return 255
    case .success(let program):
      interpreter.run(program: program)
      // What the program printed, as php prints it: no newline is added after its last line.
      return finishScript(endsLine: interpreter.settings.echo != .off)
    }
  }

  /// Runs a script; the exit status is 0 unless it stopped on `or die`, `quit N` or --fail-fast,
  /// or a statement of it could not be parsed or run (1).
  func runScript(_ source: ScriptSource) -> Int32 {
    var source = source
    var lineNumber = 0
    var text = PHPFileText()
    // A statement that spans lines (a block, an open bracket or string) is gathered whole.
    var pending = PendingStatement(waitsForElse: true)
    lines: while let line = source.nextLine() {
      lineNumber += 1
      // A script that did not open with `<?php` is all code: no tags to look for on each line.
      if text.decided && !text.isPHP {
        if !interpreter.run(bytes: line, lineNumber: lineNumber, pending: &pending) { break }
        continue
      }
      for part in text.parts(of: line) {
        switch part {
        case .text(let bytes): output.write(bytes)
        case .code(let code):
          if !interpreter.run(bytes: code, lineNumber: lineNumber, pending: &pending) { break lines }
        }
      }
    }
    if let failure = source.failure, interpreter.exitStatus == nil {
      output.message("sockshell: " + (lineNumber > 0 ? "after line \(lineNumber): " : "") + failure)
      interpreter.stop(status: 1)
    }
    if interpreter.exitStatus == nil { interpreter.finish(&pending, at: "the script") }
    // With the echo off (-q) the output is the script's own, to the byte, as a PHP file's is.
    return finishScript(endsLine: interpreter.settings.echo != .off)
  }

  /// The end of a script or a program: the recording written, the output flushed, the status.
  private func finishScript(endsLine: Bool = true) -> Int32 {
    interpreter.showWire()
    finishRecording()
    if endsLine { output.endLine() }
    output.flush()
    // A script whose statements failed to parse or run has not done what it says: status 1,
    // and a count at the end of stderr (a failed socket call is a result, not an error).
    let errors = interpreter.errorCount
    // A fatal error (255, as PHP) or an exit keeps its own status; the count says which.
    let status = interpreter.exitStatus ?? (errors > 0 ? 1 : 0)
    if errors > 0 {
      output.message(
        "sockshell: \(errors) statement\(errors == 1 ? "" : "s") of this script could not run; exit status \(status)")
    }
    return status
  }

  func runInteractive() -> Int32 {
    Signals.catchInterrupts()
    interpreter.settings.waitNotices = isatty(2) == 1
    output.write(
      """
      sockshell \(SockShellCommand.version): BSD socket calls, shown as the kernel sees them.
      Type `help` for the commands, `help bind` for one of them, `lesson 1` to start the first
      lesson (`lessons` lists them all). Tab completes, Ctrl-C stops a waiting call, Ctrl-D leaves.

      """)
    if interpreter.wire != nil {
      output.write(
        """
        The wire is on: the segments on this session's loopback show under each call (`pcap FILE`
        saves them). This session has a network of its own; `sockshell --join` in another
        terminal enters it.

        """)
    }
    output.flush()
    // After the greeting: a message about the history file reads as part of the session.
    let environment = Session.environment()
    let editor = LineEditor(prompt: "sockshell> ", historyPath: History.path(environment: environment)) {
      [output] in output.message("sockshell: " + $0)
    }
    let lessons = { LessonLibrary.locate().completionNames }
    LineEditor.completer = { [interpreter] line, cursor in
      Completer(interpreter: interpreter, lessons: lessons).complete(line, cursor: cursor)
    }
    // A statement left open at the end of a line (a block, a bracket, a string) goes on under
    // `...> `; it runs once a line ends it, and the history keeps its lines as one entry.
    var pending = PendingStatement(waitsForElse: false)
    let typed = { (pending: PendingStatement) in String(decoding: pending.text, as: UTF8.self) }
    loop: while true {
      interpreter.showWire(settling: 50)
      output.endLine()
      output.flush()
      switch editor.read(prompt: pending.isEmpty ? nil : "...> ", remembers: false) {
      case .endOfInput:
        // readline has ended the prompt's line.
        if !pending.isEmpty {
          editor.remember(typed(pending))
          interpreter.finish(&pending, at: "the input")
        }
        break loop
      case .interrupted:
        // Ctrl-C at `...> ` abandons the statement being typed; Up brings its lines back.
        if !pending.isEmpty {
          editor.remember(typed(pending))
          pending = PendingStatement(waitsForElse: false)
        }
        continue
      case .line(let line):
        _ = Signals.takeInterrupt()
        guard !pending.isEmpty || !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
        Signals.endsLineOnInterrupt = true
        defer { Signals.endsLineOnInterrupt = false }
        // A paste of several lines arrives as one: it runs as a unit, and messages name its lines.
        if pending.isEmpty && line.contains("\n") {
          editor.remember(line)
          interpreter.run(text: line, from: "paste")
          if interpreter.exitStatus != nil { break loop }
          continue
        }
        // A line; or a paste that goes on with the statement being typed, line by line.
        for var part in Array(line.utf8).split(separator: 10, omittingEmptySubsequences: false) {
          if part.last == 13 { part = part.dropLast() }
          if !interpreter.leavesStatementOpen(part, after: pending) {
            let text = String(decoding: part, as: UTF8.self)
            editor.remember(pending.isEmpty ? text : typed(pending) + "\n" + text)
          }
          if !interpreter.run(bytes: part, lineNumber: nil, pending: &pending) { break loop }
          if interpreter.lineDied {
            pending = PendingStatement(waitsForElse: false)
            break
          }
        }
      }
    }
    finishRecording()
    interpreter.closeAll()
    interpreter.showWire()
    output.flush()
    return interpreter.exitStatus ?? 0
  }

  /// `--wire`: the namespace entered and the capture opened, before the first socket; or the one
  /// message that says why not, and the session goes on without it.
  static func startWire(namespace: Wire.Namespace) -> Wire? {
    switch Wire.start(namespace: namespace) {
    case .success(let wire): return wire
    case .failure(let failure):
      FileHandleWriter.standardError(failure.message + "\n")
      return nil
    }
  }

  static func environment() -> [String: String] {
    var result: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      entry += 1
    }
    return result
  }
}
