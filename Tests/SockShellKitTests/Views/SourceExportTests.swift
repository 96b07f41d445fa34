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
    // Tests/Fixtures/export/flow: scripts every language is given; flow-dynamic: arrays, floats
    // and strings by index, which C is not (Python and PHP only).
    let root = Paths.packageRoot.appendingPathComponent("Tests/Fixtures/export").path
    var paths: [String] = []
    for folder in language == .c ? ["flow"] : ["flow", "flow-dynamic"] {
      for file in try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)").sorted() where file.hasSuffix(".ss") {
        paths.append("\(root)/\(folder)/\(file)")
      }
    }
    #expect(paths.count >= (language == .c ? 9 : 18))
    let directory = try strace.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (index, script) in paths.enumerated() {
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
      #expect(ran.stdout == quiet.stdout, "\(language), \(script):\n\(ran.stdout)\(ran.stderr)\nthe script:\n\(quiet.stdout)")
    }
  }
}
