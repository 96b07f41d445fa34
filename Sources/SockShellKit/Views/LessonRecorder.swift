import Glibc

/// `record FILE` … `record stop`: keeps the lines the learner runs and what each showed, and
/// writes them as a lesson that `sockshell lesson --check FILE` passes as written. The port the
/// session used becomes `$port`, and what varies from run to run becomes `...` (VaryingText).
final class LessonRecorder: SessionRecorder {
  /// One thing the session did, in order.
  private enum Entry {
    case input(String, output: [String])
    /// `# heading` typed as a comment: a section of the lesson.
    case heading(String)
    /// A line that is not part of the lesson (`record` itself, a line that does not parse):
    /// its output is dropped with it.
    case skipped
  }

  /// A recording holds at most this many lines, or this many bytes, of transcript: a loop that
  /// prints for ever must not grow memory without end.
  static let lineLimit = 10_000
  static let byteLimit = 4 << 20

  let path: String
  let overwrites: Bool
  private unowned let interpreter: Interpreter
  /// What the learner saw, as transcript lines: the output's observer.
  let transcript = TranscriptOutput(byteLimit: LessonRecorder.byteLimit)
  var outputObserver: any Output { transcript }
  private var entries: [Entry] = []
  private var title: String?
  /// The port as typed in the first bind, connect, sendto or create_listen on loopback.
  private var port: String?
  private var lineCount = 0
  private var byteCount = 0
  private(set) var isFull = false

  init(path: String, overwrites: Bool, interpreter: Interpreter) {
    self.path = path
    self.overwrites = overwrites
    self.interpreter = interpreter
  }

  func willRun(_ bytes: ArraySlice<UInt8>) {
    takeOutput()
    guard !isFull else { return }
    // Lines a `source`d file runs belong to its `source` line, which replays them; a paste's
    // lines are the learner's own.
    if interpreter.sourceDepth > 0, interpreter.location?.hasPrefix("paste ") != true { return }
    let line = String(decoding: bytes, as: UTF8.self)
    let trimmed = line.trimmingSpaces()
    if trimmed.isEmpty { return }
    if let heading = LessonRecorder.heading(trimmed) {
      if title == nil && !entries.contains(where: { if case .input = $0 { true } else { false } }) {
        title = heading
      } else {
        entries.append(.heading(heading))
      }
      return
    }
    // `record` is how the lesson was made, not part of it; a line that does not parse is a typo
    // the lesson would only repeat.
    if trimmed == "record" || trimmed.hasPrefix("record ") || interpreter.syntaxError(in: bytes) != nil {
      entries.append(.skipped)
      return
    }
    if port == nil { port = VaryingText.loopbackPort(in: trimmed) }
    count(line)
    entries.append(.input(line, output: []))
  }

  /// Gives the output shown since the last line to the entry of that line.
  private func takeOutput() {
    let lines = transcript.take()
    if transcript.dropped { fill() }
    guard !lines.isEmpty, !isFull, case .input(let input, let output)? = entries.last else { return }
    var kept = output
    // The wire's lines (--wire) are left out: a lesson is checked without it.
    for line in lines where !SegmentText.isWireLine(line) {
      guard count(line) else { break }
      kept.append(line)
    }
    entries[entries.count - 1] = .input(input, output: kept)
  }

  /// Counts a line against the limits; false, and the recording full, once they are reached.
  @discardableResult
  private func count(_ line: String) -> Bool {
    lineCount += 1
    byteCount += line.utf8.count + 1
    if lineCount > LessonRecorder.lineLimit || byteCount > LessonRecorder.byteLimit { fill() }
    return !isFull
  }

  private func fill() {
    guard !isFull else { return }
    isFull = true
    interpreter.output.observer = nil
    interpreter.output.message(
      "sockshell: record: the recording reached its limit (\(LessonRecorder.lineLimit) lines or "
        + "\(LessonRecorder.byteLimit >> 20) MiB); what follows is not recorded, `record stop` writes what was")
  }

