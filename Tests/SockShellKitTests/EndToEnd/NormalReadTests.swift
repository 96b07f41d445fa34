import Foundation
import Glibc
import Testing

/// `read … PHP_NORMAL_READ` reads a byte at a time; when a signal stops it mid-line, the bytes
/// it has taken from the socket are its value, and sockshell says so.
@Suite struct NormalReadTests {
  /// A server that sends "abc" with no line end, then stays connected and silent.
  static let silentServer = """
    import socket, time
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    s.settimeout(15)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept()
    c.sendall(b"abc")
    time.sleep(30)
    """

  static let notice = "sockshell: read was interrupted after 3 bytes of the line; they are in the value"
  static let hint =
    "hint: the wait was interrupted (Ctrl-C or the time limit) before a line end came; the 3 bytes "
    + "read before it have left the socket"

  @Test func ctrlCMidLineKeepsTheBytesAsTheValue() throws {
    let server = try python(Self.silentServer)
    let port = server.readLine()
    let home = try TerminalTests.Home()
    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment())
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    terminal.type("$c = create inet stream; connect $c 127.0.0.1 \(port)\r")
    #expect(terminal.waitFor("connect(3, {sa_family=AF_INET"), "\(terminal.text)")
    terminal.type("$line = read $c 100 PHP_NORMAL_READ\r")
    #expect(terminal.waitFor("read(3) is waiting for data"), "\(terminal.text)")
    terminal.type("\u{03}")
    #expect(terminal.waitFor("= -1 EINTR (Interrupted system call)"), "\(terminal.text)")
    #expect(terminal.waitFor(Self.notice), "no notice: \(terminal.text)")
    #expect(terminal.text.contains(Self.hint), "\(terminal.text)")
    #expect(!terminal.text.contains("the socket is unchanged"), "\(terminal.text)")
    terminal.type("vars\r")
    #expect(terminal.waitFor("$line = \"abc\""), "the bytes were lost: \(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
  }

  @Test func theWatchdogMidLineSaysWhereTheBytesWent() throws {
    let server = try python(Self.silentServer)
    let port = server.readLine()
    let result = try runSockshell(
      """
      $c = create inet stream
      connect $c 127.0.0.1 \(port)
      set_time_limit(1)
      $line = read $c 100 PHP_NORMAL_READ
      """)
    #expect(result.status == 1)
    #expect(result.stdout.contains("read(3, \"c\", 1) = 1\n"), "\(result.stdout)")
    #expect(result.stdout.contains("= -1 EINTR (Interrupted system call)"), "\(result.stdout)")
    #expect(
      result.stderr
        == Self.hint + "\n" + Self.notice + "\n"
        + "sockshell: line 4: the time limit set by set_time_limit() ran out; stopping\n")
  }
}
