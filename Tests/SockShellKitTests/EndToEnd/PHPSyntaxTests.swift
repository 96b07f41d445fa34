import Foundation
import Testing

@testable import SockShellKit

/// A PHP program using heredoc, nowdoc, switch, print and exit, run by `sockshell -q FILE` and by
/// `php FILE`: the two must print the same and end with the same status.
@Suite struct PHPSyntaxTests {
  static let php = ProgramTests.php
  let programs = ProgramTests()

  static let program = #"""
    <?php
    // A tiny request dispatcher, as a socket server's loop would have one.
    function reply($request) {
      $parts = explode(" ", $request);
      switch (strtoupper($parts[0])) {
        case "PING":
          return "PONG";
        case "ECHO":
        case "SAY":
          return count($parts) > 1 ? $parts[1] : "";
        case "10":
          return "ten (a string case, compared with ==)";
        default:
          return "ERR unknown command {$parts[0]}";
      }
    }

    $requests = ["ping", "echo hello", "say hi", "1e1", "quit", "bogus"];
    foreach ($requests as $i => $request) {
      switch (true) {
        case $request === "quit":
          print "quit seen at $i\n";
          continue 2;
        case strlen($request) > 4:
          echo "long: ";
          // Falls through.
        default:
          echo reply($request), "\n";
      }
    }

    $host = "127.0.0.1";
    $port = 5353;
    $banner = <<<EOT
        Server on $host:$port
          {$requests[1]} \x41\101 "quotes" \$notavar \t|
        EOT;
    echo $banner, "\n";
    echo <<<'RAW'
      nowdoc: $host {$port} \n stays
      RAW . "\n";
    $len = strlen(<<<"X"
      abc
      X);
    $r = print "len=$len print=";
    echo $r, "\n";

    $code = 0;
    for ($n = 0; $n < 10; $n++) {
      switch ($n % 4) {
        case 0: break;
        case 3: break 2;
        default: $code += $n;
      }
    }
    echo "code=$code\n";
    function finish($code) {
      $code > 100 or die($code + 4);
      echo "never\n";
    }
    finish($code);
    echo "never\n";
    """#

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func heredocSwitchPrintAndExitPrintWhatPHPPrints() throws {
    try programs.expectSameAsPHP(Self.program, named: "syntax.php")
    let result = try programs.run(Self.program, named: "syntax.php", with: [Paths.sockshell, "-q"])
    #expect(result.status == 7)
    #expect(result.stdout.hasPrefix("PONG\nlong: hello\nlong: hi\nten (a string case, compared with ==)\n"))
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func continueInASwitchWarnsAsPHPDoesAndBreaks() throws {
    let source = """
      <?php
      for ($i = 0; $i < 3; $i++) {
        switch ($i) {
          case 1:
            continue;
        }
        echo $i, "\\n";
      }
      """
    let sockshell = try programs.run(source, named: "continue.php", with: [Paths.sockshell, "-q"])
    let reference = try programs.run(source, named: "continue.php", with: [Self.php!])
    #expect(sockshell.stdout == reference.stdout)
    #expect(sockshell.stdout == "0\n1\n2\n")
    #expect(sockshell.status == reference.status)
    let warning = #""continue" targeting switch is equivalent to "break". Did you mean to use "continue 2"?"#
    #expect(sockshell.stderr == "sockshell: line 5: warning: \(warning)\n")
    #expect(reference.stderr.contains(warning))
  }

  @Test func aSwitchWithoutBracesAndAHeredocNeverClosedAreParseErrorsThatRunNothing() throws {
    for (name, source, message) in [
      (
        "braces.php", "<?php\necho \"never\\n\";\nswitch (1)\n  case 1: echo 1;\n",
        "braces.php:4:3: expected '{'"
      ),
      (
        "heredoc.php", "<?php\necho \"never\\n\";\n$x = <<<EOT\nabc\n  EO\n",
        "heredoc.php:3:6: heredoc <<<EOT is never"
      ),
    ] {
      let result = try programs.run(source, named: name, with: [Paths.sockshell, "-q"])
      #expect(result.status == 255)
      #expect(result.stdout == "")
      #expect(result.stderr.contains(message), "\(result.stderr)")
    }
  }
}
