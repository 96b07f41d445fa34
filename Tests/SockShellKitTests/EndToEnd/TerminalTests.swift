import Foundation
import Glibc
import Testing

/// The interactive shell under a real pseudo-terminal: what a learner types, what they see.
@Suite struct TerminalTests {
  /// A fresh HOME and XDG_STATE_HOME for each test, so history never touches the real one.
  final class Home {
    let path: String
    init() throws {
      path =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "sockshell-home-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var historyFile: String { path + "/state/sockshell/history" }

    func environment(colour: Bool = false) -> [String: String] {
      var environment = [
        "HOME": path, "XDG_STATE_HOME": path + "/state", "TERM": "xterm", "PATH": "/usr/bin:/bin",
        "SOCKSHELL_LESSONS": Paths.packageRoot.appendingPathComponent("lessons").path,
      ]
      if !colour { environment["NO_COLOR"] = "1" }
      return environment
    }
  }

  func start(_ home: Home, colour: Bool = false) throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment(colour: colour))
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    return terminal
  }

  @Test func aPastedBlockRunsLineByLineAndItsErrorsNameTheirLine() throws {
    let home = try Home()
    let terminal = try start(home)
    // A terminal pastes in brackets; readline takes the block as one line, newlines and all.
    terminal.type("\u{1B}[200~strerror 1\nbogus line\nstrerror 2\u{1B}[201~\r")
    #expect(terminal.waitFor("ENOENT (2)"), "the line after the bad one did not run: \(terminal.text)")
    #expect(terminal.text.contains("EPERM (1)"))
    #expect(terminal.text.contains("sockshell: paste line 2: column 1: unknown command 'bogus'"), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func aPasteStopsAtOrDieAsAScriptDoes() throws {
    let home = try Home()
    let terminal = try start(home)
    let port = freePort()
    terminal.type(
      "\u{1B}[200~$s = socket_create(AF_INET, SOCK_STREAM, 0);\n"
        + "socket_connect($s, \"127.0.0.1\", \(port)) or die(\"Could not connect\\n\");\n"
        + "socket_write($s, \"xiongchao\");\u{1B}[201~\r")
    #expect(terminal.waitFor("Could not connect"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell> ", count: 2))
    #expect(!terminal.text.contains("write(3, "), "the paste went on after or die: \(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func ctrlCInAPasteStopsTheRestOfIt() throws {
    let home = try Home()
    let terminal = try start(home)
    let port = freePort()
    terminal.type(
      "\u{1B}[200~$l = create inet stream; bind $l 127.0.0.1 \(port); listen $l\naccept $l\nstrerror 2\u{1B}[201~\r")
    #expect(terminal.waitFor("is waiting for a connection"), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("stopped by Ctrl-C; the rest was not run"), "\(terminal.text)")
    #expect(terminal.text.contains("EINTR"))
    #expect(!terminal.text.contains("ENOENT"), "the line after the interrupted one ran")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func tabCompletesUpRecallsAndTheHistoryFileKeepsEachLineOnce() throws {
    let home = try Home()
    let terminal = try start(home)
    #expect(terminal.text.contains("`help`"), "the greeting says how to get help")
    #expect(terminal.text.contains("lesson 1"), "the greeting says how to start lesson 1")

    terminal.type("strer\t")
    #expect(terminal.waitFor("strerror "), "Tab did not complete the command: \(terminal.text)")
    terminal.type("ECONNREF\t")
    #expect(terminal.waitFor("ECONNREFUSED "), "Tab did not complete the errno: \(terminal.text)")
    terminal.type("\r")
    #expect(terminal.waitFor("ECONNREFUSED (111): Connection refused"))

    // Up brings the line back; Enter runs it again.
    terminal.type("\u{1B}[A")
    terminal.type("\r")
    #expect(terminal.waitFor("ECONNREFUSED (111): Connection refused", count: 2), "\(terminal.text)")

    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
    let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
    // The repeated line is stored once.
    #expect(history == "strerror ECONNREFUSED\n", "history file: \(history)")

    // The next session starts with that history: Up recalls the previous session's line.
    let again = try start(home)
    again.type("\u{1B}[A")
    again.type("\r")
    #expect(again.waitFor("ECONNREFUSED (111): Connection refused"), "\(again.text)")
    again.type("\u{04}")
    #expect(again.waitForExit() == 0)
  }

  @Test func ctrlCInterruptsABlockedAcceptAndCtrlDClosesTheHandles() throws {
    let home = try Home()
    let terminal = try start(home)
    terminal.type("$s = create inet stream; bind $s 127.0.0.1 0; listen $s\r")
    #expect(terminal.waitFor("listen(3, 0) = 0"))
    terminal.type("accept $s\r")
    // After about a second the shell says what the call is waiting for.
    #expect(terminal.waitFor("accept(3) is waiting for a connection to 127.0.0.1"), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("accept(3, 0x"), "\(terminal.text)")
    #expect(terminal.waitFor("= -1 EINTR (Interrupted system call)"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell> ", count: 3), "no prompt after Ctrl-C: \(terminal.text)")

    // The shell goes on, and the listening socket kept its state.
    terminal.type("handles\r")
    #expect(terminal.waitFor("listening  LISTEN"), "\(terminal.text)")

    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
    #expect(terminal.text.contains("close(3) = 0"), "Ctrl-D did not close the handle: \(terminal.text)")
    #expect(FileManager.default.fileExists(atPath: home.historyFile))
    let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
    #expect(history.hasSuffix("accept $s\nhandles\n"), "history file: \(history)")
  }

  @Test func ctrlCAtThePromptAbandonsTheLine() throws {
    let home = try Home()
    let terminal = try start(home)
    terminal.type("strerror 1")
    // readline has echoed the text, so it has read it: Ctrl-C cannot flush it unread.
    #expect(terminal.waitFor("strerror 1"))
    terminal.type("\u{03}")
    #expect(terminal.waitFor("^C"))
    // Had the line survived, this would run `strerror 111`.
    terminal.type("11\r")
    #expect(terminal.waitFor("=> 11"), "\(terminal.text)")
    #expect(!terminal.text.contains("ECONNREFUSED"))
    terminal.type("quit\r")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func colourOnATerminalUnlessNoColorIsSet() throws {
    let home = try Home()
    let coloured = try start(home, colour: true)
    coloured.type("$s = create inet stream\r")
    #expect(
      coloured.waitFor("\u{1B}[36msocket\u{1B}[0m(AF_INET, SOCK_STREAM, IPPROTO_IP) = \u{1B}[32m3\u{1B}[0m"))
    coloured.type("connect $s 127.0.0.1 1\r")
    #expect(coloured.waitFor("\u{1B}[31m-1 ECONNREFUSED (Connection refused)\u{1B}[0m"), "\(coloured.text)")
    coloured.type("\u{04}")
    #expect(coloured.waitForExit() == 0)

    let plain = try start(home)
    plain.type("$s = create inet stream\r")
    #expect(plain.waitFor("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"))
    plain.type("\u{04}")
    #expect(plain.waitForExit() == 0)
    #expect(!plain.text.contains("\u{1B}[3"), "colour despite NO_COLOR")
  }
}
