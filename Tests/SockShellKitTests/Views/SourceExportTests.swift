import Foundation
import Testing

@testable import SockShellKit

/// `--export` of a script with loops, conditions and functions: the program keeps them (it is
/// not the run's calls unrolled), makes the calls the run's echo showed, in the same order and
/// with the same results, and prints what the script printed. Where a language cannot say a
/// construct, the export says which and where, and falls back to the run's calls.
@Suite(.serialized) struct SourceExportTests {
  typealias Language = ExportStraceTests.Language
  let strace = ExportStraceTests()

  static func fixture(_ name: String) -> String {
    Paths.packageRoot.appendingPathComponent("Tests/Fixtures/export/\(name).ss").path
  }

  /// loops.ss: TCP, a function called in a for loop, a read loop to the end of the stream, an
  /// if/else, do/while, a refused connect reported with strerror. udp.ss: datagrams in a loop,
  /// recvfrom and sendto in both argument orders, recv, a send that fails (EDESTADDRREQ).
  @Test(
    .enabled(if: Paths.which("strace") != nil, "strace is not installed"),
    arguments: ["loops", "udp"], Language.allCases)
  func loopsAndFunctionsMakeTheScriptsCalls(fixture name: String, language: Language) throws {
    let fixture = SourceExportTests.fixture(name)
    guard Paths.which(language.tool) != nil else {
      print("skipped: \(language.tool) is not installed")
      return
    }
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let program = "\(directory)/\(name).\(language.fileExtension)"
    let run = try runProcess(Paths.sockshell, ["--export", language.rawValue, "--export-to", program, fixture])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("its loops and functions kept"), "\(run.stderr)")
    let text = try String(contentsOfFile: program, encoding: .utf8)

    // Kept, not unrolled: the loop is there once, and five sockets are made by three calls.
    let shapes: [Language: (loop: String, function: String, socket: String)] = [
      .c: ("for (i = 1; i <= 3; i++) {", "static bytes exchange(long server, bytes host, long port, bytes message)", "socket(AF_INET"),
      .python: ("while i <= 3:", "def exchange(server, host, port, message):", "socket.socket,"),
      .php: ("for ($i = 1; $i <= 3; $i++) {", "function exchange($server, $host, $port, $message)", "socket_create("),
    ]
    let echoed = run.stdout.split(separator: "\n").compactMap { ExportStraceTests.parse($0) }
    if name == "loops" {
      let shape = shapes[language]!
      #expect(text.contains(shape.loop), "\(text)")
      #expect(text.contains(shape.function), "\(text)")
      #expect(text.components(separatedBy: shape.socket).count - 1 == 3, "\(text)")
      #expect(text.contains("while"), "the read loop:\n\(text)")
      #expect(echoed.filter { $0.name == "socket" }.count == 5, "\(run.stdout)")
    } else {
      // Six datagrams sent by two sendto in the text.
      #expect(echoed.filter { $0.name == "sendto" }.count == 6, "\(run.stdout)")
      let sendto = [Language.c: "checked(\"sendto\"", .python: ".sendto,", .php: "socket_sendto("][language]!
      #expect(text.components(separatedBy: sendto).count - 1 == 2, "\(text)")
    }
    let seen = try strace.trace(program, language: language, in: directory)
    strace.compare(echoed, seen, port: nil, language: language, program: program)

