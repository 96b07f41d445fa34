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
    public init() {}
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
    public var passed: Bool { mismatches.isEmpty && problems.isEmpty }
  }

  let output: Output
  let options: Options
  /// Reads the learner's line in `--step` mode; nil at end of input.
  let readLine: () -> String?

  public init(output: Output, options: Options, readLine: @escaping () -> String? = { nil }) {
    self.output = output
    self.options = options
    self.readLine = readLine
  }

  /// Runs a lesson. In play and step mode its narration and output go to `output`; in check and
  /// update mode only the comparison matters and nothing is printed.
  @discardableResult
  public func run(_ lesson: Lesson) -> Result {
    let checking = options.mode == .check || options.mode == .update
    let transcript = TranscriptOutput(forwardingTo: checking ? nil : output)
    var settings = Interpreter.Settings()
    settings.interactive = true
    settings.scriptWatchdog = false
    settings.waitNotices = options.waitNotices && !checking
    let interpreter = Interpreter(
      table: .standard, output: transcript, settings: settings, lessonPlayer: LessonLibraryPlayer())
    for (name, value) in options.variables { interpreter.variables[name] = value }
    // A check gets a port of its own unless one was given, so it can run again at once (a port
    // the last run closed may sit in TIME_WAIT) and beside other checks.
    if checking, interpreter.variables["port"] == nil, let port = Kernel().freeLoopbackPort() {
      interpreter.variables["port"] = .int(port)
    }

    var mismatches: [Mismatch] = []
    var problems: [String] = []
    var peers: [PeerProcess] = []
    parts: for part in lesson.parts {
      switch part {
      case .narration(let lines):
        if !checking { output.write(LessonRunner.plain(lines)) }
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
        for step in steps {
          var input = step.input
          if options.mode == .step {
            output.write(Lesson.prompt + step.input + "\n[Enter runs it; or type your own line] ")
            output.flush()
            guard let typed = readLine() else { break parts }
            if !typed.trimmingSpaces().isEmpty { input = typed }
          } else if !checking {
            output.write(Lesson.prompt + input + "\n")
          }
          if checking { Signals.armWatchdog(seconds: options.timeout) }
          interpreter.run(line: input)
          let timedOut = checking && Signals.watchdogHasExpired
          if checking { Signals.armWatchdog(seconds: 0) }
          let actual = transcript.take()
          if checking {
            if timedOut {
              mismatches.append(
                Mismatch(step: step, actual: actual, note: "blocked for more than \(options.timeout) s"))
            } else if !OutputMatcher.matches(step.expected, actual) {
              mismatches.append(Mismatch(step: step, actual: actual, note: nil))
            }
          }
          if interpreter.exitStatus != nil { break parts }
        }
      }
    }
    interpreter.closeAll()
    _ = transcript.take()
    for peer in peers {
      let (status, peerOutput) = peer.finish(timeout: options.timeout)
      if status != 0 {
        problems.append("the peer lesson \(peer.name) failed (status \(status)):\n" + peerOutput)
      }
    }
    return Result(lesson: lesson, mismatches: mismatches, problems: problems)
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
      text += "@@ \(Lesson.prompt)\(mismatch.step.input) @@"
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
      let first = mismatch.step.line
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
