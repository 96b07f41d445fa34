import Testing

@testable import SockShellKit

/// `print`, a construct worth 1 with PHP's precedence, and `exit`/`die`, which end a program
/// from anywhere (a statement, an expression, a function) with PHP's status and message.
@Suite struct ConstructTests {
  static let php = ProgramTests.php

  func parse(_ line: String) throws -> [Statement] {
    try Parser.parse(line, commands: CommandTable.standard)
  }

  @Test func printIsAnExpressionWhoseOperandStopsBeforeAnd() throws {
    let assigned = try parse(#"$r = print "x""#)
    #expect(
      assigned.first?.kind
        == .assign(name: "r", .print(.literal(.string("x")), column: 6), onlyIfUnset: false))
    guard
      case .expression(.logical(.and, .print(let item, _), .call(let name, _, _), _))? = try parse(
        #"print "a" . "b" and f()"#
      ).first?.kind
    else {
      Issue.record("not (print \"a\" . \"b\") and f()")
      return
    }
    #expect(item == .concat([.literal(.string("a")), .literal(.string("b"))]))
    #expect(name == "f")
    // A print that is the whole statement is an echo: the shell shows no `=> 1` after it.
    #expect(try parse(#"print("x")"#).first?.kind == .echo([.literal(.string("x"))]))
  }

  @Test func printWritesAndIsWorthOne() {
    let run = InProcessProgram(
      """
      <?php
      $r = print "x\\n";
      echo $r, "\\n";
      print("a") . print("b");
      echo "\\n", print "z", "\\n";
      print "c" and print "d";
      $n = 1 + print "e";
      echo "\\n$n\\n";
      print $m = 6;
      echo "\\n";
      """)
    #expect(run.text == "x\n1\nba1\nz1\ncde\n2\n6\n")
    #expect(run.messages == [])
  }

  @Test func printTakesOneOperandAndNeedsOne() {
    #expect(InProcessProgram.parseError("<?php\nprint \"a\", \"b\";\n")?.column == 10)
    #expect(InProcessProgram.parseError("<?php\nprint;\n")?.message == "expected a value, found ';'")
  }

  @Test func printAtThePromptShowsItsTextAndSetsAVariableToOne() {
    let (interpreter, output) = makeInterpreter(interactive: true)
    interpreter.run(line: #"print "hi\n"; $r = print "x"; var_dump($r)"#)
    #expect(output.text == "hi\nxint(1)\n")
    #expect(output.messages == [])
  }

  @Test func exitWithAnIntegerIsTheStatusAndWithAnythingElseIsPrinted() {
    #expect(InProcessProgram("<?php\necho \"a\";\nexit(3);\necho \"b\";\n").status == 3)
    #expect(InProcessProgram("<?php\nexit(256 + 7);\n").status == 7)
    #expect(InProcessProgram("<?php\nexit(-1);\n").status == 255)
    let message = InProcessProgram("<?php\ndie(\"bye\\n\");\necho \"b\";\n")
    #expect(message.text == "bye\n")
    #expect(message.status == 0)
    let bare = InProcessProgram("<?php\necho 1;\nexit;\necho 2;\n")
    #expect(bare.text == "1")
    #expect(bare.status == 0)
    #expect(InProcessProgram("<?php\ndie();\necho 2;\n").text == "")
  }

  @Test func orDieInAProgramIsPHPsExitNotTheShellsFailure() {
    let number = InProcessProgram("<?php\n$x = false or die(4);\necho \"no\";\n")
    #expect(number.status == 4)
    #expect(number.text == "")
    let message = InProcessProgram("<?php\n$x = false or die(\"dead\\n\");\necho \"no\";\n")
    #expect(message.status == 0)
    #expect(message.text == "dead\n")
    let kept = InProcessProgram("<?php\n$x = 5 or die(\"dead\\n\");\nvar_dump($x);\n")
    #expect(kept.text == "int(5)\n")
    #expect(kept.status == nil)
  }

  @Test func exitInsideAnExpressionOrAFunctionEndsEverything() {
    let run = InProcessProgram(
      """
      <?php
      function check($ok) { $ok || exit("failed in check\\n"); echo "checked\\n"; return 1; }
      check(true);
      while (true) {
        $x = check(false) + 1;
        echo "never\\n";
      }
      echo "never\\n";
      """)
    #expect(run.text == "checked\nfailed in check\n")
    #expect(run.status == 0)
    #expect(run.messages == [])
    #expect(InProcessProgram("<?php\n$v = null;\n$v ?: die(2);\n").status == 2)
    // Nothing after the exit runs, not even the rest of its statement.
    #expect(InProcessProgram("<?php\necho 1, exit(\"bye\\n\"), print \"never\";\n").text == "1bye\n")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func exitAndDieEndWithPHPsStatusAndOutput() throws {
    let programs = ProgramTests()
    for (name, source) in [
      ("status.php", "<?php\necho \"a\\n\";\nexit(3);\n"),
      ("message.php", "<?php\necho \"a\\n\";\ndie(\"bye\\n\");\necho \"b\";\n"),
      ("ordie.php", "<?php\nfunction f() { return false; }\nf() or die(4);\necho \"no\";\n"),
      ("ormessage.php", "<?php\n$x = false or die(\"dead\\n\");\necho \"no\";\n"),
      ("nested.php", "<?php\nfunction g() { exit(\"in g\\n\"); }\nfor (;;) { $x = g(); }\n"),
      ("print.php", "<?php\n$r = print \"x\\n\";\necho $r, print \"y\", \"\\n\";\nexit(2);\n"),
    ] {
      try programs.expectSameAsPHP(source, named: name)
    }
  }
}
