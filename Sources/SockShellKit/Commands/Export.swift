extension Shell {
  static let export = CommandSpec(
    name: "export", family: .shell, synopsis: "export c|python|php [FILE] [--force]",
    summary: "Write what this session has done so far as a standalone C, Python or PHP program.",
    notes: """
      The program makes the session's calls in the order it made them, with its variable names,
      its addresses and ports, and its data as literals, each checked as its language checks a
      call: -1 and errno with perror in C, OSError and its errno in Python, `=== false` and
      socket_last_error() in PHP. A call that failed in the session fails there too: it is
      reported and the program goes on. Comments name each call's man page. Without FILE the
      program is printed; an existing FILE is replaced only with --force. The calls come from
      the session's journal, which keeps the last 100000; a loop is written out call by call, as
      it ran. A script is exported with `sockshell --export c FILE.ss`, a lesson with
      `sockshell lesson 3 --export python`.
      """,
    example: "export c /tmp/reverse.c"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...3)
    let interpreter = call.interpreter
    let language = try call.text(0, "the language")
    var path: String?
    var overwrites = false
    for position in 1..<3 where call.has(position) {
      let word = try call.text(position, "the file")
      if word == "--force" {
        overwrites = true
      } else if path == nil {
        path = word
      } else {
        throw call.usage("give one FILE")
      }
    }
    guard let exporter = interpreter.programExporter else {
      throw ShellError("export: this session cannot export")
    }
    guard let journal = interpreter.journal else {
      throw ShellError(
        "export: this session keeps no journal of its calls; a script keeps one when run as "
          + "`sockshell --export LANG FILE`")
    }
    let program = try exporter(language, journal)
    for note in program.notes { interpreter.output.message("sockshell: export: " + note) }
    guard let path else {
      interpreter.output.write(program.text)
      return .null
    }
    if let problem = program.write(to: path, overwrites: overwrites) { throw problem }
    interpreter.output.message(
      "sockshell: wrote \(program.calls) call\(program.calls == 1 ? "" : "s") as \(program.language) to \(path)")
    return .null
  }
}
