import Testing

@testable import SockShellKit

/// `switch` as PHP runs it: `==` against each case in order, fall-through, `default` anywhere,
/// `break` and `continue` counting the switch as a loop, and PHP's compile-time errors.
@Suite struct SwitchTests {
  func output(_ body: String) -> String {
    let run = InProcessProgram("<?php\n" + body)
    #expect(run.messages == [])
    return run.text
  }

  @Test func theFirstEqualCaseRunsAndFallsThroughToABreak() {
    #expect(
      output(
        """
        foreach ([1, 2, 3, 4] as $n) {
          switch ($n) {
            case 1: echo "one ";
            case 2: echo "one-or-two "; break;
            case 3;
            case 4: echo "three-or-four ";
          }
          echo "| ";
        }
        """) == "one one-or-two | one-or-two | three-or-four | three-or-four | ")
  }

  @Test func defaultRunsWhenNoCaseMatchesWhereverItStands() {
    let program = """
      foreach ([1, 5, 2] as $n) {
        switch ($n) {
          case 1: echo "one ";
          default: echo "default ";
          case 2: echo "two "; break;
          case 3: echo "three ";
        }
      }
      switch (9) { case 1: echo "no"; }
      switch (9) { }
      echo "end";
      """
    #expect(output(program) == "one default two default two two end")
  }

  @Test func casesCompareLooselyWithPHP8sRules() {
    #expect(output(#"switch ("1e1") { case 10: echo "ten"; break; default: echo "other"; }"#) == "ten")
    #expect(output(#"switch ("abc") { case 0: echo "zero"; break; case "abc": echo "abc"; }"#) == "abc")
    #expect(output(#"switch (0) { case "a": echo "a"; break; case "0": echo "zero"; }"#) == "zero")
    #expect(output(#"switch (null) { case false: echo "false"; break; case null: echo "null"; }"#) == "false")
    #expect(output(#"switch ("1") { case 1.0: echo "float"; break; case "1": echo "string"; }"#) == "float")
    #expect(output(#"switch (" 1") { case "1": echo "numeric"; break; default: echo "no"; }"#) == "numeric")
  }

  @Test func theSubjectIsEvaluatedOnceAndTheCasesOnlyUntilOneMatches() {
    #expect(
      output(
        """
        function f($x) { echo "f$x "; return $x; }
        switch (f(2)) { case f(1): echo "one "; case f(2): echo "two "; case f(3): echo "three"; }
        """) == "f2 f1 f2 two three")
  }

  @Test func breakTwoLeavesTheLoopAndContinueTwoGoesOnWithIt() {
    #expect(
      output(
        """
        for ($i = 0; $i < 5; $i++) {
          switch ($i) {
            case 1: continue 2;
            case 3: break 2;
          }
          echo $i;
        }
        echo " after";
        """) == "02 after")
  }

  @Test func continueInsideASwitchActsAsBreakWithPHPsWarning() {
    let run = InProcessProgram(
      """
      <?php
      for ($i = 0; $i < 3; $i++) {
        switch ($i) { case 1: continue; default: echo "i$i "; }
        echo "after$i ";
      }
      switch (1) { case 1: continue; }
      for ($k = 0; $k < 2; $k++) { switch (1) { case 1: while (true) { switch (2) { default: continue 3; } } } }
      echo "done";
      """)
    #expect(run.text == "i0 after0 after1 i2 after2 done")
    #expect(
      run.messages == [
        #"sockshell: line 3: warning: "continue" targeting switch is equivalent to "break". Did you mean to use "continue 2"?"#,
        #"sockshell: line 6: warning: "continue" targeting switch is equivalent to "break""#,
        #"sockshell: line 7: warning: "continue 3" targeting switch is equivalent to "break 3". Did you mean to use "continue 4"?"#,
      ])
  }

  @Test func returnAndExitLeaveASwitchInsideAFunction() {
    #expect(
      output(
        """
        function name($type) {
          switch ($type) {
            case SOCK_STREAM: return "stream";
            case SOCK_DGRAM: return "datagram";
          }
          return "other";
        }
        echo name(SOCK_STREAM), " ", name(SOCK_DGRAM), " ", name(99), "\\n";
        switch (1) { case 1: exit("bye\\n"); }
        echo "never";
        """) == "stream datagram other\nbye\n")
  }

  @Test func theAlternativeSyntaxAndNestedSwitches() {
    #expect(
      output(
        """
        switch (2):
          case 1: echo "one";
          case 2:
            switch ("x") { case "x": echo "in "; break 2; }
            echo "never";
        endswitch;
        echo "out";
        """) == "in out")
  }

  @Test func malformedSwitchesArePHPsErrors() {
    func error(_ body: String) -> String? { InProcessProgram.parseError("<?php\n" + body)?.message }
    #expect(
      error("switch (1) { default: echo 1; default: echo 2; }")
        == "Switch statements may only contain one default clause")
    #expect(error("switch (1) { echo 1; }") == "expected 'case' or 'default' in the switch, found 'echo'")
    #expect(
      error("switch (1) case 1: echo 1;") == "expected '{' after switch (…) to open its cases, found 'case'")
    #expect(error("switch (1) { case 1 echo 1; }") == "expected ':' after the case's value, found 'echo'")
    #expect(error("switch (1) { case 1: break 2; }") == "Cannot 'break' 2 levels")
    #expect(error("switch 1 { }") == "expected '(' after 'switch', found 1")
    #expect(error("switch (1): case 1: echo 1;") == "'switch (…):' is never closed with 'endswitch;'")
    let unclosed = InProcessProgram.parseError("<?php\n$x = 1;\nswitch ($x) {\n  case 1: echo 1;\n")
    #expect(unclosed?.message == "the switch's '{' is never closed with '}'")
    #expect(unclosed?.line == 3)
  }

  @Test func switchesNestedPastTheParsersBoundAreRefused() {
    let depth = Parser.maximumDepth + 5
    let source =
      "<?php\n" + String(repeating: "switch (1) { case 1: ", count: depth)
      + String(repeating: "}", count: depth)
    #expect(InProcessProgram.parseError(source)?.message.contains("nested more than") == true)
  }

  /// In a sockshell script a line reads `default:` as one word (as it reads `host:port`): it
  /// still starts the default case, after `break` as after any statement.
  @Test func aScriptsDefaultColonStartsTheDefaultCase() throws {
    let script = """
      for ($i = 0; $i < 3; $i++) {
        switch ($i) {
          case 0:
            echo "zero "
            break
          default:
            echo "other "
        }
      }
      echo "\\n"
      """
    let run = try runSockshell(script, arguments: ["-q"])
    #expect(run.stdout == "zero other other \n", "\(run.stdout)\(run.stderr)")
    #expect(run.status == 0)
  }
}
