import Foundation
import Glibc
import Testing

/// `sockshell --wire` at a terminal: what arrives after a call shows before the next prompt.
@Suite struct WireTerminalTests {
  @Test func thePeersDelayedAckShowsBeforeTheNextPrompt() throws {
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(Paths.sockshell, ["--wire"], environment: home.environment())
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    #expect(terminal.text.contains("The wire is on"))
    for line in [
      "$s = create inet stream", "bind $s 127.0.0.1 5353", "listen $s 3", "$c = create inet stream",
      "connect $c 127.0.0.1 5353",
    ] {
      terminal.type(line + "\r")
    }
    #expect(terminal.waitFor("sockshell> ", count: 6), "\(terminal.text)")
    terminal.type("close $c\r")
    #expect(terminal.waitFor("sockshell> ", count: 7), "\(terminal.text)")
    // The listener's end of the connection, never accepted, ACKs the FIN a moment later.
    let afterClose = try #require(terminal.text.range(of: "close(4) = 0"))
    let shown = terminal.text[afterClose.upperBound...]
    let prompt = try #require(shown.range(of: "sockshell> "))
    let segments = shown[..<prompt.lowerBound]
    #expect(segments.contains("#2 > 127.0.0.1."), "\(segments)")
    #expect(segments.contains("Flags [F.]"), "\(segments)")
    #expect(segments.contains("#1 > 127.0.0.1.5353 > 127.0.0.1."), "\(segments)")
    #expect(segments.contains("Flags [.], ack 2, win "), "\(segments)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }
}
