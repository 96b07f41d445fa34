import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// `unlink` removes the files AF_UNIX sockets leave behind, and nothing else.
@Suite struct UnlinkTests {
  func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-unlink-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    ).path
  }

  @Test func aRegularFileIsRefusedAndSurvives() throws {
    let path = temporaryPath("notes.txt")
    defer { unlink(path) }
    try "my notes\n".write(toFile: path, atomically: false, encoding: .utf8)
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "$s = create inet stream")
    interpreter.run(line: "unlink \(path)")
    #expect(
      output.messages == [
        "sockshell: unlink: \"\(path)\" is not a socket file (it is a regular file); "
          + "unlink here removes only the files AF_UNIX sockets leave behind"
      ])
    #expect(!output.echoes.contains { $0.hasPrefix("unlink(") }, "unlink(2) was called")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes\n")
    #expect(interpreter.handles.open.count == 1, "the session keeps its handles")
  }

  @Test func aSymlinkToASocketFileIsRefusedToo() throws {
    let socketPath = temporaryPath("server.sock")
    let link = temporaryPath("link")
    defer {
      unlink(socketPath)
      unlink(link)
    }
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(interpreter, output, ["$u = create unix stream", "bind $u \(socketPath)"])
    symlink(socketPath, link)
    interpreter.run(line: "unlink \(link)")
    #expect(output.messages.last?.contains("is not a socket file (it is a symbolic link)") == true)
    #expect(access(link, F_OK) == 0 && access(socketPath, F_OK) == 0)
  }

  @Test func theFileABoundUnixSocketLeftIsRemoved() throws {
    let path = temporaryPath("server.sock")
    defer { unlink(path) }
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let echoes = runLines(
      interpreter, output,
      ["$u = create unix stream", "bind $u \(path)", "close $u", "$gone = unlink \(path)", "unlink \(path)"],
      allowErrors: true)
    #expect(
      echoes.contains { $0.hasPrefix("unlink(\"\(path)\") = 0 ") && $0.hasSuffix(" $gone") }, "\(echoes)")
    #expect(interpreter.variables["gone"] == .bool(true))
    #expect(access(path, F_OK) != 0, "the socket file is still there")
    // A path with nothing there still goes to the kernel, which says so.
    #expect(echoes.last == "unlink(\"\(path)\") = -1 ENOENT (No such file or directory)", "\(echoes)")
    #expect(output.messages.allSatisfy { $0.hasPrefix("hint: ") }, "\(output.messages)")
  }
}
