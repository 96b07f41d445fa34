import Testing
@testable import SockShellKit

/// How a played lesson ends, run in-process against the real kernel.
@Suite struct LessonRunnerTests {
  /// A lesson whose second step fails on a port nothing listens on, with `or die`.
  func dyingLesson() throws -> Lesson {
    try Lesson(
      path: "t/05-dies.md",
      text: """
        # Dies

        ```sockshell
        sockshell> $client = create inet stream
        socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = ...
        sockshell> connect $client 127.0.0.1 \(freePort()) or die("Could not connect to server\\n")
        connect(...) = -1 ECONNREFUSED (Connection refused)
        ...
        sockshell> write $client "xiongchao"
        ...
        ```

        Narration after the failure.
        """)
  }

  @Test func orDieStopsAPlayedLessonWithItsOwnMessage() throws {
    let output = RecordingOutput()
    let result = LessonRunner(output: output, options: LessonRunner.Options()).run(try dyingLesson())
    #expect(result.ending == .stopped(status: 1, line: 6))
    #expect(result.exitStatus == 1)
    #expect(output.text.contains("Could not connect to server\n"))
    #expect(output.messages.contains("sockshell: lesson 05-dies stopped at line 6"))
    // Nothing after the failed line ran or was shown: no EPIPE from a write on a dead socket.
    #expect(!output.echoes.contains { $0.hasPrefix("write(") }, "\(output.echoes)")
    #expect(!output.text.contains("sockshell> write"))
    #expect(!output.text.contains("Narration after the failure."))
    // The session's handles are closed as the lesson leaves.
    #expect(output.echoes.last?.hasPrefix("close(") == true)
  }

  @Test func aCheckFlagsATranscriptThatGoesOnAfterOrDie() throws {
    var options = LessonRunner.Options()
    options.mode = .check
    let result = LessonRunner(output: RecordingOutput(), options: options).run(try dyingLesson())
    #expect(!result.passed)
    #expect(result.problems.count == 1)
    #expect(result.problems.first?.contains("t/05-dies.md:6: `or die` stopped the lesson here") == true)
  }

  @Test func stepModeRunsTheLearnersLineAndOffersTheStepAgain() throws {
    let lesson = try Lesson(
      path: "t/06-steps.md",
      text: """
        ```sockshell
        sockshell> $first = 1
        sockshell> echo "step two\\n"
        sockshell> echo "step three\\n"
        ```
        """)
    var answers: [LessonRunner.StepInput] = [.line(""), .line("echo \"mine\\n\""), .line(""), .line("skip")]
    var offered: [String] = []
    var options = LessonRunner.Options()
    options.mode = .step
    let output = RecordingOutput()
    let result = LessonRunner(output: output, options: options) { step, _ in
      offered.append(step.input)
      return answers.isEmpty ? .endOfInput : answers.removeFirst()
    }.run(lesson)
    #expect(
      offered == ["$first = 1", "echo \"step two\\n\"", "echo \"step two\\n\"", "echo \"step three\\n\""])
    #expect(output.text.contains("mine\n"))
    #expect(output.text.contains("step two\n"))
    #expect(!output.text.contains("step three\n"), "skip ran the step")
    #expect(result.ending == .finished)
  }

  @Test func ctrlCAtAStepPauseLeavesTheLesson() throws {
    var options = LessonRunner.Options()
    options.mode = .step
    let result = LessonRunner(output: RecordingOutput(), options: options) { _, _ in .interrupted }
      .run(try dyingLesson())
    #expect(result.ending == .interrupted)
    #expect(result.exitStatus == 130)
  }
}
