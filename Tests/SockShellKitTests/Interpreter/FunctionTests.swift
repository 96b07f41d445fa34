import Foundation
import Testing

@testable import SockShellKit

/// Functions declared by a PHP program, run by `sockshell -q FILE` and by `php FILE`: the two
/// must print the same, but for sockshell's own errors.
@Suite struct FunctionTests {
  static let php = ProgramTests.php
  let programs = ProgramTests()

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func recursionDefaultsReferencesGlobalsAndReturnPrintWhatPHPPrints() throws {
    try programs.expectSameAsPHP(
      """
      <?php
      // Called before it is declared: PHP hoists top-level functions.
      echo fact(10), "\\n";
      function fact($n) { if ($n <= 1) { return 1; } return $n * fact($n - 1); }
      function fib($n) { return $n < 2 ? $n : fib($n - 1) + fib($n - 2); }
      function add($a, $b = 10) { return $a + $b; }
      function swap(&$x, &$y) { $t = $x; $x = $y; $y = $t; }
      function bump() { global $count, $other; $count++; $other = "set"; }
      function nothing($a) { if ($a) { return; } echo "went on\\n"; }
      function firstAbove($list, $limit) {
        foreach ($list as $v) { if ($v > $limit) { return $v; } }
        return -1;
      }
      echo fib(15), "\\n";
      echo add(1), " ", add(1, 2), " ", ADD(5, 5, 99), "\\n";
      $p = 1;
      $q = 2;
      swap($p, $q);
      echo $p, " ", $q, "\\n";
      $count = 5;
      bump();
      bump();
      echo $count, " ", $other, "\\n";
      var_dump(nothing(true));
      nothing(false);
      echo firstAbove([1, 5, 9], 4), " ", firstAbove([1], 4), "\\n";
      $n = 3;
      function local() { $n = 100; return $n; }
      echo local(), " ", $n, "\\n";
      """, named: "functions.php")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func aFunctionCreatesUsesAndClosesASocketAndEachCallIsEchoed() throws {
    let source = """
      <?php
      function open_and_close($type) {
        $s = socket_create(AF_INET, $type, 0);
        $ok = socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);
        socket_close($s);
        return $ok;
      }
      var_dump(open_and_close(SOCK_STREAM));
      var_dump(open_and_close(SOCK_DGRAM));
      """
    try programs.expectSameAsPHP(source, named: "socketfn.php")
    let echoed = try programs.run(source, named: "socketfn.php", with: [Paths.sockshell])
    #expect(echoed.stdout.components(separatedBy: "socket(AF_INET").count == 3, "\(echoed.stdout)")
    #expect(echoed.stdout.components(separatedBy: "close(").count == 3, "\(echoed.stdout)")
  }

  @Test func tooFewArgumentsEndsTheProgramAsPHPsArgumentCountError() throws {
    let result = try programs.run(
      "<?php\necho \"start\\n\";\nfunction f($a, $b = 2) { return $a + $b; }\necho f();\necho \"never\\n\";\n",
      named: "few.php", with: [Paths.sockshell, "-q"])
    #expect(result.stdout == "start\n")
    #expect(result.status == 255)
    #expect(
      result.stderr.contains(
        "line 4: Too few arguments to function f(), 0 passed on line 4 and at least 1 expected"), "\(result.stderr)")
  }

  @Test func redeclaringACommandOrAFunctionIsACompileError() throws {
    let command = try programs.run(
      "<?php\necho 1;\nfunction strlen($s) { return 1; }\n", named: "command.php", with: [Paths.sockshell, "-q"])
    #expect(command.stdout == "")
    #expect(command.stderr.contains("command.php:3:10: Cannot redeclare strlen()"), "\(command.stderr)")
    let twice = try programs.run(
      "<?php\necho 1;\nfunction f() {}\nfunction F() {}\n", named: "twice.php", with: [Paths.sockshell, "-q"])
    #expect(twice.stdout == "")
    #expect(
      twice.stderr.contains("twice.php:4:10: Cannot redeclare F() (previously declared on line 3)"),
      "\(twice.stderr)")
  }

  @Test func recursionPastTheBoundStopsWithAClearErrorNotACrash() throws {
    let plain = try programs.run(
      """
      <?php
      function down($n) { return $n == 0 ? 0 : 1 + down($n - 1); }
      echo down(\(Interpreter.maximumCallDepth - 1)), "\\n";
      echo down(100000), "\\n";
      echo "never\\n";
      """, named: "deep.php", with: [Paths.sockshell, "-q"])
    #expect(plain.stdout == "\(Interpreter.maximumCallDepth - 1)\n")
    #expect(plain.status == 255)
    #expect(
      plain.stderr.contains("line 2: functions call each other more than \(Interpreter.maximumCallDepth) deep"),
      "\(plain.stderr)")
    // Blocks nested around the call cost stack too: the stack check stops it first.
    let open = String(repeating: "if (true) { ", count: 90)
    let close = String(repeating: "} ", count: 90)
    let nested = try programs.run(
      "<?php\nfunction down($n) { \(open) return $n == 0 ? 0 : 1 + down($n - 1); \(close) }\necho down(100000);\n",
      named: "nested.php", with: [Paths.sockshell, "-q"])
    #expect(nested.status == 255, "\(nested.stderr)")
    #expect(nested.stderr.contains("deep and have used up the stack"), "\(nested.stderr)")
  }
}
