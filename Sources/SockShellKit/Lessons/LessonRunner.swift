import Glibc

/// Plays, steps through, checks and updates lessons, each in a fresh interpreter.
public final class LessonRunner {
  public enum Mode: Sendable { case play, step, check, update }

  public struct Options: Sendable {
    public var mode: Mode = .play
    /// `--set NAME=VALUE`: variables defined before the lesson runs.
    public var variables: [String: Value] = [:]
    /// Seconds a step may block in check and update mode before it fails.
    public var timeout = 10
    /// This run is a peer another lesson started: it starts no peers of its own.
    public var isPeer = false
    /// Played at a terminal: a step that blocks says what it waits for, as in the shell.
    public var waitNotices = false
    /// `--record FILE`: what the learner runs (each step run, each line of their own; not the
    /// steps skipped) is recorded as a lesson of its own, written when the lesson ends.
    public var recordPath: String?
    /// Keep a journal of the lesson's calls (`--export`): `journal` holds it after the run.
    public var keepsJournal = false
    public init() {}
  }

  /// What the learner answered when `--step` offered a step.
  public enum StepInput: Sendable, Equatable {
    /// Empty: run the step; `skip`: go on without it; anything else: the learner's own line,
    /// which runs before the step is offered again.
    case line(String)
    /// Ctrl-C: leave the lesson.
    case interrupted
    /// End of input (Ctrl-D): leave the lesson.
    case endOfInput
  }

  /// How a run ended.
  public enum Ending: Sendable, Equatable {
    case finished
    /// A line ended the lesson's session (`or die`, `die()`, `quit N`), as it ends a script.
    case stopped(status: Int32, line: Int)
    /// Ctrl-C, during a step or at a `--step` pause.
    case interrupted
    /// End of input at a `--step` pause.
    case left
  }

  /// One step whose output did not match.
  public struct Mismatch: Sendable {
    public var step: Lesson.Step
    public var actual: [String]
    public var note: String?
  }

  public struct Result: Sendable {
    public var lesson: Lesson
    public var mismatches: [Mismatch]
    /// Problems outside the steps: a peer lesson that failed.
    public var problems: [String]
    public var ending: Ending
    public var passed: Bool { mismatches.isEmpty && problems.isEmpty }

    /// The exit status of `sockshell lesson` for a played lesson: a lesson stopped as a script
    /// stops gives its status, Ctrl-C gives 130 as for a program killed by SIGINT.
    public var exitStatus: Int32 {
      switch ending {
      case .finished, .left: 0
      case .stopped(let status, _): status
      case .interrupted: 130
      }
    }
  }

  let output: Output
  let options: Options
  /// `--wire`: the capture whose segments a played lesson shows under each step's calls.
  public var wire: Wire?
  /// The journal of the lesson run last, when the options asked for one.
  public private(set) var journal: Journal?
  /// Reads the learner's answer to a step in `--step` mode; it is handed the step and the
  /// lesson's session (for completion).
  let readStep: (Lesson.Step, Interpreter) -> StepInput

  /// What `--step` asks after showing a step.
  public static let stepPrompt = "[Enter runs it, or skip, or your line] "

  public init(
    output: Output, options: Options,
    readStep: @escaping (Lesson.Step, Interpreter) -> StepInput = { _, _ in .endOfInput }
  ) {
    self.output = output
    self.options = options
    self.readStep = readStep
  }

