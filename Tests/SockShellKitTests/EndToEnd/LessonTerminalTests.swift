import Foundation
import Glibc
import Testing

/// Lessons at a real pseudo-terminal: Ctrl-C while a lesson waits, and `--step` as a learner
/// types into it.
@Suite struct LessonTerminalTests {
  @Test func ctrlCStopsAPlayedLessonAndSockshellExits() throws {
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(
      Paths.sockshell, ["lesson", "1", "--set", "port=\(freePort())"], environment: home.environment())
    #expect(terminal.waitFor("accept(3) is waiting for a connection to 127.0.0.1"), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("= -1 EINTR (Interrupted system call)"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell: lesson 01-reverse-server stopped by Ctrl-C"), "\(terminal.text)")
    // It left the lesson, closing the listening socket, and exited: not killed by SIGINT.
    #expect(terminal.waitForExit() == 130, "\(terminal.text)")
    #expect(terminal.text.contains("close(3) = 0"))
    #expect(!terminal.text.contains("sockshell> $input = socket_read"), "the lesson went on")
  }

  @Test func ctrlCInTheShellsLessonReturnsToThePrompt() throws {
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment())
    #expect(terminal.waitFor("sockshell> "))
    terminal.type("$port = \(freePort()); lesson 1\r")
    #expect(terminal.waitFor("accept(3) is waiting for a connection to 127.0.0.1"), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("= -1 EINTR (Interrupted system call)"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell: lesson 01-reverse-server stopped by Ctrl-C"), "\(terminal.text)")
    #expect(terminal.waitFor("close(3) = 0"))
    // Back at the shell's prompt, which runs the next line; the lesson's steps did not go on.
    terminal.type("strerror 113\r")
    #expect(terminal.waitFor("EHOSTUNREACH (113): No route to host"), "\(terminal.text)")
    #expect(!terminal.text.contains("sockshell> $input = socket_read"), "the lesson went on")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func stepModeEditsWithReadlineAndOffersTheStepAgain() throws {
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(
      Paths.sockshell, ["lesson", "3", "--step", "--set", "port=\(freePort())"],
      environment: home.environment())
    let create = "sockshell> $socket = create AF_INET SOCK_STREAM 0"
    #expect(terminal.waitFor("sockshell> $port ??= 5353"), "\(terminal.text)")
    terminal.type("\r")
    #expect(terminal.waitFor(create), "\(terminal.text)")

    // Tab completes, and the learner's line runs without taking the step's place.
    let shown = terminal.occurrences(of: "handles ")
    terminal.type("handl\t")
    #expect(terminal.waitFor("handles ", count: shown + 1), "Tab did not complete: \(terminal.text)")
    terminal.type("\r")
    #expect(terminal.waitFor("no open handles"), "\(terminal.text)")
    #expect(terminal.waitFor(create, count: 2), "the step was not offered again: \(terminal.text)")

    // The arrows move the cursor: `strerror 13`, Left, `1` is `strerror 113`.
    terminal.type("strerror 13\u{1B}[D1\r")
    #expect(terminal.waitFor("EHOSTUNREACH (113): No route to host"), "\(terminal.text)")
    #expect(terminal.waitFor(create, count: 3), "\(terminal.text)")

    // Enter runs the lesson's own line: its socket, not one replaced by the learner's line.
    terminal.type("\r")
    #expect(terminal.waitFor("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"), "\(terminal.text)")
    terminal.type("skip\r")
    #expect(terminal.waitFor("sockshell> listen $socket 3"), "\(terminal.text)")
    #expect(!terminal.text.contains("bind(3"), "skip ran the step")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0, "\(terminal.text)")
    #expect(terminal.text.contains("close(3) = 0"))
  }
}
