import Foundation
import Testing
@testable import SockShellKit

/// Control statements and statements that span lines outside PHP files: at a line of the shell,
/// in a paste, a sourced file and a script, run in the same session as the lines around them.
@Suite struct ShellStatementTests {
  @Test func controlStatementsOnOneLineRunAtTheShell() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "for ($i = 0; $i < 3; $i++) { echo $i; }")
    interpreter.run(line: #"$n = 0; while ($n < 2) { $n++; echo "w"; }"#)
    interpreter.run(line: #"if ($n == 2) echo "two"; else echo "not two";"#)
    interpreter.run(line: "foreach ([1, 2] as $k => $v) { echo $k + $v; }")
    interpreter.run(line: "do { $n--; } while ($n > 0);")
    interpreter.run(line: #"{ echo "["; echo "]"; }"#)
    #expect(output.messages == [])
    #expect(output.text == "012wwtwo13[]")
    // The loops ran in the session: their variables are its own.
    #expect(interpreter.variables["i"] == .int(3))
    #expect(interpreter.variables["n"] == .int(0))
  }

  @Test func aFunctionDeclaredOnOneLineIsCalledOnALaterOne() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "function twice($x) { return 2 * $x; }")
    interpreter.run(line: "echo twice(21)")
    interpreter.run(line: "$r = TWICE(5)")
    #expect(output.messages == [])
    #expect(output.text == "42")
    #expect(interpreter.variables["r"] == .int(10))
    // Declared once for the session: a second declaration is PHP's compile error.
    interpreter.run(line: "function twice($y) { return 0; }")
    #expect(
      output.messages == ["sockshell: column 10: Cannot redeclare twice() (declared earlier in this session)"]
    )
  }

  @Test func blocksSpanLinesInAPasteWithCommandFormInside() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(
      text: """
        $count = 0;
        for ($i = 0; $i < 2; $i++) {
          $s = create inet stream;
          close $s;
          $count++;
        }
        echo "made $count\\n"
        """, from: "paste")
    #expect(output.messages == [])
    let socketCalls = output.echoes.filter { $0.hasPrefix("socket(AF_INET, SOCK_STREAM") }
    #expect(socketCalls.count == 2, "\(output.echoes)")
    #expect(output.echoes.filter { $0.hasPrefix("close(") }.count == 2)
    #expect(output.text == "made 2\n")
    #expect(interpreter.handles.open.isEmpty)
  }

  @Test func anIfThenItsElseOnTheNextLineOfAPaste() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(
      text: """
        $x = 0
        if ($x) {
          echo "yes";
        }
        // a comment between the block and its else

        else {
          echo "no";
        }
        if ($x) echo "one"; elseif (!$x) echo "two";
        echo "."
        """, from: "paste")
    #expect(output.messages == [])
    #expect(output.text == "notwo.")
  }

  @Test func bracketsAndStringsLeftOpenGoOnOnTheNextLine() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(
      text: """
        $list = [1,
          2, // the second
          3];
        $text = "two
        lines";
        echo count($list), strlen($text), strtoupper(
          "done")
        """, from: "setup.ss")
    #expect(output.messages == [])
    #expect(output.text == "39DONE")
  }

  @Test func anUnfinishedStatementAtTheEndIsAnErrorNamingItsFirstLine() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(text: "echo 1;\n\n\nwhile (true) {\n  echo 2;", from: "paste")
    #expect(output.text == "1", "nothing of the unfinished statement ran")
    #expect(
      output.messages == [
        "sockshell: paste line 4: this statement is not finished at the end of the paste: "
          + "'{' is never closed with '}'"
      ])
    #expect(interpreter.errorCount == 1)
    // A line on its own cannot be continued.
    output.clear()
    interpreter.run(line: "for ($i = 0; $i < 2; $i++) {")
    #expect(
      output.messages.first?.hasPrefix("sockshell: this statement is not finished at the end of the line")
        == true)
    interpreter.run(line: #"write #1 "no end"#)
    #expect(
      output.messages.last?.hasPrefix("sockshell: this statement is not finished at the end of the line")
        == true)
  }

  @Test func aMistakeInABlockNamesItsLineAndTheLineTheStatementBegan() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(text: "echo 1;\nwhile (false) {\n  echo 2 3;\n  echo 3;\n}\necho 4;", from: "paste")
    #expect(output.messages.count == 1)
    #expect(
      output.messages.first?.hasPrefix("sockshell: paste line 3: column 10: expected ';' to end the statement")
        == true, "\(output.messages)")
    #expect(output.messages.first?.hasSuffix("(in the statement that begins on line 2)") == true)
    #expect(output.text == "14", "the lines after the bad statement still run")
  }

  /// In the shell a statement in a block ends with its line, or before a `}`, as a command typed
  /// at the prompt does: command form needs no `;`. A PHP file keeps PHP's rule.
  @Test func inTheShellALineOrABraceEndsAStatementInABlock() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(
      text: "for ($i = 0; $i < 2; $i++) {\n  $s = create inet stream\n  echo \"made $s \"\n}\nif (true) { close #1 }",
      from: "paste")
    #expect(output.messages == [], "\(output.messages)")
    #expect(output.text == "made #1 made #2 ")
    #expect(output.echoes.filter { $0.hasPrefix("socket(") }.count == 2)
    #expect(output.echoes.filter { $0.hasPrefix("close(") }.count == 1)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("semicolon-\(getpid()).php").path
    try "<?php\nif (true) {\n  echo 1\n}\n".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let php = try runProcess(Paths.sockshell, ["-q", file])
    #expect(php.status == 255)
    #expect(php.stderr.contains("expected ';' to end the statement"), "\(php.stderr)")
  }

  @Test func aRunTimeErrorInABlockNamesItsLine() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(text: "$a = 1;\nif ($a) {\n  echo \"a\";\n  frobnicate(1);\n}", from: "paste")
    #expect(output.messages == ["sockshell: paste line 4: unknown command or function 'frobnicate'"])
  }

  @Test func orDieInALoopAtThePromptAbandonsOnlyThatStatement() {
    let (interpreter, output) = makeInterpreter(interactive: true)
    defer { interpreter.closeAll() }
    interpreter.run(line: #"for ($i = 0; $i < 5; $i++) { echo $i; $ok = $i < 1 or die("stop"); }"#)
    #expect(output.text == "01stop")
    #expect(interpreter.exitStatus == nil)
    // A fatal error in a function ends a program; at the prompt, only the statement typed.
    interpreter.run(line: "function f($a) { return $a; }")
    interpreter.run(line: "echo f()")
    #expect(output.messages.last?.contains("Too few arguments to function f()") == true)
    #expect(interpreter.exitStatus == nil)
    interpreter.run(line: #"echo "still here""#)
    #expect(output.text.hasSuffix("still here"))
  }

  @Test func aStatementThatNeverEndsIsBounded() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let lines = [#"$s = "never closed"#] + Array(repeating: "more", count: PendingStatement.maximumLines + 5)
    interpreter.run(text: lines.joined(separator: "\n"), from: "paste")
    #expect(output.messages.count == 1, "the lines after the bound ran one by one")
    #expect(
      output.messages.first
        == "sockshell: paste line 1: this statement goes on for more than 10000 lines or 1 MiB without ending; "
        + "none of it was run, nor what follows")
    #expect(interpreter.exitStatus == 1, "a script stops there")
  }

  @Test func nestingAcrossLinesMeetsTheParsersBound() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(text: String(repeating: "while (true) {\n", count: 150) + "echo 1;", from: "paste")
    #expect(output.messages.count == 1)
    #expect(output.messages.first?.contains("nested more than 200 deep") == true, "\(output.messages)")
    #expect(output.messages.first?.hasPrefix("sockshell: paste line 101: ") == true, "\(output.messages)")
  }

  @Test func theParserSaysWhenMoreTextCouldFinishALine() {
    func unfinished(_ line: String) -> Bool? {
      let (interpreter, _) = makeInterpreter()
      return interpreter.syntaxError(in: Array(line.utf8)[...])?.unfinished
    }
    #expect(unfinished("socket_create(AF_INET,") == true)
    #expect(unfinished("$a = [1, 2") == true)
    #expect(unfinished(#"echo "open"#) == true)
    #expect(unfinished("if ($x)") == true)
    #expect(unfinished("while (true) {") == true)
    #expect(unfinished("function f($a) {") == true)
    // Finished, or wrong whatever follows.
    #expect(unfinished("for ($i = 0; $i < 2; $i++) { echo $i; }") == nil)
    #expect(unfinished("echo 1 +") == false)
    #expect(unfinished("foo(1 2") == false)
    #expect(unfinished("echo )") == false)
    #expect(unfinished("}") == false)
  }

  /// Over several lines the shell's statements keep command form's own words: handles `#1`,
  /// addresses and options, which a PHP file reads as PHP (`#` a comment there).
  @Test func commandFormWordsKeepTheirMeaningInABlockOverLines() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(
      text: "$s = create inet stream\nif (true) {\n  bind #1 127.0.0.1 0;\n  getsockname #1;\n}\n", from: "paste")
    #expect(output.messages == [], "\(output.messages)")
    // In-process the fd is whatever the test runner left free: the calls are told by their names.
    #expect(output.echoes.contains { $0.hasPrefix("bind(") && $0.contains("sin_port=htons(0)") }, "\(output.echoes)")
    #expect(output.echoes.contains { $0.hasPrefix("getsockname(") })
  }

  /// `or die("…")` ends a sockshell script with status 1 whether it stands on a plain line or
  /// inside a block (a PHP file keeps PHP's 0: ConstructTests).
  @Test func dieEndsAScriptWithOneInsideABlockToo() throws {
    let inBlock = try runSockshell("if (true) { $x = false or die(\"gone\\n\"); }\necho \"never\\n\";\n")
    #expect(inBlock.stdout == "gone\n")
    #expect(inBlock.status == 1)
    let onLine = try runSockshell("$x = false or die(\"gone\\n\");\necho \"never\\n\";\n")
    #expect(onLine.stdout == "gone\n")
    #expect(onLine.status == 1)
  }
}
