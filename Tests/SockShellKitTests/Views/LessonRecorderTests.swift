import Foundation
import Testing
@testable import SockShellKit

/// `record FILE` … `record stop`: a recorded session is a lesson the checker passes as written,
/// on its own port or another, and fails once its transcript is altered.
@Suite struct LessonRecorderTests {
  static let reverse = """
    # The reverse exchange
    $socket = create AF_INET SOCK_STREAM 0
    bind $socket 127.0.0.1 PORT
    listen $socket 3
    # The client
    $client = create AF_INET SOCK_STREAM 0
    connect $client 127.0.0.1 PORT
    $spawn = accept $socket
    write $client "xiongchao"
    $input = read $spawn 1024
    write $spawn strrev($input) . "\\n"
    $reply = read $client 1024
    echo "Reply from server:" . $reply
    connect $client 127.0.0.1 PORT
    handles
    close $client; close $spawn; close $socket
    """

  static let udp = """
    $server = create inet dgram
    bind $server 127.0.0.1 PORT
    $client = create inet dgram
    sendto $client "xiongchao" 127.0.0.1 PORT
    socket_recvfrom($server, $request, 1024, 0, $from, $fromport)
    echo $request, " from ", $from, ":", $fromport, "\\n"
    sendto $server strrev($request) $from $fromport
    $reply = recvfrom $client 1024
    sendto $client "one" 127.0.0.1:PORT
    recvfrom $server 1024
    vars
    close $client; close $server
    """

