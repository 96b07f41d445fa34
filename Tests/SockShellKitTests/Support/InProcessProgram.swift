import Testing

@testable import SockShellKit

/// A PHP program parsed and run in-process, as `sockshell -q FILE` would run it.
struct InProcessProgram {
  var text = ""
  var messages: [String] = []
  /// As `exit` or a fatal error set it; nil when the program ran to its end.
  var status: Int32?

  /// Runs `source`; a program that does not parse is a test failure.
  init(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let parsed = PHPProgram.parse(file: Array(source.utf8), commands: CommandTable.standard)
    guard case .success(let program)? = parsed else {
      Issue.record("did not parse: \(String(describing: parsed))", sourceLocation: sourceLocation)
      return
    }
    let (interpreter, output) = makeInterpreter()
    interpreter.settings.echo = .off
    interpreter.run(program: program)
    text = output.text
    messages = output.messages
    status = interpreter.exitStatus
  }

  /// The error `source` fails to parse with; nil when it parses.
  static func parseError(_ source: String) -> PHPProgram.ParseError? {
    guard
      case .failure(let error)? = PHPProgram.parse(file: Array(source.utf8), commands: CommandTable.standard)
    else { return nil }
    return error
  }
}
