import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// The journal and the `export` command, in-process: what the journal keeps of each call, its
/// limits, and what `export` writes or refuses.
@Suite struct ExportTests {
  func session() -> (Interpreter, RecordingOutput) {
    let (interpreter, output) = makeInterpreter(interactive: true)
    interpreter.journal = Journal()
    return (interpreter, output)
  }

  @Test func journalKeepsEachCallWithItsHandleAndVariable() {
    let (interpreter, output) = session()
    // The kernel picks the port (a port found free and bound later may be taken in between by a
    // test running beside this one).
    runLines(
      interpreter, output,
      [
        "$socket = create inet stream", "bind $socket 127.0.0.1 0", "listen $socket 3",
        "getsockname($socket, $host, $port)",
        "$client = create inet stream", "connect $client 127.0.0.1 $port", "$spawn = accept $socket",
        "$pair = socketpair AF_UNIX SOCK_STREAM 0", "connect $client 127.0.0.1 $port",
      ], allowErrors: true)
    let entries = interpreter.journal!.entries
    #expect(
      entries.map(\.record.name) == [
        "socket", "bind", "listen", "getsockname", "socket", "connect", "accept", "socketpair", "connect",
      ])
    #expect(entries.map(\.sequence) == Array(0..<9))
    #expect(entries[0].created == 1..<2 && entries[0].variable == "socket" && entries[0].handle == nil)
    #expect(entries[1].handle == 1 && entries[1].created.isEmpty && entries[1].variable == nil)
    #expect(entries[6].handle == 1 && entries[6].created == 3..<4 && entries[6].variable == "spawn")
    #expect(entries[7].created == 4..<6 && entries[7].variable == "pair")
    #expect(entries[8].handle == 2 && entries[8].record.errno?.name == "EISCONN")
  }

  @Test func journalKeepsSuccessesWithTheEchoOff() {
    let (interpreter, output) = session()
    interpreter.settings.echo = .off
    runLines(interpreter, output, ["$s = create inet stream", "close $s"])
    #expect(interpreter.journal!.entries.map(\.record.name) == ["socket", "close"])
    #expect(output.echoes.isEmpty)
  }

  @Test func journalDropsTheOldestBeyondItsLimitAndCountsThem() {
    let journal = Journal(limit: 3, byteLimit: 100)
    for number in 0..<5 {
      journal.append(
        SyscallRecord(name: "close", arguments: [.fd(Int32(number))], outcome: .value(0)), handle: number,
        line: nil)
    }
    #expect(journal.count == 3 && journal.dropped == 2 && journal.total == 5)
    #expect(journal.entries.map(\.sequence) == [2, 3, 4])
    // Data beyond the byte limit pushes the oldest calls out, but never the last one.
    journal.append(
      SyscallRecord(
        name: "write", arguments: [.fd(3), .data(Array(repeating: 65, count: 80)), .int(80)],
        outcome: .value(80)), handle: 1, line: nil)
    journal.append(
      SyscallRecord(
        name: "write", arguments: [.fd(3), .data(Array(repeating: 66, count: 80)), .int(80)],
        outcome: .value(80)), handle: 1, line: nil)
    #expect(journal.entries.map(\.sequence) == [6])
    #expect(journal.dropped == 6)
    journal.append(
      SyscallRecord(name: "close", arguments: [.fd(3)], outcome: .value(0)), handle: 1, line: nil)
    #expect(journal.entries.map(\.sequence) == [6, 7])
  }

  @Test func exportNotesTheCallsTheJournalDropped() {
    let journal = Journal(limit: 2)
    for number in 0..<4 {
      journal.append(
        SyscallRecord(name: "close", arguments: [.fd(Int32(3 + number))], outcome: .value(0)), handle: nil,
        line: nil)
    }
    let program = ProgramExport.program(journal, language: .c)
    #expect(program.notes.contains { $0.contains("the 2 before them are not in the program") })
    #expect(program.text.contains("first 2 calls were no longer in its journal"))
  }

  @Test func aSocketMadeBeforeTheJournalsFirstCallIsTakenUpByItsDescriptor() {
    let (interpreter, output) = makeInterpreter(interactive: true)
    interpreter.journal = Journal(limit: 2)
    runLines(
      interpreter, output, ["$a = create inet stream", "$b = create inet stream", "close $b", "close $a"])
    guard case .fd(let fd)? = interpreter.journal!.entries.last?.record.arguments.first else {
      Issue.record("the last call is not a close")
      return
    }
    let c = ProgramExport.program(interpreter.journal!, language: .c).text
    #expect(c.contains("int fd\(fd) = \(fd); /* made by a call the journal no longer held */"), "\(c)")
    #expect(c.contains("if (close(fd\(fd)) == -1)"))
    let python = ProgramExport.program(interpreter.journal!, language: .python).text
    #expect(python.contains("fd\(fd) = socket.socket(fileno=\(fd))"))
  }

  @Test(arguments: ExportLanguage.allCases)
  func exportPrintsTheProgramWithTheSessionsNames(language: ExportLanguage) {
    let (interpreter, output) = session()
    runLines(
      interpreter, output,
      [
        "$socket = create inet stream", "$lonely = create inet stream", "shutdown $lonely wr",
        "close $socket",
      ],
      allowErrors: true)
    interpreter.run(line: "export \(language.rawValue)")
    let text = output.text
    switch language {
    case .c:
      #expect(text.contains("int socket_fd = socket(AF_INET, SOCK_STREAM, 0);"))
      #expect(text.contains("/* shutdown(2): in the session this failed with ENOTCONN"))
      #expect(text.contains("if (shutdown(lonely, SHUT_WR) == -1)\n    perror(\"shutdown\");"))
    case .python:
      #expect(text.contains("socket_ = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)"))
      #expect(text.contains("try:\n    lonely.shutdown(socket.SHUT_WR)\nexcept OSError as error:"))
      #expect(text.contains("lonely.detach()"))
    case .php:
      #expect(text.contains("$socket = socket_create(AF_INET, SOCK_STREAM, 0);"))
      #expect(
        text.contains(
          "if (@socket_shutdown($lonely, 1) === false) {\n    report(\"socket_shutdown\", $lonely);"))
    }
  }

  @Test func exportRefusesBadInputWithOneMessageAndTheSessionGoesOn() throws {
    let (interpreter, output) = session()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "export-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let existing = directory + "/old.c"
    try "keep me".write(toFile: existing, atomically: true, encoding: .utf8)
    runLines(interpreter, output, ["$s = create inet stream"])
    let cases = [
      ("export cobol", "export: no language 'cobol'; export writes c, python or php"),
      ("export c \(existing)", "export: \(existing) exists; --force replaces it"),
      ("export c \(directory)", "export: \(directory) is a directory; name a file in it"),
      ("export c \(directory)/missing/x.c", "export: there is no folder \(directory)/missing to write"),
      ("export c /proc/sockshell-export.c", "export: cannot write /proc/sockshell-export.c"),
      ("export", "export: expected"),
    ]
    for (line, message) in cases {
      let before = output.messages.count
      interpreter.run(line: line)
      let said = output.messages[before...]
      #expect(said.count == 1 && said.first?.contains(message) == true, "\(line): \(said)")
    }
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    // The handle survived every refusal, and --force replaces the file.
    interpreter.run(line: "export php \(existing) --force")
    #expect(try String(contentsOfFile: existing, encoding: .utf8).hasPrefix("<?php"))
    runLines(interpreter, output, ["close $s"], allowErrors: true)
    #expect(output.echoes.last?.hasPrefix("close(") == true)
  }

  @Test func exportWithoutAJournalSaysHowToGetOne() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "export c")
    #expect(output.messages.last?.contains("sockshell --export LANG FILE") == true)
  }

  @Test func theCommandLineRefusesBadExportOptionsBeforeRunning() throws {
    let existing = FileManager.default.temporaryDirectory.appendingPathComponent(
      "export-\(UUID().uuidString).c"
    ).path
    try "keep me".write(toFile: existing, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: existing) }
    let cases: [([String], String)] = [
      (["--export", "cobol", "-c", "strerror 1"], "--export takes c, python or php, not 'cobol'"),
      (["--export-to", "/tmp/x.c", "-c", "strerror 1"], "--export-to needs --export LANG"),
      (["--export", "c", "--export-to", existing, "-c", "strerror 1"], "exists; --force replaces it"),
      (["--export", "c", "--export-to", "/tmp", "-c", "strerror 1"], "--export-to /tmp is a directory"),
      (["lesson", "3", "4", "--check", "--export", "c"], "--export writes the program of one lesson"),
    ]
    for (arguments, message) in cases {
      let run = try runProcess(Paths.sockshell, arguments)
      #expect(run.status == 2 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
      #expect(run.stdout.isEmpty, "it ran: \(run.stdout)")
    }
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    // A special file is never replaced, --force or not.
    let device = try runProcess(
      Paths.sockshell, ["--export", "c", "--export-to", "/dev/null", "--force", "-c", "strerror 1"])
    #expect(
      device.status == 1 && device.stderr.contains("/dev/null is a character device"), "\(device.stderr)")
  }

  /// Options whose value is a struct are written as that struct: a timeval here, read back at the
  /// size the session read it. (SO_LINGER is run under strace with lesson 9.)
  @Test(arguments: ExportLanguage.allCases)
  func aTimevalOptionIsWrittenAsAStruct(language: ExportLanguage) {
    let (interpreter, output) = session()
    runLines(
      interpreter, output,
      [
        "$s = create inet stream", "set_option $s SOL_SOCKET SO_RCVTIMEO 1.25",
        "get_option $s SOL_SOCKET SO_RCVTIMEO", "close $s",
      ])
    let program = ProgramExport.program(interpreter.journal!, language: language)
    #expect(program.notes.isEmpty, "\(program.notes)")
    let text = program.text
    switch language {
    case .c:
      #expect(text.contains("timeval_option.tv_sec = 1;\n  timeval_option.tv_usec = 250000;"), "\(text)")
      #expect(text.contains("&timeval_option, sizeof timeval_option)"))
      #expect(text.contains("option_len = sizeof timeval_option;"))
    case .python:
      #expect(
        text.contains("s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack(\"ll\", 1, 250000))"))
      #expect(text.contains("option = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16)"), "\(text)")
    case .php:
      #expect(text.contains("SO_RCVTIMEO, [\"sec\" => 1, \"usec\" => 250000])"), "\(text)")
    }
  }

  /// PHP 8 has no writev: the call stands as a comment that says so, and export counts it.
  @Test func aCallPHPCannotMakeIsCountedAsAComment() {
    let (interpreter, output) = session()
    runLines(
      interpreter, output,
      ["[$a, $b] = socketpair unix stream 0", "$v = iovec_alloc 2 2 2", "writev $a $v"])
    let php = ProgramExport.program(interpreter.journal!, language: .php)
    #expect(php.text.contains("// not exported: PHP has no writev"), "\(php.text)")
    #expect(php.notes.contains { $0.hasPrefix("1 call could not be written in PHP") }, "\(php.notes)")
    let c = ProgramExport.program(interpreter.journal!, language: .c)
    #expect(c.notes.isEmpty && c.text.contains("n = writev(pair[0], iov, 2);"), "\(c.text)")
  }

  @Test func literalsKeepEveryByte() {
    let bytes: [UInt8] = [0, 1, 7, 9, 10, 13, 34, 36, 39, 63, 63, 61, 92, 127, 128, 255, 48, 49]
    #expect(CProgramWriter.escaped(bytes) == "\\000\\001\\007\\t\\n\\r\\\"$'\\?\\?=\\\\\\177\\200\\37701")
    #expect(PythonProgramWriter.bytes(bytes) == "b\"\\x00\\x01\\x07\\t\\n\\r\\\"$'??=\\\\\\x7f\\x80\\xff01\"")
    #expect(PHPProgramWriter.string(bytes) == "\"\\x00\\x01\\x07\\t\\n\\r\\\"\\$'??=\\\\\\x7f\\x80\\xff01\"")
  }
}