  /// Runs `session` in the binary between `record FILE` and `record stop`; the lesson's path.
  func record(_ session: String, stopping: Bool = true) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let lesson = directory.appendingPathComponent("recorded.md").path
    let script = directory.appendingPathComponent("session.ss").path
    let body = session.replacingOccurrences(of: "PORT", with: String(freePort()))
    try ("record \(lesson)\n" + body + (stopping ? "\nrecord stop\n" : "\n")).write(
      toFile: script, atomically: true, encoding: .utf8)
    let result = try runProcess(Paths.sockshell, [script], timeout: 30)
    #expect(result.stderr.contains("recorded "), "\(result.stderr)")
    return lesson
  }

  func check(_ path: String, _ extra: [String] = []) throws -> ProcessResult {
    try runProcess(Paths.sockshell, ["lesson", "--check", path] + extra, timeout: 60)
  }

  @Test(arguments: [LessonRecorderTests.reverse, LessonRecorderTests.udp])
  func recordedSessionPassesItsCheckOnAnyPort(session: String) throws {
    let path = try record(session)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("sockshell> $port ??= "))
    #expect(!text.contains("\u{1B}["))
    let own = try check(path)
    #expect(own.status == 0, "\(text)\n\(own.stdout)\(own.stderr)")
    let moved = try check(path, ["--set", "port=\(freePort())"])
    #expect(moved.status == 0, "\(text)\n\(moved.stdout)\(moved.stderr)")
  }

  @Test func aControlStatementOverSeveralLinesIsOneStepWithItsContinuations() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let lesson = directory.appendingPathComponent("loops.md").path
    let result = try runSockshell(
      """
      record \(lesson)
      $n = 0
      for ($i = 1; $i <= 3; $i++) { $n += $i; }
      echo "n=$n\\n"
      while ($n > 4) {
        $n--;
        echo "$n ";
      }
      record stop

      """)
    #expect(!result.stderr.contains("record:"), "\(result.stderr)")
    let text = try String(contentsOfFile: lesson, encoding: .utf8)
    #expect(text.contains("sockshell> for ($i = 1; $i <= 3; $i++) { $n += $i; }\nsockshell> echo"), "\(text)")
    #expect(text.contains("n=6"))
    #expect(text.contains("sockshell> while ($n > 4) {\n...>   $n--;\n...>   echo \"$n \";\n...> }\n5 4 "), "\(text)")
    #expect(try check(lesson).status == 0)
    // The recorded lesson is checked for real: an altered output fails it.
    try text.replacingOccurrences(of: "5 4 ", with: "5 3 ").write(toFile: lesson, atomically: true, encoding: .utf8)
    #expect(try check(lesson).status == 1)
  }

  /// `lesson N --step --record FILE`: what the learner ran is the recording, their own lines
  /// among the steps and the steps they skipped left out; it is written when the lesson ends.
  @Test func steppingThroughALessonRecordsWhatTheLearnerRan() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("mine.md").path
    let lesson = try Lesson(
      path: "07-udp.md",
      text: String(contentsOf: Paths.packageRoot.appendingPathComponent("lessons/07-udp.md"), encoding: .utf8))
    let steps = lesson.steps
    // Enter for the first three steps, a line of one's own, Enter up to the last, which is skipped.
    let answers =
      "\n\n\necho \"mine\\n\";\n" + String(repeating: "\n", count: steps.count - 4) + "skip\n"
    let result = try runProcess(
      Paths.sockshell, ["lesson", "7", "--step", "--record", path, "--set", "port=\(freePort())"], stdin: answers,
      timeout: 30)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("recorded \(steps.count) inputs to \(path)"), "\(result.stderr)")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("sockshell> echo \"mine\\n\";\nmine\n"), "\(text)")
    #expect(!text.contains(Lesson.prompt + steps.last!.input), "the skipped step was recorded:\n\(text)")
    let checked = try check(path)
    #expect(checked.status == 0, "\(text)\n\(checked.stdout)\(checked.stderr)")
    // With --check there is nothing to record.
    let refused = try runProcess(Paths.sockshell, ["lesson", "7", "--check", "--record", path])
    #expect(refused.status == 64 || refused.status == 2, "\(refused.status) \(refused.stderr)")
  }

  @Test func headingsBecomeTheTitleAndSections() throws {
    let text = try String(contentsOfFile: try record(Self.reverse), encoding: .utf8)
    #expect(text.hasPrefix("# The reverse exchange\n"))
    #expect(text.contains("```\n\n## The client\n\n```sockshell\n"))
    #expect(!text.contains("record "))
  }

  @Test func alteredTranscriptFailsTheCheck() throws {
    let path = try record(Self.reverse)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "Reply from server:oahcgnoix", with: "Reply from server:xiongchao")
      .write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try check(path).status == 1)
  }

  @Test func aSessionThatEndsWhileRecordingStillWritesTheLesson() throws {
    let path = try record(LessonRecorderTests.reverse, stopping: false)
    #expect(FileManager.default.fileExists(atPath: path))
    let result = try check(path)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test func anExistingFileIsKeptWithoutForce() throws {
    let path = try record("$x = 1")
    let output = RecordingOutput()
    let interpreter = Interpreter(table: .standard, output: output)
    interpreter.run(line: "record \(path)")
    #expect(output.messages.last?.contains("--force") == true)
    interpreter.run(line: "record \(FileManager.default.temporaryDirectory.path)")
    #expect(output.messages.last?.contains(".md") == true)
  }

  @Test func maskingWritesVaryingPortsAndPointersAsDots() {
    let lines = VaryingText.masked(
      ["accept(3, {sin_port=htons(51552)}, [16]) = 5  #3 $spawn", "recv(4, 0x55deb847ff20, 1024, 0) = 8", "127.0.0.1:51552"],
      ports: [])
    #expect(lines == ["accept(3, {sin_port=htons(...)}, [16]) = 5  #3 $spawn", "recv(4, 0x..., 1024, 0) = 8", "127.0.0.1:..."])
    // The handles table's segment counters: in and out vary with the kernel's acknowledgements.
    #expect(VaryingText.masked(["#2  W  -  3/4/0"], ports: []) == ["#2  W  -  .../0"])
    #expect(VaryingText.loopbackPort(in: "bind $s 127.0.0.1 5353") == "5353")
    #expect(VaryingText.replacingPort("5353", in: "sendto $c \"5353\" 127.0.0.1:5353") == "sendto $c \"5353\" \"127.0.0.1:\" . $port")
  }
}