    // What it prints is what the script prints.
    let quiet = try runProcess(Paths.sockshell, ["-q", fixture])
    let command = language == .c ? "\(directory)/program" : Paths.which(language.tool)!
    let ran = try runProcess(command, language == .c ? [] : [program])
    #expect(ran.status == 0, "\(ran.stderr)")
    #expect(ran.stdout == quiet.stdout, "\(language) printed:\n\(ran.stdout)\nthe script:\n\(quiet.stdout)")
    #expect(
      quiet.stdout.contains(name == "loops" ? "3: ABABAB3\n" : "6: PING 3\n")
        && quiet.stdout.contains(name == "loops" ? "refused after 2 tries" : "send: Destination address required"),
      "\(quiet.stdout)")
  }

  /// A construct a language has no spelling for here: the export names it and its line, and
  /// writes the run's calls instead, as a program that still builds; a language that has it keeps
  /// the loop.
  @Test func aConstructALanguageCannotSayFallsBackToTheCalls() throws {
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let script = "\(directory)/pairs.ss"
    try """
      $pairs = []
      for ($i = 0; $i < 2; $i++) {
        $pairs[] = socketpair(AF_UNIX, SOCK_STREAM, 0)
      }
      foreach ($pairs as $pair) {
        write $pair[0] "x"
        close $pair[0]
        close $pair[1]
      }
      """.write(toFile: script, atomically: true, encoding: .utf8)
    let c = try runProcess(Paths.sockshell, ["-q", "--export", "c", "--export-to", "\(directory)/pairs.c", script])
    #expect(c.status == 0, "\(c.stderr)")
    #expect(c.stderr.contains("export: line 1: arrays are not written in C here"), "\(c.stderr)")
    #expect(c.stderr.contains("wrote 8 calls as C"), "\(c.stderr)")
    if let cc = Paths.which("cc") {
      let compiled = try runProcess(
        cc, ["-Wall", "-Wextra", "-Werror", "-std=c11", "-o", "\(directory)/pairs", "\(directory)/pairs.c"])
      #expect(compiled.status == 0, "\(compiled.stderr)")
    }
    let python = try runProcess(Paths.sockshell, ["-q", "--export", "python", script])
    #expect(python.status == 0, "\(python.stderr)")
    #expect(python.stdout.contains("for pair_ in list(pairs.values()):"), "\(python.stdout)")
  }

  /// A statement the writers cannot say at all is refused with its line, whatever the language;
  /// the script itself ran as it always does.
  @Test(arguments: ExportLanguage.allCases) func refusalsNameTheLine(language: ExportLanguage) throws {
    let cases: [(String, String)] = [
      ("$x = 1\nwhile ($x < 3) {\n  $x++\n  handles\n  iovec_alloc(3)\n}", "line 5: `iovec_alloc`"),
    ]
    for (text, expected) in cases {
      let result = SourceExport.program(file: Array(text.utf8), language: language)
      guard case .failure(let refusal) = result else {
        Issue.record("\(language): not refused:\n\(text)")
        continue
      }
      #expect("line \(refusal.line): \(refusal.message)".hasPrefix(expected), "\(refusal)")
    }
  }

  /// A script without a loop, condition or function has nothing for the tree to keep: it is
  /// written from the calls, with what each one got in the session.
  @Test func aStraightScriptIsWrittenFromItsCalls() {
    #expect(SourceExport.program(file: Array("$s = create AF_INET SOCK_STREAM 0\nclose $s\n".utf8), language: .c) == nil)
  }

  /// PHP's manual-shaped servers (Tests/Fixtures/php), exported, serve the same clients as php
  /// does and print what it prints: `do … while (true)` twice with `break 2` (flags in Python,
  /// goto in C) and `continue`, PHP_NORMAL_READ, `$argv`, `or die`, and in Python the select()
  /// server's arrays as dicts.
  @Test(
    .enabled(if: ManualProgramTests.php != nil, "php-cli is not installed (apt-get install php-cli)"),
    arguments: [("talkback-server", ExportLanguage.python), ("select-server", .python), ("talkback-server", .c)])
  func aPHPServerExportedServesAsPHPDoes(name: String, language: ExportLanguage) throws {
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fixture = PHPProgramTests.fixture(name + ".php")
    let file = Array(try Data(contentsOf: URL(fileURLWithPath: fixture)))
    guard case .success(let program) = SourceExport.program(file: file, language: language) else {
      Issue.record("\(name) was not exported to \(language) with its loops")
      return
    }
    let exported = "\(directory)/\(name).\(language == .c ? "c" : "py")"
    try program.text.write(toFile: exported, atomically: true, encoding: .utf8)
    var command = [Paths.which("python3")!, exported]
    if language == .c {
      guard let cc = Paths.which("cc") else { return print("skipped: no C compiler") }
      let compiled = try runProcess(
        cc, ["-Wall", "-Wextra", "-Werror", "-std=c11", "-o", "\(directory)/\(name)", exported])
      #expect(compiled.status == 0, "\(compiled.stderr)\n\(program.text)")
      command = ["\(directory)/\(name)"]
    }
    let client = name == "talkback-server" ? ManualProgramTests.talkbackClient : ManualProgramTests.selectClients
    let extra = name == "talkback-server" ? [] : ["4"]
    func serve(_ command: [String]) throws -> (server: ProcessResult, client: ProcessResult, port: Int) {
      let port = freePort()
      let server = try Subprocess(command[0], Array(command.dropFirst()) + ["\(port)"] + extra)
      let talked = try python(client, arguments: ["\(port)"]).finish()
      return (server.finish(), talked, port)
    }
    let ours = try serve(command)
    let theirs = try serve([ManualProgramTests.php!, fixture])
    #expect(ours.server.status == 0, "\(ours.server.stderr)\n\(program.text)")
    #expect(
      ours.server.stdout.replacingOccurrences(of: "\(ours.port)", with: "PORT")
        == theirs.server.stdout.replacingOccurrences(of: "\(theirs.port)", with: "PORT"),
      "\(ours.server.stdout)")
    #expect(ours.client.stdout == theirs.client.stdout, "\(ours.client.stdout)")
    #expect(ours.client.stdout.contains(name == "talkback-server" ? "You said 'world'" : "FOUR"))
  }

  /// --no-run writes a program from the text alone: a server that would wait for clients is
  /// not started; a script without structure is refused (its program comes from a run), and so
  /// is --no-run without --export.
  @Test func noRunWritesTheProgramWithoutRunningTheScript() throws {
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let server = PHPProgramTests.fixture("talkback-server.php")
    let written = try runProcess(
      Paths.sockshell, ["--export", "python", "--no-run", "--export-to", "\(directory)/server.py", server], timeout: 10)
    #expect(written.status == 0 && !written.timedOut, "\(written.stderr)")
    #expect(written.stdout == "", "nothing ran: \(written.stdout)")
    #expect(try String(contentsOfFile: "\(directory)/server.py", encoding: .utf8).contains("leave_0 = True"))

    let straight = "\(directory)/straight.ss"
    try "$s = create AF_INET SOCK_STREAM 0\nclose $s\n".write(toFile: straight, atomically: true, encoding: .utf8)
    let refused = try runProcess(Paths.sockshell, ["--export", "c", "--no-run", straight])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("has no loop, condition or function"), "\(refused.stderr)")
    #expect(refused.stdout == "")

    let alone = try runProcess(Paths.sockshell, ["--no-run", straight])
    #expect(alone.status != 0 && alone.stderr.contains("--no-run goes with --export LANG"), "\(alone.stderr)")
  }

  /// The manual's HTTP HEAD client exported to Python (`while ($out = socket_read(…))`, `.=`,
  /// `explode`, `foreach` with keys, `strpos`, `substr`, `implode`) asks a local web server and
  /// prints what php prints.
  @Test(.enabled(if: ManualProgramTests.php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func theHTTPClientExportedToPythonPrintsWhatPHPPrints() throws {
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = PHPProgramTests.fixture("http-head-client.php")
    let written = try runProcess(
      Paths.sockshell, ["--export", "python", "--no-run", "--export-to", "\(directory)/client.py", file])
    #expect(written.status == 0, "\(written.stderr)")
    let server = try python(ManualProgramTests.webServer)
    let port = server.readLine().trimmingCharacters(in: .whitespaces)
    let ours = try runProcess(Paths.which("python3")!, ["\(directory)/client.py", port])
    let theirs = try runProcess(ManualProgramTests.php!, [file, port])
    #expect(ours.status == 0, "\(ours.stderr)")
    #expect(ours.stdout == theirs.stdout, "\(ours.stdout)")
    #expect(ours.stdout.contains("headers: server, date, content-type, content-length\n"), "\(ours.stdout)")
  }

  /// Small scripts whose meaning is in their control flow: each exported program prints exactly
  /// what the script prints under `sockshell -q` (the string "0" is false, `continue` in a for
  /// loop runs the step, `continue 2` and `break 2`, recursion, a function typed from its calls,
  /// a switch with jumps out of it).
  @Test(arguments: ExportLanguage.allCases) func controlFlowPrintsWhatTheScriptPrints(language: ExportLanguage) throws {
    var scripts = [
      """
      foreach_free: for ($i = 0; $i < 4; $i++) {
        $x = $i == 2 ? "0" : "x$i"
        if ($x) { echo "$x " } else { echo "zero " }
        if ($i == 1) { continue }
        echo "$i\n"
      }
      """,
      """
      for ($i = 0; $i < 3; $i++) {
        $j = 0
        while (true) {
          $j++
          if ($j == 2) { continue 2 }
          if ($i == 2) { break 2 }
          echo "$i.$j "
        }
      }
      echo "end $i\n"
      """,
      """
      function fact($n) {
        if ($n <= 1) { return 1 }
        return $n * fact($n - 1)
      }
      function shout($word, $times = 2) {
        return str_repeat(strtoupper($word), $times)
      }
      $k = 0
      do {
        $k++
        if ($k % 2 == 0) { continue }
        echo fact($k), " ", shout("ab"), " ", strlen(shout("c", 3)), "\n"
      } while ($k < 5)
      """,
      // A switch: grouped labels, continue (a break there), continue 2, continue 3 and break 3
      // from loops inside cases, default last.
      """
      for ($i = 0; $i < 7; $i++) {
        switch ($i) {
          case 1:
            echo "one "
            break
          case 3:
            continue
          case 4:
            echo "four "
            continue 2
          case 5:
            for ($j = 0; $j < 3; $j++) {
              if ($j == 1) { continue 3 }
              echo "j$j "
            }
            break
          case 6:
            while (true) { break 3 }
            break
          default:
            echo "other "
        }
        echo "$i\\n"
      }
      echo "done $i\\n"
      """,
    ]
    // Found by a review: echo of a number, continue 2 and break 2 to one loop, PHP's truth of
    // "0" and "", a bool echoed as "1" or nothing.
    scripts += [
      """
      for ($i = 0; $i < 2; $i++) {
        echo $i
      }
      """,
      """
      for ($i = 0; $i < 3; $i++) {
        for ($j = 0; $j < 3; $j++) {
          if ($j == 1) { continue 2 }
          if ($i == 2) { break 2 }
          echo "$i$j "
        }
        echo "never "
      }
      echo "\\n"
      """,
      """
      $data = ""
      if ($data == false) {
        echo "empty is false\\n"
      }
      $z = "0"
      if ($z) { echo "zero true\\n" } else { echo "zero false\\n" }
      if (empty($z)) { echo "empty0\\n" }
      $b = (bool)$z
      if ($b) { echo "cast true\\n" }
      """,
      """
      for ($i = 0; $i < 1; $i++) { echo "u: " . (2 > 1) . "|" . (1 > 2) . "\\n"; $t = (1 > 2); echo "t: $t\\n"; }
      """,
      // A second review: a call echoed is made once (bind, write).
      """
      $l = create AF_INET SOCK_STREAM 0
      echo "bind: " . bind($l, "127.0.0.1", 0) . "\\n"
      listen $l 1
      getsockname($l, $h, $p)
      $c = create AF_INET SOCK_STREAM 0
      connect $c $h $p
      $a = accept $l
      for ($i = 0; $i < 1; $i++) {
        echo "wrote " . write($c, "hi") . "\\n"
      }
      shutdown $c SHUT_WR
      echo "[" . read($a, 100) . "]\\n"
      """,
    ]
    // Arrays, floats and strings by index, which C is not given: Python and PHP only. Arrays
    // copied into parameters and fresh defaults, a string's byte, PHP's /, floats as PHP prints
    // them, explode's limit, strpos's offset, intval.
    if language != .c {
      scripts += [
        """
        $s = "hello"
        for ($i = 0; $i < strlen($s); $i++) {
          echo $s[$i] . "-"
        }
        echo "\\n"
        """,
        """
        for ($i = 1; $i <= 4; $i++) {
          echo 10 / $i
          echo "\\n"
        }
        echo 0.1 + 0.2
        echo "\\n"
        """,
        """
        function add($x, $list = []) {
          $list[] = $x
          return count($list)
        }
        for ($i = 0; $i < 3; $i++) {
          echo add($i) . "\\n"
        }
        """,
        """
        function grow($a) {
          $a[] = 1
          return count($a)
        }
        $x = [5]
        echo grow($x) . "\\n"
        echo count($x) . "\\n"
        """,
        """
        if (true) {
          $parts = explode(" ", "GET /index.html HTTP/1.0", 2)
          echo count($parts) . " " . $parts[1] . "\\n"
          echo strpos("abcabc", "c", 3) . "\\n"
          echo intval("abc") . " " . intval("12abc") . "\\n"
          $r = ""
          if ($r == false) { echo "r is falsy\\n" }
          if ("abc" < "abd") { echo "lt\\n" }
        }
        """,
        // A second review: heredoc, printf, nested arrays written and copied, UDP with
        // MSG_PEEK|MSG_DONTWAIT and MSG_TRUNC, a variable named as a helper, ++ in a condition.
        """
        $name = "world"
        $n = 3
        $msg = <<<EOT
        Hello $name,
          you have {$n} items
        EOT
        echo $msg . "\\n"
        $raw = <<<'RAW'
        no $interp here\\n
        RAW
        echo $raw . "\\n"
        printf("%s has %d (%5.1f%%) [%-4s] [%04d] %x\\n", $name, $n, 12.5, "ab", 42, 255)
        $grid = []
        for ($r = 0; $r < 3; $r++) {
          $row = []
          for ($c = 0; $c < 3; $c++) {
            $row[] = $r * $c
          }
          $grid[] = $row
        }
        $grid[1][2] = 99
        $grid["x"] = ["y" => "deep"]
        foreach ($grid as $k => $row) {
          if (true) {
            echo $k . ": " . implode(",", $row) . "\\n"
          }
        }
        echo $grid["x"]["y"] . " " . count($grid) . " " . count($grid[0]) . "\\n"
        $words = explode(" ", "the quick brown fox")
        $out = ""
        foreach ($words as $i => $w) {
          $out .= str_replace("o", "0", $w) . ($i < count($words) - 1 ? "-" : "")
          if (strpos($w, "u") !== false) {
            echo "u in $w at " . strpos($w, "u") . "\\n"
          }
        }
        echo "$out\\n"
        echo sprintf("%03d|%s", 7, substr("abcdef", 2, 3)) . "\\n"
        $copy = $grid
        $copy[0][0] = "changed"
        echo $grid[0][0] . " " . $copy[0][0] . "\\n"
        echo in_array(4, $grid[2]) ? "has4\\n" : "no4\\n"
        echo array_search("brown", $words) . "\\n"
        """,
        """
        $srv = create AF_INET SOCK_DGRAM 0
        bind $srv 127.0.0.1 0
        getsockname($srv, $host, $port)
        $cli = create AF_INET SOCK_DGRAM 0
        for ($i = 0; $i < 3; $i++) {
          sendto $cli "msg$i" $host $port
        }
        $n = 0
        while ($n < 5) {
          $peek = recv $srv 2 MSG_PEEK|MSG_DONTWAIT
          if ($peek === false) {
            echo "empty: " . (last_error($srv) == SOCKET_EAGAIN ? "EAGAIN" : "other") . "\\n"
            break
          }
          socket_recvfrom($srv, $req, 1024, MSG_DONTWAIT, $fh, $fp)
          echo "peek=$peek req=$req\\n"
          sendto $srv strrev($req) $fh $fp
          $back = recvfrom $cli 1024
          echo "back=$back\\n"
          $n++
        }
        echo "n=$n\\n"
        $t = create AF_INET SOCK_DGRAM 0
        connect $t $host $port
        send $t "connected" 
        $got = recv $srv 3 MSG_TRUNC
        echo "trunc: $got\\n"
        """,
        """
        $truthy = "0"
        if ($truthy) { echo "yes\\n" }
        echo "[" . $truthy[0] . "]" . strlen("ab") . (int)"3" . strpos("ab","b") . substr("abc",1) . (6 / 3) . "\\n"
        $q = ["x" => 1]
        echo array_search(1, $q) . "\\n"
        """,
        """
        $k = 3
        while ($k-- > 0) { echo "$k " }
        $w = 0
        while (++$w < 3) { echo "w$w " }
        echo "$k $w\\n"
        """,
      ]
    }
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (index, text) in scripts.enumerated() {
      let script = "\(directory)/flow\(index).ss"
      try text.replacingOccurrences(of: "foreach_free: ", with: "").write(toFile: script, atomically: true, encoding: .utf8)
      let quiet = try runProcess(Paths.sockshell, ["-q", script])
      #expect(quiet.status == 0, "\(quiet.stderr)")
      let program = "\(directory)/flow\(index).\(language.rawValue)"
      let written = try runProcess(Paths.sockshell, ["--export", language.rawValue, "--no-run", "--export-to", program, script])
      #expect(written.status == 0, "\(written.stderr)")
      var command: [String]
      switch language {
      case .c:
        guard let cc = Paths.which("cc") else { continue }
        let compiled = try runProcess(cc, ["-Wall", "-Wextra", "-Werror", "-std=c11", "-o", "\(program).out", program])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        command = ["\(program).out"]
      case .python: command = [Paths.which("python3")!, program]
      case .php:
        guard let php = Paths.which("php") else { continue }
        command = [php, program]
      }
      let ran = try runProcess(command[0], Array(command.dropFirst()))
      #expect(ran.stdout == quiet.stdout, "\(language), script \(index):\n\(ran.stdout)\(ran.stderr)\nthe script:\n\(quiet.stdout)")
    }
  }
}
