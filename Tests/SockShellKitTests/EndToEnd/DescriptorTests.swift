import Foundation
import Glibc
import Testing

/// sockshell holds no descriptor of its own between the learner's calls, so the fd numbers of a
/// session in the shell are those of the same calls in a script, a lesson or C.
@Suite struct DescriptorTests {
  /// A client that connects to the port in argv[1] at once and then stays connected.
  static let lingeringClient = """
    import socket, sys, time
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
    print("connected", flush=True)
    time.sleep(30)
    """

  /// Starts the shell and lets an `accept` wait long enough for the wait notice, then connects
  /// a Python client to it. Returns the terminal and the client (which must stay alive).
  func shellAfterAWaitNotice(_ home: TerminalTests.Home, port: Int) throws -> (PseudoTerminal, Subprocess) {
    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment())
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    terminal.type("$socket = create AF_INET SOCK_STREAM 0\r")
    #expect(terminal.waitFor("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"), "\(terminal.text)")
    terminal.type("bind $socket 127.0.0.1 \(port)\r")
    terminal.type("listen $socket 3\r")
    #expect(terminal.waitFor("listen(3, 3) = 0"), "\(terminal.text)")
    terminal.type("$early = accept $socket\r")
    #expect(terminal.waitFor("accept(3) is waiting for a connection"), "no wait notice: \(terminal.text)")
    // The notice has fired: only now does a client come.
    let client = try python(Self.lingeringClient, arguments: ["\(port)"])
    #expect(client.readLine() == "connected")
    #expect(terminal.waitFor("#2 $early"), "accept did not return: \(terminal.text)")
    return (terminal, client)
  }

  @Test func theReadmeSessionGetsFdsThreeFourFiveAfterAWaitNotice() throws {
    let home = try TerminalTests.Home()
    let port = freePort()
    let (terminal, client) = try shellAfterAWaitNotice(home, port: port)
    defer { _ = client }
    // The early connection goes, so that the README's session continues as written.
    let early = terminal.text.split(separator: "\n").first { $0.contains("#2 $early") } ?? ""
    #expect(early.contains("accept(3, {") && early.contains(") = 4 "), "\(terminal.text)")
    terminal.type("close $early\r")
    #expect(terminal.waitFor("close(4) = 0"), "\(terminal.text)")

    terminal.type("$client = create AF_INET SOCK_STREAM 0\r")
    terminal.type("connect $client 127.0.0.1 \(port)\r")
    terminal.type("$spawn = accept $socket\r")
    terminal.type("write $client \"xiongchao\"\r")
    terminal.type("$input = read $spawn 1024\r")
    #expect(terminal.waitFor("read(5, "), "\(terminal.text)")
    // As in a script and in C: the client is fd 4 and the accepted connection fd 5.
    #expect(
      terminal.text.contains("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4"), "client: \(terminal.text)")
    #expect(terminal.text.contains("connect(4, {sa_family=AF_INET"), "\(terminal.text)")
    #expect(terminal.text.contains(" 16]) = 5 "), "accept: \(terminal.text)")
    #expect(terminal.text.contains("write(4, \"xiongchao\", 9) = 9"), "\(terminal.text)")
    #expect(terminal.text.contains("read(5, \"xiongchao\", 1024) = 9"), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func theShellHoldsOnlyTheTerminalAndTheLearnersSocketsAfterANotice() throws {
    let home = try TerminalTests.Home()
    let folder = home.path + "/files"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: folder + "/setup.ss", contents: Data("strerror 1\n".utf8))
    let (terminal, client) = try shellAfterAWaitNotice(home, port: freePort())
    defer { _ = client }
    // What else the shell does between calls: complete a path (it lists a folder), write history,
    // list the lessons, run a file.
    terminal.type("source \(folder)/set\t")
    #expect(terminal.waitFor("setup.ss"), "Tab did not complete the path: \(terminal.text)")
    terminal.type("\r")
    #expect(terminal.waitFor("EPERM (1)"), "\(terminal.text)")
    terminal.type("lessons\r")
    #expect(terminal.waitFor("reverse-server"), "\(terminal.text)")
    terminal.type("strerror 2\r")
    #expect(terminal.waitFor("ENOENT (2)"), "\(terminal.text)")

    let table = "/proc/\(terminal.pid)/fd"
    var descriptors: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: table) {
      let target = try? FileManager.default.destinationOfSymbolicLink(atPath: table + "/" + name)
      descriptors[name] = target ?? "?"
    }
    // 0-2 are the terminal; 3 the listener and 4 the accepted connection; nothing else.
    #expect(Set(descriptors.keys) == ["0", "1", "2", "3", "4"], "open descriptors: \(descriptors)")
    for name in ["3", "4"] {
      #expect(descriptors[name]?.hasPrefix("socket:") == true, "fd \(name): \(descriptors[name] ?? "none")")
    }
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }
}
