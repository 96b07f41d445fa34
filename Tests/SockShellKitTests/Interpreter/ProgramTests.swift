import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// PHP files parsed whole as programs (statements spanning lines, blocks, loops), run by
/// `sockshell -q FILE` and by `php FILE`: the two must print the same.
@Suite struct ProgramTests {
  static let php = Paths.which("php")

  /// Writes `source` to a fresh folder as NAME and runs it with `program` (and its arguments).
  func run(_ source: String, named name: String, with program: [String], arguments: [String] = []) throws
    -> ProcessResult
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-program-\(getpid())-\(name)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent(name).path
    try source.write(toFile: file, atomically: false, encoding: .utf8)
    return try runProcess(program[0], Array(program.dropFirst()) + [file] + arguments)
  }

  /// Runs the source under `sockshell -q` and under php, and expects the same output.
  func expectSameAsPHP(_ source: String, named name: String, arguments: [String] = []) throws {
    let sockshell = try run(source, named: name, with: [Paths.sockshell, "-q"], arguments: arguments)
    let reference = try run(source, named: name, with: [Self.php!], arguments: arguments)
    #expect(sockshell.stdout == reference.stdout, "\(sockshell.stderr)")
    #expect(sockshell.status == reference.status, "\(sockshell.stderr)")
    #expect(sockshell.stderr == "")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func nestedLoopsWithBreakTwoAndContinuePrintWhatPHPPrints() throws {
    try expectSameAsPHP(
      """
      <?php
      $n = 0;
      while (true) {
        $m = 0;
        do {
          $m++;
          if ($m == 2) continue;
          if ($n == 2 && $m == 3) break 2;
          echo $n . "." . $m . "\\n";
        } while ($m < 4);
        $n++;
      }
      echo "after ", $n, "\\n";
      """, named: "loops.php")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func forWithCommaListsAndIfChainsPrintWhatPHPPrints() throws {
    try expectSameAsPHP(
      """
      <?php
      for ($i = 0, $j = 10; $i < 6; $i++, $j -= 2) {
        if ($i == 1) {
          continue;
        } elseif ($i == 3) {
          echo "three\\n";
        } else if ($i == 4)
          echo "four ", $j, "\\n";
        else {
          echo "i=" . $i . " j=" . $j . "\\n";
        }
      }
      for (;;) { break; }
      $k = 0;
      for (; $k < 3;) $k++;
      print "k=" . $k . "\\n";
      """, named: "for.php")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func foreachWithKeysAndTextOutsideTheTagsPrintWhatPHPPrints() throws {
    try expectSameAsPHP(
      """
      <?php
      $list = ["a", "b", "c"];
      foreach ($list as $key => $value) {
        echo $key, ":", $value, "\\n";
      }
      foreach ($list as $value)
        foreach ([1, 2] as $inner) {
          /* a comment
             over lines */
          if ($inner == 2) continue 2;
          echo $value . $inner . "\\n"; # another
        }
      ?>
      text between
      <?php
      echo "end\\n";
      exit(3);
      """, named: "foreach.php")
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func aLoopCreatesAndClosesAHundredSockets() throws {
    let source = """
      <?php
      $sockets = [];
      for ($i = 0; $i < 100; $i++) {
        $sockets[] = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
      }
      foreach ($sockets as $s) {
        socket_close($s);
      }
      echo count($sockets), " created and closed\\n";
      """
    try expectSameAsPHP(source, named: "hundred.php")
    // Without -q every call of every pass is echoed.
    let echoed = try run(source, named: "hundred.php", with: [Paths.sockshell])
    #expect(echoed.status == 0)
    let lines = echoed.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("socket(AF_INET") }.count == 100)
    #expect(lines.filter { $0.hasPrefix("close(") }.count == 100)
  }

  /// `while ($out = socket_read(…))` reads until the peer closes, as the manual's client does.
  func readUntilThePeerCloses(_ program: [String]) throws -> ProcessResult {
    let server = try python(PythonPeerTests.reversingServer)
    let port = server.readLine().trimmingCharacters(in: .whitespacesAndNewlines)
    let result = try run(
      """
      <?php
      $socket = socket_create(AF_INET, SOCK_STREAM, SOL_TCP) or die("no socket\\n");
      socket_connect($socket, "127.0.0.1", (int) $argv[1]) or die("no connection\\n");
      socket_write($socket, "xiongchao", 9);
      $reply = "";
      while ($out = socket_read($socket, 2048)) {
        $reply .= $out;
      }
      socket_close($socket);
      echo "reply: " . $reply;
      """, named: "client.php", with: program, arguments: [port])
    _ = server.finish()
    return result
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func aClientLoopReadsUntilThePeerClosesAsPHPDoes() throws {
    let sockshell = try readUntilThePeerCloses([Paths.sockshell, "-q"])
    let reference = try readUntilThePeerCloses([Self.php!])
    #expect(sockshell.status == 0, "\(sockshell.stderr)")
    #expect(sockshell.stdout == "reply: oahcgnoix\n")
    #expect(sockshell.stdout == reference.stdout)
  }

  @Test func aParseErrorInsideABlockNamesItsLineAndNothingRuns() throws {
    let result = try run(
      "<?php\necho \"never\\n\";\nwhile (true) {\n  if (1) {\n    echo 1\n    echo 2;\n  }\n}\n",
      named: "broken.php", with: [Paths.sockshell, "-q"])
    #expect(result.status == 255)
    #expect(result.stdout == "")
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines.first?.hasPrefix("sockshell: ") == true && lines.first?.contains("broken.php:6:5: ") == true,
      "\(result.stderr)")
    #expect(lines.count > 2 && lines[1] == "        echo 2;" && lines[2] == "        ^")
  }

  @Test func breakOutOfMoreLoopsThanThereAreIsPHPsCompileError() throws {
    let result = try run(
      "<?php\nwhile (true) {\n  break 2;\n}\n", named: "levels.php", with: [Paths.sockshell, "-q"])
    #expect(result.status == 255)
    #expect(result.stderr.contains("levels.php:3:3: Cannot 'break' 2 levels"), "\(result.stderr)")
  }

  @Test func setTimeLimitStopsAnEmptyEndlessLoop() throws {
    let result = try run(
      "<?php\nset_time_limit(1);\nwhile (true) {}\necho \"never\\n\";\n", named: "forever.php",
      with: [Paths.sockshell, "-q"])
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr.contains("the time limit set by set_time_limit() ran out"), "\(result.stderr)")
  }

  @Test func blocksNestedBeyondTheParsersBoundAreRefusedNotRecursedInto() throws {
    let depth = Parser.maximumDepth + 5
    let source =
      "<?php\n" + String(repeating: "{", count: depth) + String(repeating: "}", count: depth) + "\n"
    let result = try run(source, named: "deep.php", with: [Paths.sockshell, "-q"])
    #expect(result.status == 255)
    #expect(result.stderr.contains("nested more than"), "\(result.stderr)")
  }

  @Test func aProgramParsesWholeWithStatementsSpanningLines() throws {
    let code = PHPProgram.parse(
      file: Array("<?php\n$x =\n  1 +\n  2;\nif ($x == 3) {\n  echo $x;\n}\n".utf8),
      commands: CommandTable.standard)
    guard case .success(let program)? = code else {
      Issue.record("did not parse: \(String(describing: code))")
      return
    }
    #expect(program.statements.count == 2)
    guard case .simple(_, let line) = program.statements[0] else {
      Issue.record("not a simple statement")
      return
    }
    #expect(line == 2)
    #expect(PHPProgram.parse(file: Array("$x = 1\n".utf8), commands: CommandTable.standard) == nil)
  }
}
