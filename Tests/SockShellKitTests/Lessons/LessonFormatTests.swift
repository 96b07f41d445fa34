import Testing
@testable import SockShellKit

@Suite struct LessonFormatTests {
  @Test func transcriptsNarrationAndDirectivesAreSeparated() throws {
    let text = """
      # Title here

      Some narration.

      ```sockshell
      sockshell> create inet stream
      socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = ...
      sockshell> strerror 111
      ECONNREFUSED (111): Connection refused
      sockshell> $x = 1
      ```

      <!-- check: start 02-other and wait for $port -->
      More narration.

      ```swift
      let notATranscript = true
      ```
      """
    let lesson = try Lesson(path: "t.md", text: text)
    #expect(lesson.title == "Title here")
    #expect(lesson.steps.map(\.input) == ["create inet stream", "strerror 111", "$x = 1"])
    #expect(lesson.steps.map(\.line) == [6, 8, 10])
    #expect(lesson.steps[0].expected == ["socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = ..."])
    #expect(lesson.steps[2].expected == [])
    #expect(lesson.parts.contains(.startPeer("02-other", waitForPort: true, line: 13)))
    #expect(lesson.parts.count == 5)
  }

  @Test func anUnclosedBlockOrOutputBeforeInputIsAnError() {
    #expect(throws: LessonError.self) { try Lesson(path: "t.md", text: "```sockshell\nsockshell> x\n") }
    #expect(throws: LessonError.self) { try Lesson(path: "t.md", text: "```sockshell\nstray output\n```\n") }
  }

  @Test func wildcardsMatchWithinALineAndAcrossLines() {
    #expect(
      OutputMatcher.lineMatches(
        "bind(3, {...htons(...)...}, 16) = 0", "bind(3, {sa, htons(5353), x}, 16) = 0"))
    #expect(!OutputMatcher.lineMatches("bind(3, ...) = 0", "bind(3, x) = -1 EADDRINUSE"))
    #expect(OutputMatcher.lineMatches("...", ""))
    #expect(OutputMatcher.lineMatches("a...a", "a" + "a"))
    #expect(!OutputMatcher.lineMatches("ab...ba", "aba"))
    #expect(OutputMatcher.matches(["first", "...", "last"], ["first", "x", "y", "last"]))
    #expect(OutputMatcher.matches(["first", "...", "last"], ["first", "last"]))
    #expect(!OutputMatcher.matches(["first", "last"], ["first", "x", "last"]))
    #expect(!OutputMatcher.matches(["only"], []))
    #expect(OutputMatcher.matches([], []))
  }

  @Test func theDiffMarksMissingAndUnexpectedLines() {
    let diff = OutputMatcher.diff(["same", "old", "end..."], ["same", "new", "ending"])
    #expect(diff == [" same", "-old", "+new", " end..."])
  }

  @Test func anUpdateKeepsLinesThatStillMatch() {
    let updated = OutputMatcher.updated(
      ["accept(3, ...) = 4  #2 $spawn", "old line"], ["accept(3, {x}) = 4  #2 $spawn", "new line"])
    #expect(updated == ["accept(3, ...) = 4  #2 $spawn", "new line"])
  }
}
