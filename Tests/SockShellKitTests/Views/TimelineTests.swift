import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// `timeline`: the session's journal drawn as a sequence diagram, for a terminal at any width
/// (box-drawing or ASCII) and as Mermaid.
@Suite struct TimelineTests {
  /// The reverse exchange over a listening socket, then a datagram, in one session with a journal.
  static func session() -> (Interpreter, RecordingOutput) {
    let (interpreter, output) = makeInterpreter()
    interpreter.journal = Journal()
    let port = freePort()
    runLines(
      interpreter, output,
      [
        "$socket = create inet stream", "bind $socket 127.0.0.1 \(port)", "listen $socket 3",
        "$client = create inet stream", "connect $client 127.0.0.1 \(port)", "$spawn = accept $socket",
        #"write $client "xiongchao""#, "$input = read $spawn 1024", #"write $spawn strrev($input) . "\n""#,
        "read $client 1024", "shutdown $client wr", "read $spawn 1024", "close $spawn", "close $client",
        "close $socket", "$u = create inet dgram", "bind $u 127.0.0.1 \(port)", "$v = create inet dgram",
        #"sendto $v "ping" 127.0.0.1 \#(port)"#, "recvfrom $u 100",
      ])
    output.clear()
    return (interpreter, output)
  }

  @Test func mermaidShowsTheHandshakeTheDataAndTheFINsBetweenTheLanes() {
    let (interpreter, output) = Self.session()
    defer { interpreter.closeAll() }
    interpreter.run(line: "timeline --mermaid")
    #expect(output.messages == [])
    let lines = output.text.split(separator: "\n").map(String.init)
    #expect(lines.first == "sequenceDiagram")
    #expect(
      lines.filter { $0.contains("participant") } == [
        "    participant h1 as #1 $socket", "    participant h2 as #2 $client", "    participant h3 as #3 $spawn",
        "    participant h4 as #4 $u", "    participant h5 as #5 $v",
      ])
    // The arrows, in order: who sent what to whom.
    #expect(
      lines.filter { $0.contains("->>") } == [
        "    h2->>h1: connect: SYN, SYN-ACK, ACK", #"    h2->>h3: write 9 "xiongchao""#,
        #"    h3->>h2: write 10 "oahcgnoix\n""#, "    h2->>h3: FIN (shutdown SHUT_WR)", "    h3->>h2: FIN (close)",
        #"    h5->>h4: datagram 4 bytes "ping""#,
      ], "\(output.text)")
    #expect(lines.contains("    Note over h1: accept → #3"))
    #expect(lines.contains("    Note over h3: read 0: end of stream"))
  }

  @Test(arguments: [60, 100])
  func theDrawingFitsTheWidthWithBoxesOrASCII(width: Int) {
    let (interpreter, output) = Self.session()
    defer { interpreter.closeAll() }
    for ascii in [false, true] {
      output.clear()
      interpreter.run(line: "timeline --width \(width)" + (ascii ? " --ascii" : ""))
      #expect(output.messages == [])
      let lines = output.text.split(separator: "\n").map(String.init)
      #expect(lines.count > 20)
      for line in lines { #expect(line.count <= width, "\(line.count) > \(width): \(line)") }
      #expect(lines[0].contains("#1 $socket") && lines[0].contains("#3 $spawn"))
      if ascii {
        #expect(output.text.allSatisfy { $0.isASCII || $0 == "→" }, "\(output.text)")
        #expect(lines.contains { $0.contains("---->") } && lines.contains { $0.contains("<----") })
      } else {
        #expect(lines.contains { $0.contains("───▶") } && lines.contains { $0.contains("◀───") })
      }
    }
  }

  @Test func badOptionsAndNoJournalAreOneMessageEach() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "timeline")
    #expect(output.messages.last?.contains("keeps no journal") == true)
    interpreter.journal = Journal()
    interpreter.run(line: "timeline --width 5")
    #expect(output.messages.last?.contains("the width must be from 20 to 1000") == true)
    interpreter.run(line: "timeline --sideways")
    #expect(output.messages.last?.contains("unknown option --sideways") == true)
    output.clear()
    interpreter.run(line: "timeline")
    #expect(output.text == "no socket calls yet: the timeline is empty\n")
  }

  /// Lesson 3 embeds the diagram of its exchange: a check regenerates it and compares, so a
  /// wrong diagram fails the lesson (run by the binary: the transcript's fds are a fresh process's).
  @Test func aLessonsDiagramIsCheckedAgainstTheCallsItMade() throws {
    let path = Paths.packageRoot.appendingPathComponent("lessons/03-reverse-one-session.md").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("```mermaid\nsequenceDiagram\n"))
    let passing = try runProcess(Paths.sockshell, ["lesson", "--check", path], timeout: 60)
    #expect(passing.status == 0, "\(passing.stdout)")
    let wrong = text.replacingOccurrences(of: "h2->>h3: write 9", with: "h3->>h2: write 9")
    #expect(wrong != text)
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("diagram-\(getpid()).md").path
    try wrong.write(toFile: copy, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let failing = try runProcess(Paths.sockshell, ["lesson", "--check", copy], timeout: 60)
    #expect(failing.status == 1)
    #expect(failing.stdout.contains("@@ sockshell> timeline --mermaid @@"), "\(failing.stdout)")
    #expect(failing.stdout.contains("+    h2->>h3: write 9"))
  }

  /// A close with data still unread, or after SO_LINGER 0, aborts the connection: the diagram
  /// shows RST, not FIN.
  @Test func closeWithUnreadDataOrLingerZeroIsAnRST() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.journal = Journal()
    let port = freePort()
    runLines(
      interpreter, output,
      [
        "$l = create inet stream", "bind $l 127.0.0.1 \(port)", "listen $l 3",
        "$c = create inet stream", "connect $c 127.0.0.1 \(port)", "$s = accept $l",
        #"write $c "unread""#, "close $s",
        "$d = create inet stream", "connect $d 127.0.0.1 \(port)", "$t = accept $l",
        "set_option $t SOL_SOCKET SO_LINGER [1, 0]", "close $t",
      ], allowErrors: true)
    output.clear()
    interpreter.run(line: "timeline --mermaid")
    #expect(output.text.contains("    h3->>h2: RST (close with 6 bytes unread)\n"), "\(output.text)")
    #expect(output.text.contains("    h5->>h4: RST (close with SO_LINGER 0)\n"), "\(output.text)")
    #expect(!output.text.contains("FIN"))
  }

  /// On a terminal the drawing is in colour (data green, FIN yellow, RST red); never in a pipe or
  /// with --ascii.
  @Test func colourOnlyWhereTheOutputHasIt() {
    let (interpreter, output) = Self.session()
    defer { interpreter.closeAll() }
    interpreter.run(line: "timeline --width 100")
    #expect(!output.text.contains("\u{1B}["))
    interpreter.colour = true
    output.clear()
    interpreter.run(line: "timeline --width 100")
    #expect(output.text.contains("\u{1B}[32m"), "data in green")
    #expect(output.text.contains("\u{1B}[33m"), "a FIN in yellow")
    output.clear()
    interpreter.run(line: "timeline --width 100 --ascii")
    #expect(!output.text.contains("\u{1B}["))
  }

  /// At a terminal the drawing fits the terminal's own width, without --width.
  @Test(arguments: [60 as UInt16, 100])
  func atATerminalTheDrawingFitsItsWidth(columns: UInt16) throws {
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment(), columns: columns)
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    terminal.type("$pair = create_pair AF_UNIX SOCK_STREAM 0\r")
    terminal.type("write $pair[0] \"a long enough message to be cut\"\r")
    terminal.type("read $pair[1] 100\r")
    terminal.type("timeline\r")
    #expect(terminal.waitFor("read 31"), "\(terminal.text)")
    terminal.type("quit\r")
    _ = terminal.waitForExit()
    // The drawing's lines (the test's environment has NO_COLOR: no colour codes among them).
    // A terminal ends its lines with CR LF, which Swift counts as one Character.
    let lines = terminal.text.components(separatedBy: "\r\n")
      .filter { $0.contains("│") && !$0.contains("\u{1B}") }
    #expect(lines.count >= 3, "\(terminal.text.debugDescription)")
    for line in lines { #expect(line.count <= Int(columns), "\(line.count) > \(columns): \(line)") }
    #expect(lines.contains { $0.count > Int(columns) - 15 }, "the drawing uses the width it has")
  }

  /// Under --wire the diagram's arrows are the segments the wire saw, each after the call that
  /// caused it; what the calls meant becomes notes. (The script keeps a journal with --export.)
  @Test func onTheWireTheArrowsAreTheRealSegments() throws {
    let script = """
      $s = create inet stream
      bind $s 127.0.0.1 5353
      listen $s 3
      $c = create inet stream
      connect $c 127.0.0.1 5353
      $a = accept $s
      write $c "hello"
      read $a 100
      close $c
      close $a
      timeline --mermaid

      """
    let program = FileManager.default.temporaryDirectory.appendingPathComponent("wire-\(getpid()).c").path
    defer { try? FileManager.default.removeItem(atPath: program) }
    let result = try runSockshell(script, arguments: ["--wire", "--export", "c", "--export-to", program])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: "sequenceDiagram") else {
      Issue.record("no diagram: \(result.stdout)\(result.stderr)")
      return
    }
    let diagram = Array(lines[start...])
    let handshake = ["    h2->>h1: [S]", "    h1->>h2: [S.]", "    h2->>h1: [.]"]
    guard let syn = diagram.firstIndex(of: handshake[0]) else {
      Issue.record("no SYN: \(diagram)")
      return
    }
    #expect(Array(diagram[syn..<(syn + 3)]) == handshake)
    #expect(diagram[syn - 1] == "    Note over h2: connect: SYN, SYN-ACK, ACK", "the call first, then its segments")
    #expect(diagram.contains("    h2->>h3: [P.] 5 bytes"))
    #expect(diagram.contains("    h2->>h3: [F.]") && diagram.contains("    h3->>h2: [F.]"))
    #expect(!diagram.contains { $0.contains("->>") && !$0.contains("[") }, "only segments are arrows")
  }
}
