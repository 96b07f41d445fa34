/// A lesson: a Markdown page whose fenced `sockshell` blocks are transcripts. A line starting
/// `sockshell> ` is typed input, continued by the lines right after it that start `...> ` (a
/// statement left open, as the shell asks for more); the lines after the input, up to the next
/// input or the end of the block, are the output expected. Everything else is narration.
public struct Lesson: Sendable {
  public struct Step: Sendable, Equatable {
    /// What is typed; the lines of a statement that spans several are joined with newlines.
    public var input: String
    /// 1-based line of the input in the file.
    public var line: Int
    public var expected: [String]
    /// How many `...> ` lines continue the input.
    public var continuations = 0

    /// The input as the shell shows it: each line after the first under the `...> ` prompt.
    public var shown: String {
      input.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + Lesson.continuationPrompt)
    }
  }

  public enum Part: Sendable, Equatable {
    case narration([String])
    case transcript([Step])
    /// `<!-- check: start LESSON -->`: in check mode, start that lesson as a peer process here
    /// (the client a server lesson waits for). `... and wait for $port` then waits until
    /// something listens on `$port` (the server a client lesson needs).
    case startPeer(String, waitForPort: Bool, line: Int)
    /// A ```mermaid block: the session so far as `timeline --mermaid` draws it, which a check
    /// compares (`...` matching as in a transcript) and an update rewrites. `line` is the fence's.
    case diagram([String], line: Int)
  }

  public var path: String
  public var title: String
  public var parts: [Part]
  /// `<!-- wire -->`: the lesson is played on the wire, and checked with its segments.
  public var wire = false
  /// The file's lines, kept so `--update` can rewrite only the expected output.
  public var lines: [String]

  public var steps: [Step] {
    parts.flatMap { part -> [Step] in
      if case .transcript(let steps) = part { return steps }
      return []
    }
  }

  public static let prompt = "sockshell> "
  /// The prompt of a line that continues a statement left open.
  public static let continuationPrompt = "...> "

  public init(path: String, text: String) throws(LessonError) {
    self.path = path
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    self.lines = lines
    var parts: [Part] = []
    var narration: [String] = []
    var title: String?
    var index = 0
    func flushNarration() {
      if !narration.isEmpty { parts.append(.narration(narration)) }
      narration = []
    }
    while index < lines.count {
      let line = lines[index]
      let trimmed = line.trimmingSpaces()
      if title == nil, line.hasPrefix("# ") { title = String(line.dropFirst(2)) }
      if trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), let peer = Lesson.peerDirective(trimmed) {
        flushNarration()
        parts.append(.startPeer(peer.name, waitForPort: peer.waitForPort, line: index + 1))
        index += 1
        continue
      }
      if trimmed == "<!-- wire -->" {
        wire = true
        index += 1
        continue
      }
      if trimmed == "```mermaid" {
        flushNarration()
        let open = index + 1
        var diagram: [String] = []
        index += 1
        while true {
          guard index < lines.count else {
            throw LessonError("\(path):\(open): a mermaid block is never closed with ```")
          }
          if lines[index].trimmingSpaces() == "```" { break }
          diagram.append(lines[index])
          index += 1
        }
        parts.append(.diagram(diagram, line: open))
        index += 1
        continue
      }
      guard trimmed == "```sockshell" else {
        narration.append(line)
        index += 1
        continue
      }
      flushNarration()
      let open = index + 1
      index += 1
      var steps: [Step] = []
      while true {
        guard index < lines.count else {
          throw LessonError("\(path):\(open): a sockshell block is never closed with ```")
        }
        let line = lines[index]
        if line.trimmingSpaces() == "```" { break }
        if line.hasPrefix(Lesson.prompt) || line == Lesson.prompt.trimmingSpaces() {
          steps.append(
            Step(
              input: String(line.dropFirst(min(line.count, Lesson.prompt.count))), line: index + 1,
              expected: []))
        } else if let last = steps.last, last.expected.isEmpty,
          line.hasPrefix(Lesson.continuationPrompt) || line == Lesson.continuationPrompt.trimmingSpaces()
        {
          steps[steps.count - 1].input += "\n" + line.dropFirst(min(line.count, Lesson.continuationPrompt.count))
          steps[steps.count - 1].continuations += 1
        } else if steps.isEmpty {
          throw LessonError("\(path):\(index + 1): output before any `sockshell> ` input line")
        } else {
          steps[steps.count - 1].expected.append(line)
        }
        index += 1
      }
      parts.append(.transcript(steps))
      index += 1
    }
    flushNarration()
    self.title = title ?? path
    self.parts = parts
  }

  /// `<!-- check: start 02-reverse-client -->`, `<!-- check: start 01-reverse-server and wait
  /// for $port -->`.
  static func peerDirective(_ comment: String) -> (name: String, waitForPort: Bool)? {
    let body = comment.dropFirst(4).dropLast(3).trimmingSpaces()
    let prefix = "check: start "
    guard body.hasPrefix(prefix) else { return nil }
    var rest = body.dropFirst(prefix.count).trimmingSpaces()
    let wait = " and wait for $port"
    let waits = rest.hasSuffix(wait)
    if waits { rest = String(rest.dropLast(wait.count)).trimmingSpaces() }
    return rest.isEmpty ? nil : (rest, waits)
  }
}

public struct LessonError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
    return String(slice)
  }
}
