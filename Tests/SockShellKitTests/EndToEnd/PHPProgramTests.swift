import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// Whole PHP files run by `sockshell -q FILE ARGS`, against real peers, printing what `php FILE
/// ARGS` prints. The files are in Tests/Fixtures/php.
@Suite struct PHPProgramTests {
  static let php = Paths.which("php")
  static func fixture(_ name: String) -> String {
    Paths.packageRoot.appendingPathComponent("Tests/Fixtures/php/" + name).path
  }

  /// A client in Python: connects to the port, sends "xiongchao", prints what comes back.
  static let client = """
    import socket, sys, time
    for _ in range(200):
        try:
            c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            break
        except ConnectionRefusedError:
            time.sleep(0.05)
    c.sendall(b"xiongchao")
    print(c.recv(1024).decode(), end="")
    """

  /// The tutorial's server run by `program` against the Python client: what each printed.
  func serve(_ program: [String]) throws -> (server: ProcessResult, client: ProcessResult) {
    let port = freePort()
    let running = try Subprocess(program[0], Array(program.dropFirst()) + [Self.fixture("tutorial-server.php"), "\(port)"])
    let client = try python(Self.client, arguments: ["\(port)"]).finish()
    return (running.finish(), client)
  }

  /// The tutorial's client run by `program` against the Python server.
  func connect(_ program: [String]) throws -> ProcessResult {
    // Python's reverse-string server: prints its port, serves one client.
    let server = try python(PythonPeerTests.reversingServer)
    let port = server.readLine().trimmingCharacters(in: .whitespacesAndNewlines)
    let result = try runProcess(
      program[0], Array(program.dropFirst()) + [Self.fixture("tutorial-client.php"), port])
    _ = server.finish()
    return result
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func theTutorialsServerFilePrintsWhatPHPPrints() throws {
    let sockshell = try serve([Paths.sockshell, "-q"])
    let reference = try serve([Self.php!])
    #expect(sockshell.server.status == 0, "\(sockshell.server.stderr)")
    #expect(sockshell.server.stdout == reference.server.stdout)
    #expect(sockshell.client.stdout == "oahcgnoix\n")
    #expect(sockshell.client.stdout == reference.client.stdout)
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func theTutorialsClientFilePrintsWhatPHPPrints() throws {
    let sockshell = try connect([Paths.sockshell, "-q"])
    let reference = try connect([Self.php!])
    #expect(sockshell.status == 0, "\(sockshell.stderr)")
    #expect(sockshell.stdout == "Message To server :xiongchao\nReply from server:oahcgnoix\n")
    #expect(sockshell.stdout == reference.stdout)
    #expect(sockshell.stderr == "")
  }

  @Test func withoutQuietEveryCallIsEchoed() throws {
    let result = try connect([Paths.sockshell])
    #expect(result.status == 0, "\(result.stderr)")
    let calls = result.stdout.split(separator: "\n").compactMap { line in
      line.firstIndex(of: "(").map { String(line[..<$0]) }
    }
    #expect(calls == ["socket", "connect", "write", "read", "close"], "\(result.stdout)")
    #expect(result.stdout.hasPrefix("Message To server :xiongchao\n"))
  }

  @Test func aFileThatDoesNotParseRunsNothingAndNamesEachError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-php-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("broken.php").path
    try "<?php\n$s = socket_create(AF_INET, SOCK_STREAM, 0);\necho \"never\\n\";\nfoo bar(;\n".write(
      toFile: file, atomically: false, encoding: .utf8)
    let result = try runProcess(Paths.sockshell, [file])
    #expect(result.status == 255)
    #expect(result.stdout == "", "nothing of the file ran")
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first?.hasPrefix("sockshell: \(file):4:") == true, "\(result.stderr)")
    #expect(lines.count > 2 && lines[1] == "    foo bar(;" && lines[2].hasSuffix("^"))
    #expect(result.stderr.contains("did not parse (1 error); nothing of it ran"))
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed (apt-get install php-cli)"))
  func textOutsideTheTagsAndTheArgumentsAreAsInPHP() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-php-\(getpid())-t")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("text.php").path
    try """
      #!/usr/bin/env php
      <?php
      echo "argc ", $argc, " first ", $argv[1], "\\n";
      ?>
      between the tags
      <?php echo strtoupper("x"), "?>"; ?> after
      <?php echo "end\\n";

      """.write(toFile: file, atomically: false, encoding: .utf8)
    let sockshell = try runProcess(Paths.sockshell, ["-q", file, "one", "two"])
    let reference = try runProcess(Self.php!, [file, "one", "two"])
    #expect(sockshell.stdout == reference.stdout)
    #expect(sockshell.stdout == "argc 3 first one\nbetween the tags\nX?> after\nend\n")
  }

  @Test func echoCanShowEveryCallOnlyFailuresOrNone() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "set echo errors; $s = create inet stream; connect $s 127.0.0.1 1")
    #expect(output.echoes.count == 1)
    #expect(output.echoes.first?.hasPrefix("connect(") == true)
    interpreter.run(line: "set echo off; $t = create inet stream; close $t")
    #expect(output.echoes.count == 1)
    interpreter.run(line: "set echo on; close $s")
    #expect(output.echoes.count == 2)
    // With the echo off, a bare call shows no `=> value`: the output is the program's own.
    interpreter.run(line: #"set echo off; printf("%05d\n", 42)"#)
    #expect(output.text.hasSuffix("00042\n"), "\(output.text)")
    interpreter.run(line: "set echo sometimes")
    #expect(output.messages.last?.contains("echo is on, errors or off") == true)
  }

  @Test func phpTagsAreFoundOutsideStringsAndEatTheLineEndAfterThem() {
    var text = PHPFileText()
    func parts(_ line: String) -> [PHPFileText.Part] { text.parts(of: Array(line.utf8)[...]) }
    #expect(parts("#!/usr/bin/env php") == [])
    #expect(parts("<?php") == [])
    #expect(text.isPHP)
    #expect(parts(#"echo "?>"; ?>"#) == [.code(Array(#"echo "?>"; "#.utf8)[...])])
    #expect(parts("text") == [.text(Array("text\n".utf8))])
    #expect(
      parts("a <?php echo 1; ?> b") == [.text(Array("a ".utf8)), .code(Array(" echo 1; ".utf8)[...]), .text(Array(" b\n".utf8))])
    var script = PHPFileText()
    #expect(script.parts(of: Array("create inet stream".utf8)[...]) == [.code(Array("create inet stream".utf8)[...])])
    #expect(!script.isPHP)
  }

  /// What a program prints is all that is printed: no newline is added after output that ends
  /// without one, and the file's last newline after `?>` prints nothing, as in php.
  @Test func theEndOfAFileAddsNothingToTheOutput() throws {
    let directory = FileManager.default.temporaryDirectory.path + "/sockshell-end-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cases: [(String, String)] = [
      ("<?php echo \"a\";", "a"), ("<?php\nfor ($i = 0; $i < 2; $i++) { echo $i; }\n?>\n", "01"),
      ("<?php echo \"a\"; ?>\nb\n", "ab\n"), ("<?php echo \"a\"; ?>\n\n", "a\n"),
    ]
    for (index, (text, expected)) in cases.enumerated() {
      let path = "\(directory)/end\(index).php"
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let ours = try runProcess(Paths.sockshell, ["-q", path])
      #expect(ours.stdout == expected, "\(text.debugDescription)")
      if let php = Self.php {
        #expect(try runProcess(php, [path]).stdout == expected, "php: \(text.debugDescription)")
      }
    }
  }
}