  /// Runs a lesson. In play and step mode its narration and output go to `output`; in check and
  /// update mode only the comparison matters and nothing is printed.
  @discardableResult
  public func run(_ lesson: Lesson) -> Result {
    let checking = options.mode == .check || options.mode == .update
    let transcript = TranscriptOutput(forwardingTo: checking ? nil : output)
    var settings = Interpreter.Settings()
    // Played, a lesson runs as a script does: `or die` ends it, with the lesson's message. A
    // check runs every step whatever happens, so that the diff shows them all.
    settings.interactive = checking
    settings.scriptWatchdog = false
    settings.waitNotices = options.waitNotices && !checking
    let interpreter = Interpreter(
      table: .standard, output: transcript, settings: settings,
      lessonPlayer: LessonLibraryPlayer(insideLesson: true), wire: wire)
    if !checking, let path = options.recordPath {
      do throws(ShellError) {
        guard let makeRecorder = interpreter.recorderFactory else {
          throw ShellError("record: this session cannot record")
        }
        let recorder = try makeRecorder(path, false)
        interpreter.recorder = recorder
        transcript.observer = recorder.outputObserver
        output.message("sockshell: recording what you run to \(path); it is written when the lesson ends")
      } catch {
        output.message("sockshell: " + error.message)
      }
    }
    for (name, value) in options.variables { interpreter.variables[name] = value }
    // A journal for --export, and for the diagrams a lesson draws of its calls.
    let hasDiagram = lesson.parts.contains { if case .diagram = $0 { true } else { false } }
    if options.keepsJournal || hasDiagram { interpreter.journal = Journal() }
    // A check gets a port of its own unless one was given, so it can run again at once (a port
    // the last run closed may sit in TIME_WAIT) and beside other checks.
    if checking, interpreter.variables["port"] == nil, let port = Kernel().freeLoopbackPort() {
      interpreter.variables["port"] = .int(port)
    }

    var mismatches: [Mismatch] = []
    var problems: [String] = []
    var peers: [PeerProcess] = []
    var ending = Ending.finished

    /// Runs one line, the lesson's or the learner's; false when the lesson must end there.
    func runLine(_ input: String, at line: Int) -> Bool {
      interpreter.run(line: input)
      // A checker is not interrupted (its SIGINT is not caught); elsewhere Ctrl-C has stopped the
      // blocked call, the echo shows EINTR, and the lesson ends rather than go on from `false`.
      if !checking && Signals.takeInterrupt() {
        ending = .interrupted
        return false
      }
      if let status = interpreter.exitStatus {
        ending = .stopped(status: status, line: line)
        return false
      }
      return true
    }

    // Where an `or die` fired while checking: the check goes on, but play would stop there.
    var diedAt: Int?
    var reportedDeath = false
    parts: for part in lesson.parts {
      if !checking && Signals.takeInterrupt() {
        ending = .interrupted
        break parts
      }
      switch part {
      case .narration(let lines):
        if !checking { output.write(LessonRunner.plain(lines)) }
      case .diagram(let expected, let line):
        guard checking else {
          output.write("(A sequence diagram of the calls so far is here: type `timeline` to draw it.)\n")
          continue
        }
        let drawn =
          interpreter.journal.flatMap { journal in
            interpreter.timelineDrawer.map { draw in
              var style = TimelineStyle()
              style.mermaid = true
              return draw(journal, style)
            }
          } ?? ""
        var actual = drawn.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if actual.last == "" { actual.removeLast() }
        // A Mermaid comment `%% ...` is the transcript's `...` line (any number of lines), so the
        // block stays a diagram GitHub can draw.
        let pattern = expected.map { $0.trimmingSpaces() == "%% ..." ? "..." : $0 }
        if !OutputMatcher.matches(pattern, actual) {
          let step = Lesson.Step(input: "timeline --mermaid", line: line, expected: expected)
          // No note: a note marks a step that blocked, which `--update` will not write over.
          mismatches.append(Mismatch(step: step, actual: actual, note: nil))
        }
      case .startPeer(let name, let waitForPort, let line):
        if checking && !options.isPeer {
          var arguments = ["lesson", name, "--check", "--as-peer", "--timeout", String(options.timeout)]
          var shared = options.variables
          // The peer must meet this lesson where it listens.
          if let port = interpreter.variables["port"] { shared["port"] = port }
          for (key, value) in shared.sorted(by: { $0.key < $1.key }) {
            arguments += ["--set", key + "=" + String(decoding: value.textBytes, as: UTF8.self)]
          }
          if let peer = PeerProcess(arguments: arguments, name: name) {
            peers.append(peer)
            if waitForPort, case .int(let port)? = interpreter.variables["port"],
              !ListeningPorts.wait(for: port, seconds: options.timeout)
            {
              problems.append(
                "\(lesson.path):\(line): nothing listened on port \(port) within \(options.timeout) s")
            }
          } else {
            problems.append("\(lesson.path):\(line): could not start the peer lesson \(name)")
          }
        } else if !checking {
          output.write("(Now start the other end in a second terminal: sockshell lesson \(name))\n")
        }
      case .transcript(let steps):
        steps: for step in steps {
          // Under --wire, what came after the last step's calls (a peer's FIN) shows first.
          if !checking { interpreter.showWire(settling: 50) }
          if options.mode == .step {
            // The step is offered until it runs or is skipped; the learner's own lines run in
            // between and never take its place.
            offer: while true {
              output.write(Lesson.prompt + step.shown + "\n")
              output.flush()
              switch readStep(step, interpreter) {
              case .interrupted:
                _ = Signals.takeInterrupt()
                ending = .interrupted
                break parts
              case .endOfInput:
                ending = .left
                break parts
              case .line(let typed):
                let answer = typed.trimmingSpaces()
                if answer.isEmpty { break offer }
                if answer == "skip" { continue steps }
                guard runLine(typed, at: step.line) else { break parts }
              }
            }
          } else if !checking {
            output.write(Lesson.prompt + step.shown + "\n")
          }
          if checking, let line = diedAt {
            // Played, the lesson would have ended there: the steps after it are never seen.
            problems.append(
              "\(lesson.path):\(line): `or die` stopped the lesson here; played, it ends at this line, "
                + "but the transcript goes on")
            diedAt = nil
            reportedDeath = true
          }
          if checking { Signals.armWatchdog(seconds: options.timeout) }
          let goesOn = runLine(step.input, at: step.line)
          if checking, interpreter.lineDied, !reportedDeath { diedAt = step.line }
          let timedOut = checking && Signals.watchdogHasExpired
          if checking { Signals.armWatchdog(seconds: 0) }
          // Checked on the wire, a step's late segments (a delayed ACK) are its own, as played.
          if checking && wire != nil { interpreter.showWire(settling: 50) }
          let actual = transcript.take()
          if checking {
            if timedOut {
              mismatches.append(
                Mismatch(step: step, actual: actual, note: "blocked for more than \(options.timeout) s"))
            } else if !OutputMatcher.matches(step.expected, actual) {
              mismatches.append(Mismatch(step: step, actual: actual, note: nil))
            }
          }
          if !goesOn { break parts }
        }
      }
    }
    if !checking, let notice = LessonRunner.notice(ending, lesson) { output.message(notice) }
    // A recording still running (`--record`, or `record FILE` typed at a step) is written now.
    if let recorder = interpreter.recorder {
      interpreter.recorder = nil
      transcript.observer = nil
      switch recorder.finish() {
      case .success(let report): output.message("sockshell: " + report)
      case .failure(let error): output.message("sockshell: " + error.message)
      }
    }
    interpreter.closeAll()
    interpreter.showWire()
    _ = transcript.take()
    for peer in peers {
      let (status, peerOutput) = peer.finish(timeout: options.timeout)
      if status != 0 {
        problems.append("the peer lesson \(peer.name) failed (status \(status)):\n" + peerOutput)
      }
    }
    journal = interpreter.journal
    return Result(lesson: lesson, mismatches: mismatches, problems: problems, ending: ending)
  }

