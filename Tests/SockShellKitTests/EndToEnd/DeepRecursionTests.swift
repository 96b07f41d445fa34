import Foundation
import Testing

@testable import SockShellKit

/// A PHP program runs on a thread with a large stack: a learner's recursion goes thousands of
/// calls deep, one that never ends stops with a fatal error instead of a crash, and the
/// set_time_limit watchdog still interrupts a call the program is blocked in.
@Suite struct DeepRecursionTests {
  static let php = ProgramTests.php
  let programs = ProgramTests()

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func recursionThousandsOfCallsDeepPrintsWhatPHPPrints() throws {
    try programs.expectSameAsPHP(
      """
      <?php
      function fact($n) { return $n <= 1 ? 1 : $n * fact($n - 1); }
      function down($n) { if ($n == 0) { return 0; } return 1 + down($n - 1); }
      function nest($depth) { return $depth == 0 ? [] : [nest($depth - 1)]; }
      function depth($list) {
        $deepest = 0;
        foreach ($list as $item) {
          if (is_array($item)) {
            $d = depth($item);
            if ($d > $deepest) { $deepest = $d; }
          }
        }
        return $deepest + 1;
      }
      echo fact(20), " ", fact(200), "\\n";
      echo down(\(Interpreter.maximumCallDepth - 1)), "\\n";
      echo depth(nest(60)), "\\n";
      """, named: "recursion.php")
  }

  @Test func recursionThatNeverEndsStopsWithAFatalErrorNotACrash() throws {
    let result = try programs.run(
      "<?php\nfunction f($n) { return f($n + 1); }\necho \"start\\n\";\nf(0);\necho \"never\\n\";\n",
      named: "forever.php", with: [Paths.sockshell, "-q"])
    #expect(result.status == 255)
    #expect(result.stdout == "start\n")
    #expect(
      result.stderr.contains(
        "line 2: functions call each other more than \(Interpreter.maximumCallDepth) deep"),
      "\(result.stderr)")
  }

  @Test func theRecursionBoundHoldsInProcessToo() {
    let run = InProcessProgram(
      """
      <?php
      function down($n) { return $n == 0 ? 0 : 1 + down($n - 1); }
      echo down(3000), "\\n";
      down(\(Interpreter.maximumCallDepth + 1));
      echo "never";
      """)
    #expect(run.text == "3000\n")
    #expect(run.status == 255)
    #expect(run.messages.first?.contains("more than \(Interpreter.maximumCallDepth) deep") == true)
  }

  @Test func aRecursionTypedInTheShellStopsWhereTheShellsStackEndsAndSaysSo() throws {
    let result = try runSockshell(
      "function f($n) { return $n == 0 ? 0 : 1 + f($n - 1); }\necho f(20), \"\\n\";\necho f(4000);\n")
    #expect(result.stdout.hasPrefix("20\n"))
    #expect(result.status == 255)
    #expect(
      result.stderr.contains(
        "have used up the stack the shell has (a PHP file, run whole, may go \(Interpreter.maximumCallDepth) deep)"
      ),
      "\(result.stderr)")
  }

  @Test func theTimeLimitStillInterruptsACallBlockedInsideAFunction() throws {
    let result = try programs.run(
      """
      <?php
      set_time_limit(1);
      $s = socket_create(AF_INET, SOCK_STREAM, 0);
      socket_bind($s, "127.0.0.1", 0);
      socket_listen($s, 1);
      function wait_for($s, $depth) { return $depth == 0 ? socket_accept($s) : wait_for($s, $depth - 1); }
      var_dump(wait_for($s, 100));
      echo "never\\n";
      """, named: "blocked.php", with: [Paths.sockshell, "-q"])
    #expect(!result.timedOut)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout == "bool(false)\n")
    #expect(result.stderr.contains("the time limit set by set_time_limit() ran out"), "\(result.stderr)")
  }
}