  func finish() -> Result<String, ShellError> {
    takeOutput()
    // The line that ran `record stop` is the last entry, and skipped.
    if let problem = LessonRecorder.refusal(path, overwrites: overwrites) { return .failure(problem) }
    let text = lessonText()
    guard FileSystem.write(text, to: path) else {
      return .failure(ShellError("record: cannot write \(path); nothing was written"))
    }
    let inputs = entries.reduce(0) { if case .input = $1 { $0 + 1 } else { $0 } }
    return .success(
      "recorded \(inputs) input\(inputs == 1 ? "" : "s") to \(path); `sockshell lesson --check \(path)` checks it")
  }

  /// Why FILE cannot be recorded to, if it cannot: asked when recording starts and again when it
  /// is written.
  static func refusal(_ path: String, overwrites: Bool) -> ShellError? {
    guard path.hasSuffix(".md"), path.count > 3 else {
      return ShellError("record: \(path) does not end in .md; a lesson is a Markdown file")
    }
    guard !path.utf8.contains(0) else { return ShellError("record: the path contains a NUL byte") }
    if FileSystem.isDirectory(path) { return ShellError("record: \(path) is a directory") }
    if let type = FileSystem.linkType(Array(path.utf8)) {
      guard type == S_IFREG else {
        return ShellError("record: \(path) is \(FileSystem.describe(type)); record writes regular files only")
      }
      guard overwrites else {
        return ShellError("record: \(path) exists; `record \(path) --force` replaces it")
      }
    }
    let parent = FileSystem.parent(path)
    guard parent.isEmpty || FileSystem.isDirectory(parent) else {
      return ShellError("record: there is no folder \(parent) to write \(path) in")
    }
    return nil
  }

  /// `# heading` (a comment of the language) names a section; `#` alone or `#!` does not.
  static func heading(_ line: String) -> String? {
    guard line.hasPrefix("# ") else { return nil }
    let text = line.dropFirst(2).trimmingSpaces()
    return text.isEmpty ? nil : String(text)
  }

  // MARK: - Writing the lesson

  func lessonText() -> String {
    var lines = ["# " + (title ?? "Recorded session"), ""]
    lines.append("Recorded with `record` in sockshell. `sockshell lesson --check FILE` runs it again")
    lines.append("against the kernel; `--set port=N` moves it to another port.")
    var open = false
    var portDefined = false
    func openBlock() {
      guard !open else { return }
      lines += ["", "```sockshell"]
      open = true
      if let port, !portDefined {
        lines.append(Lesson.prompt + "$port ??= " + port)
        portDefined = true
      }
    }
    var seenPort = false
    var ports = VaryingText.ports(in: entries.flatMap { entry -> [String] in
      if case .input(_, let output) = entry { return output }
      return []
    })
    if let port { ports.insert(port) }
    for entry in entries {
      switch entry {
      case .skipped: continue
      case .heading(let heading):
        if open { lines.append("```") }
        open = false
        lines += ["", "## " + heading]
      case .input(let input, let output):
        openBlock()
        // The port is `$port` from its first use on; an earlier number that happens to equal it
        // is something else.
        if let port, !seenPort, VaryingText.loopbackPort(in: input.trimmingSpaces()) == port { seenPort = true }
        // A statement typed over several lines keeps them, each after the first under `...> `.
        let typed = seenPort ? VaryingText.replacingPort(port ?? "", in: input) : input
        lines.append(
          Lesson.prompt
            + typed.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + Lesson.continuationPrompt))
        // `vars` lists the whole session, which its replay does not share ($argv, $port).
        let command = input.trimmingSpaces()
        if command == "vars" && !output.isEmpty {
          lines.append("...")
        } else {
          lines += VaryingText.masked(output, ports: ports)
        }
      }
    }
    if open { lines.append("```") }
    return lines.joined(separator: "\n") + "\n"
  }
}