  /// What a played lesson says when it ends before its last step.
  static func notice(_ ending: Ending, _ lesson: Lesson) -> String? {
    let name = String(LessonLibrary.fileName(lesson.path).dropLast(3))
    switch ending {
    case .finished, .left, .stopped(status: 0, _): return nil
    case .stopped(_, let line): return "sockshell: lesson \(name) stopped at line \(line)"
    case .interrupted: return "sockshell: lesson \(name) stopped by Ctrl-C"
    }
  }

  /// The report of a check: one line per lesson, a diff per mismatch.
  public static func report(_ result: Result) -> String {
    let steps = result.lesson.steps.count
    guard !result.passed else { return "ok    \(result.lesson.path) (\(steps) steps)\n" }
    var text = "FAIL  \(result.lesson.path)"
    text += result.mismatches.isEmpty ? "\n" : " (\(result.mismatches.count) of \(steps) steps differ)\n"
    for mismatch in result.mismatches {
      text += "--- \(result.lesson.path):\(mismatch.step.line) expected\n"
      text += "+++ actual\n"
      text += "@@ \(Lesson.prompt)\(mismatch.step.shown) @@"
      if let note = mismatch.note { text += " (\(note))" }
      text += "\n"
      for line in OutputMatcher.diff(mismatch.step.expected, mismatch.actual) { text += line + "\n" }
    }
    for problem in result.problems { text += problem + "\n" }
    return text
  }

  /// The lesson's text with each step's expected output replaced from the run; narration and
  /// expected lines that still match (wildcards among them) are kept.
  public static func updatedText(_ result: Result) -> String {
    var lines = result.lesson.lines
    for mismatch in result.mismatches.sorted(by: { $0.step.line > $1.step.line }) {
      // The output starts after the input's line and its `...> ` lines.
      let first = mismatch.step.line + mismatch.step.continuations
      lines.replaceSubrange(
        first..<(first + mismatch.step.expected.count),
        with: OutputMatcher.updated(mismatch.step.expected, mismatch.actual))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Narration for the terminal: Markdown kept readable, fences of other code dropped.
  static func plain(_ lines: [String]) -> String {
    var text = ""
    for line in lines where !line.hasPrefix("```") {
      text += line + "\n"
    }
    return text
  }
}
