import Glibc

/// `timeline`: the session so far as a sequence diagram, drawn from the journal of its calls.
enum TimelineCommand {
  static let timeline = CommandSpec(
    name: "timeline", family: .shell, synopsis: "timeline [--mermaid] [--ascii] [--width N]",
    summary: "Draw the session so far as a sequence diagram: a lane per handle, the handshakes, data and FINs between them.",
    notes: """
      A lane per handle; `connect` draws the handshake to the listening socket of the session
      it reached, a `write` or `send` an arrow with its byte count and the first bytes to the
      socket at the other end, `shutdown` and `close` the FIN they send, a datagram its sender and
      receiver; reads, binds, listens and failures are notes on their lane. It fits the
      terminal's width (`--width N` sets it), draws with box-drawing characters (`--ascii`: with
      | - > only), and `--mermaid` writes a Mermaid sequenceDiagram that GitHub draws in Markdown.
      It reads the session's journal of calls: the echo and the timeline are two views of it.
      """,
    example: "timeline --mermaid"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    let interpreter = call.interpreter
    var style = TimelineStyle()
    style.width = terminalWidth() ?? 100
    style.colour = interpreter.output.colour
    var position = 0
    while position < call.count {
      switch try call.text(position, "the option") {
      case "--mermaid": style.mermaid = true
      case "--ascii":
        style.ascii = true
        style.colour = false
      case "--width":
        position += 1
        guard position < call.count else { throw call.usage("--width needs a number of columns") }
        let width = try call.int(position, "the width")
        guard (20...1000).contains(width) else { throw call.usage("the width must be from 20 to 1000 columns") }
        style.width = width
      case let other:
        throw call.usage("unknown option \(other); the options are --mermaid, --ascii and --width N")
      }
      position += 1
    }
    guard let journal = interpreter.journal, let draw = interpreter.timelineDrawer else {
      throw ShellError(
        "timeline: this session keeps no journal of its calls to draw (the shell keeps one; a script "
          + "keeps one when run with --export)")
    }
    interpreter.output.write(draw(journal, style))
    return .null
  }

  /// The terminal's width when stdout is one.
  private static func terminalWidth() -> Int? {
    var size = winsize()
    guard isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}
