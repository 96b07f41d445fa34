import Foundation
import Glibc
import Testing

/// Script files larger than what sockshell reads at a time (it holds no descriptor of the file
/// while the script's calls run, and reads it a chunk at a time by opening it again).
@Suite struct ScriptFileTests {
  /// A script file of its own, removed when the test ends.
  final class ScriptFile {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ss"
    ).path
    init(_ text: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }
    deinit { unlink(path) }
  }

  /// Forty lines of 20,000 bytes each (800 KB, several chunks, lines cut at every chunk's end),
  /// each echoing its number and its run of letters.
  static let longLines = (1...40).map { "echo \"\($0):\(String(repeating: "x", count: 20_000))\\n\"\n" }
    .joined()
  static let longOutput = (1...40).map { "\($0):\(String(repeating: "x", count: 20_000))\n" }.joined()

  @Test func aLongScriptRunsEveryLineAndItsSocketsGetTheUsualDescriptors() throws {
    let script = try ScriptFile(
      "$s = create inet stream\n" + ScriptFileTests.longLines
        + "close $s\n$t = create inet stream\nclose $t\necho \"the end\\n\"")
    let result = try runProcess(Paths.sockshell, [script.path])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    let socket = "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3                    "
    let expected =
      socket + "#1 $s\n" + ScriptFileTests.longOutput + "close(3) = 0\n" + socket + "#2 $t\nclose(3) = 0\nthe end\n"
    #expect(result.stdout == expected, "fd 3 both times: no descriptor of the script is left open")
  }

  @Test func aScriptFileDeletedWhileItRunsStopsWithAMessage() throws {
    let port = freePort()
    let script = try ScriptFile(
      "$l = create inet stream\nbind $l 127.0.0.1 \(port)\nlisten $l 1\n$c = accept $l\n"
        + ScriptFileTests.longLines + "echo \"the end\\n\"\n")
    let running = try Subprocess(Paths.sockshell, [script.path])
    #expect(running.readUntil("listen(") != nil)
    #expect(unlink(script.path) == 0)
    // Let the blocked accept return, so the script reads on.
    let client = loopbackClient(port: port)
    defer { close(client) }
    let result = running.finish()
    #expect(result.status == 1)
    #expect(result.stdout.contains("1:xxx"), "the lines read before it was deleted ran")
    #expect(!result.stdout.contains("the end"))
    #expect(result.stderr.hasPrefix("sockshell: after line "))
    #expect(result.stderr.hasSuffix(": cannot read \(script.path) any more: No such file or directory\n"))
  }

  @Test func aScriptFileReplacedWhileItRunsStops() throws {
    let port = freePort()
    let script = try ScriptFile(
      "$l = create inet stream\nbind $l 127.0.0.1 \(port)\nlisten $l 1\n$c = accept $l\n"
        + ScriptFileTests.longLines + "echo \"the end\\n\"\n")
    let running = try Subprocess(Paths.sockshell, [script.path])
    #expect(running.readUntil("listen(") != nil)
    // What an editor does on save: a new file renamed over the old one.
    let replacement = try ScriptFile("echo \"another script\\n\"\n")
    #expect(rename(replacement.path, script.path) == 0)
    // Let the blocked accept return, so the script reads on.
    let client = loopbackClient(port: port)
    defer { close(client) }
    let result = running.finish()
    #expect(result.status == 1)
    #expect(!result.stdout.contains("the end") && !result.stdout.contains("another script"))
    #expect(result.stderr.hasSuffix(": \(script.path) was replaced while it ran; stopping\n"))
  }

  @Test func aDeviceGivenAsTheScriptStopsInsteadOfFillingMemory() throws {
    let result = try runProcess(
      "/bin/sh", ["-c", "ulimit -v 1048576; exec \"$0\" /dev/zero", Paths.sockshell], timeout: 20)
    #expect(!result.timedOut)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("sockshell: /dev/zero gives more than "), "\(result.stderr)")
  }

  @Test func aLineWithoutEndOnStandardInputStopsAtTheLimit() throws {
    let result = try runProcess(
      "/bin/sh", ["-c", "ulimit -v 1048576; head -c 40000000 /dev/zero | \"$0\"", Paths.sockshell], timeout: 20)
    #expect(!result.timedOut)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("sockshell: a line is longer than "), "\(result.stderr)")
  }
}
