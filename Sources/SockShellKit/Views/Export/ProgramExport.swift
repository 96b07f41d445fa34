import Glibc

/// The languages `export` writes.
public enum ExportLanguage: String, CaseIterable, Sendable {
  case c
  case python
  case php

  /// `c`, `python` (or `py`), `php`, in any case.
  public init?(name: String) {
    switch name.lowercased() {
    case "c": self = .c
    case "python", "py", "python3": self = .python
    case "php": self = .php
    default: return nil
    }
  }

  public static let names = "c, python or php"

  /// The name a person writes: C, Python, PHP.
  public var title: String { ["c": "C", "python": "Python", "php": "PHP"][rawValue]! }
}

/// `export c|python|php`: the session's calls, from its journal, as a standalone program that
/// makes the same calls in the same order, each checked the way its language checks a call.
public enum ProgramExport {
  /// The program for `language`, as `export` hands it to the interpreter.
  public static func exporter(_ language: String, _ journal: Journal) throws(ShellError) -> ExportedProgram {
    guard let language = ExportLanguage(name: language) else {
      throw ShellError("export: no language '\(language)'; export writes \(ExportLanguage.names)")
    }
    return program(journal, language: language)
  }

  public static func program(_ journal: Journal, language: ExportLanguage) -> ExportedProgram {
    let text: String
    let plan: ExportPlan
    var unsupported: Int
    switch language {
    case .c:
      plan = ExportPlan(journal, naming: CProgramWriter.naming)
      text = CProgramWriter(plan).text
    case .python:
      plan = ExportPlan(journal, naming: PythonProgramWriter.naming)
      text = PythonProgramWriter(plan).text
    case .php:
      plan = ExportPlan(journal, naming: PHPProgramWriter.naming)
      text = PHPProgramWriter(plan).text
    }
    unsupported = plan.unsupported
    if language == .php { unsupported += plan.steps.filter { PHPProgramWriter.cannotWrite($0.call) }.count }
    var notes: [String] = []
    if plan.dropped > 0 {
      notes.append(
        "the journal keeps the last \(journal.limit) calls (and \(journal.byteLimit >> 20) MiB of data); "
          + "the \(plan.dropped) before them are not in the program")
    }
    if unsupported > 0 {
      notes.append(
        "\(unsupported) call\(unsupported == 1 ? "" : "s") could not be written in \(language.title) "
          + "and stand\(unsupported == 1 ? "s" : "") as a comment")
    }
    if plan.steps.isEmpty { notes.append("the session has made no calls yet: the program makes none") }
    return ExportedProgram(text: text, notes: notes, calls: plan.steps.count, language: language.title)
  }

  /// The lines that open every program: what it is and how it behaves.
  static func preamble(_ plan: ExportPlan, language: ExportLanguage) -> [String] {
    var lines = [
      "Written by sockshell's `export \(language.rawValue)`: the calls a sockshell session made, in the",
      "order it made them, with its names, addresses and data.",
    ]
    switch language {
    case .c:
      lines.append("Build: cc -Wall -Wextra -Werror -std=c11 -o program program.c")
      lines.append("Each call is checked as C checks one: a -1 return, and errno.")
    case .python:
      lines.append("Run: python3 program.py")
      lines.append("A call that fails raises OSError, whose errno says why.")
    case .php:
      lines.append("Run: php program.php")
      lines.append("A call that fails returns false; socket_last_error() says why.")
    }
    lines.append("A call that failed in the session is expected to fail here too, at the same place: the")
    lines.append("program reports it and goes on, as the session did. Any other failure stops it.")
    if plan.dropped > 0 {
      lines.append("")
      lines.append(
        "The session's first \(plan.dropped) calls were no longer in its journal: they are not here.")
    }
    return lines
  }

  /// The comment above a step: the man page, and what the session got when that says something.
  static func comment(_ step: ExportPlan.Step, quote: ([UInt8]) -> String) -> String {
    if let errno = step.errno {
      return "\(step.manPage): in the session this failed with \(errno.name) (\(errno.message))"
    }
    if let data = step.received {
      let shown = data.count > 64 ? Array(data.prefix(64)) : data
      let more = data.count > 64 ? "..." : ""
      let count = step.returned == 1 ? "1 byte" : "\(step.returned) bytes"
      return step.returned == 0
        ? "\(step.manPage): in the session this read 0 bytes: the end of the stream"
        : "\(step.manPage): in the session this read \(count), \(quote(shown))\(more)"
    }
    return step.manPage
  }

  /// The inside of a double-quoted literal of these bytes, as C, Python and PHP all write one:
  /// printable ASCII as it is, newline, carriage return, tab, `"` and `\` with a backslash; the
  /// language's own `special` bytes and every other byte through `escape`.
  static func literal(_ bytes: [UInt8], special: Set<UInt8>, escape: (UInt8) -> String) -> String {
    var text = ""
    for byte in bytes {
      switch byte {
      case 10: text += "\\n"
      case 13: text += "\\r"
      case 9: text += "\\t"
      case 34: text += "\\\""
      case 92: text += "\\\\"
      case 0x20..<0x7f where !special.contains(byte): text.unicodeScalars.append(Unicode.Scalar(byte))
      default: text += escape(byte)
      }
    }
    return text
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }
}
