import Foundation
import Glibc
import Testing

/// Control statements and blocks outside PHP files, end to end: in a script, and typed at the
/// prompt of a real terminal, where a statement left open goes on under `...> `.
@Suite struct ShellBlockTests {
  @Test func aScriptRunsAWhileWrittenOverSeveralLines() throws {
    let script = try ScriptFileTests.ScriptFile(
      """
      $n = 0
      $s = create inet stream
      while ($n < 3) {
        echo "pass $n\\n";
        $n++;
      }
      getsockopt $s SOL_SOCKET SO_TYPE
      close $s

      """)
    let result = try runProcess(Paths.sockshell, [script.path])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(
      result.stdout.contains("pass 0\npass 1\npass 2\ngetsockopt(3, SOL_SOCKET, SO_TYPE"), "\(result.stdout)")
    #expect(result.stdout.hasSuffix("close(3) = 0\n"))
  }

  @Test func aScriptEndingInsideABlockNamesTheLineItBeganOn() throws {
    let result = try runSockshell("echo \"a\\n\"\nforeach ([1, 2] as $v) {\n  echo $v;\n")
    #expect(result.status == 1)
    #expect(result.stdout == "a\n", "nothing of the unfinished loop ran")
    #expect(
      result.stderr
        == "sockshell: line 2: this statement is not finished at the end of the script: '{' is never closed with '}'\n"
        + "sockshell: 1 statement of this script could not run; exit status 1\n")
  }

  @Test func setTimeLimitStopsARunawayLoopInAScript() throws {
    let start = Date()
    let result = try runSockshell("set_time_limit(1); while (true) {}\necho \"after\\n\"\n")
    let elapsed = Date().timeIntervalSince(start)
    #expect(result.status == 1)
    #expect(result.stdout == "", "the script went on after the limit: \(result.stdout)")
    #expect(
      result.stderr.contains("the time limit set by set_time_limit() ran out; stopping"), "\(result.stderr)")
    #expect(elapsed > 0.9 && elapsed < 8, "stopped after \(elapsed) s")
  }

  @Test func aBlockTypedAtThePromptGoesOnUnderTheContinuationPromptAndIsOneHistoryEntry() throws {
    let home = try TerminalTests.Home()
    let terminal = try TerminalTests().start(home)
    terminal.type("for ($i = 0; $i < 2; $i++) {\r")
    #expect(terminal.waitFor("...> "), "no continuation prompt: \(terminal.text)")
    terminal.type("echo \"<$i>\";\r")
    #expect(terminal.waitFor("...> ", count: 2), "\(terminal.text)")
    #expect(!terminal.text.contains("<0>"), "the loop ran before its block was closed")
    terminal.type("}\r")
    #expect(terminal.waitFor("<0><1>"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell> ", count: 2))
    // Up brings the whole block back, and Enter runs it again.
    terminal.type("\u{1B}[A\r")
    #expect(terminal.waitFor("<0><1>", count: 2), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
    let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
    #expect(history == "for ($i = 0; $i < 2; $i++) {\r\necho \"<$i>\";\r\n}\n", "history file: \(history)")

    // The next session reads the block back whole.
    let again = try TerminalTests().start(home)
    again.type("\u{1B}[A\r")
    #expect(again.waitFor("<0><1>"), "\(again.text)")
    again.type("\u{04}")
    #expect(again.waitForExit() == 0)
  }

  @Test func ctrlCStopsALoopAtThePromptAndTheHandlesSurvive() throws {
    let home = try TerminalTests.Home()
    let terminal = try TerminalTests().start(home)
    terminal.type("$s = create inet stream\r")
    #expect(terminal.waitFor("#1 $s"), "\(terminal.text)")
    terminal.type("while (true) { }\r", settle: 0.5)
    terminal.type("\u{03}")
    #expect(terminal.waitFor("stopped by Ctrl-C; the rest was not run"), "\(terminal.text)")
    #expect(terminal.waitFor("sockshell> ", count: 3), "no prompt after Ctrl-C: \(terminal.text)")
    terminal.type("getsockopt $s SOL_SOCKET SO_TYPE\r")
    #expect(
      terminal.waitFor("getsockopt(3, SOL_SOCKET, SO_TYPE, [SOCK_STREAM], [4]) = 0"), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func ctrlCAtTheContinuationPromptAbandonsTheBlock() throws {
    let home = try TerminalTests.Home()
    let terminal = try TerminalTests().start(home)
    terminal.type("while (true) {\r")
    #expect(terminal.waitFor("...> "), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("sockshell> ", count: 2), "no normal prompt after Ctrl-C: \(terminal.text)")
    // What comes next is a statement of its own, not the body of the abandoned loop.
    terminal.type("echo \"free\\n\"\r")
    #expect(terminal.waitFor("free\r\n"), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }
}
