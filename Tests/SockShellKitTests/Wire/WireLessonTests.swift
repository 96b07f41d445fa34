import Foundation
import Testing
@testable import SockShellKit

/// Lessons played on the wire (`<!-- wire -->`): checked with their segment lines in a sockshell
/// that enters a namespace of its own, and skipped, not failed, where namespaces are refused.
@Suite struct WireLessonTests {
  static let lesson = LessonTests.lessonsDirectory + "/15-the-wire.md"

  func check(_ arguments: [String], under wrapper: [String] = []) throws -> ProcessResult {
    let command = wrapper + [Paths.sockshell, "lesson", "--check"] + arguments
    return try runProcess(command[0], Array(command.dropFirst()), timeout: 60)
  }

  @Test func theDirectiveMarksTheLessonAndIsNoNarration() throws {
    let lesson = try Lesson(
      path: "t.md", text: "# T\n\n<!-- wire -->\n\ntext\n```sockshell\nsockshell> $a = 1\n```\n")
    #expect(lesson.wire)
    #expect(lesson.parts.first == .narration(["# T", "", "", "text"]))
    #expect(try Lesson(path: "t.md", text: "# T\n<!-- wired -->\n").wire == false)
  }

  @Test func theWireLessonIsCheckedWithItsSegments() throws {
    let text = try String(contentsOfFile: Self.lesson, encoding: .utf8)
    #expect(text.contains("\n<!-- wire -->\n"))
    #expect(text.contains(": Flags [S.], seq ..., ack ..., win 65483, length 0\n"))
    let result = try check(["15", "--set", "port=\(freePort())"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("ok    ") && result.stdout.contains("15-the-wire.md (24 steps)"))
  }

  @Test func anAlteredSegmentLineFailsTheCheck() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-wire-lesson-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try String(contentsOfFile: Self.lesson, encoding: .utf8)
    // The server's ACK of "ping", as if it acknowledged one byte less.
    let broken = original.replacingOccurrences(
      of: "Flags [.], ack 5, win 64, length 0", with: "Flags [.], ack 4, win 64, length 0")
    #expect(broken != original)
    let path = folder.appendingPathComponent("15-the-wire.md").path
    try broken.write(toFile: path, atomically: true, encoding: .utf8)

    let failed = try check([path])
    #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
    #expect(failed.stdout.contains("FAIL  \(path) (1 of 24 steps differ)"), "\(failed.stdout)")
    #expect(failed.stdout.contains("-  #3 > 127.0.0.1... > 127.0.0.1...: Flags [.], ack 4, win 64, length 0"))
    #expect(failed.stdout.contains("Flags [.], ack 5, win 64, length 0"))
  }

  @Test func playedTheLessonShowsTheSegments() throws {
    let result = try runProcess(Paths.sockshell, ["lesson", "15", "--set", "port=\(freePort())"], timeout: 60)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(": Flags [S], seq "))
    #expect(result.stdout.contains(": Flags [R.], seq 0, ack "))
    #expect(!result.stdout.contains("<!-- wire -->"))
  }

  /// Docker's default seccomp profile refuses unshare; a filter that does the same stands in,
  /// and the child that would enter the namespace inherits it.
  @Test(.enabled(if: Paths.which("python3") != nil, "needs python3"))
  func aRefusedNamespaceSkipsTheLessonAndTheCheckPasses() throws {
    let wrapper = [Paths.which("python3")!, "-c", WireLessonTests.refuseUnshare]
    let result = try check(["4", "15"], under: wrapper)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2, "\(result.stdout)")
    #expect(lines.first?.hasPrefix("ok    ") == true)
    let skip = try #require(lines.last)
    #expect(skip.hasPrefix("skip  ") && skip.contains("15-the-wire.md: --wire needs a network namespace: "))
    #expect(skip.contains("unshare(CLONE_NEWNET): EPERM") || skip.contains("unshare(CLONE_NEWUSER|CLONE_NEWNET): EPERM"))
  }

  /// Runs argv[1:] with unshare refused (EPERM), everything else allowed.
  static let refuseUnshare = """
    import ctypes, os, platform, struct, sys
    libc = ctypes.CDLL(None, use_errno=True)
    number = {"x86_64": 272, "aarch64": 97}[platform.machine()]
    def op(code, k, jt=0, jf=0): return struct.pack("HBBI", code, jt, jf, k)
    program = op(0x20, 0) + op(0x15, number, 0, 1) + op(0x06, 0x00050000 | 1) + op(0x06, 0x7fff0000)
    buffer = ctypes.create_string_buffer(program)
    class Fprog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    fprog = Fprog(4, ctypes.addressof(buffer))
    assert libc.prctl(38, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
    assert libc.prctl(22, ctypes.c_ulong(2), ctypes.byref(fprog), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
    os.execv(sys.argv[1], sys.argv[1:])
    """
}
