import Foundation
import Testing

/// sockshell as a learner runs it: the built binary, scripts on stdin, in files and with -c.
@Suite struct ScriptTests {
  @Test func reverseExchangeInOneSession() throws {
    // The listener binds a port picked here, so the client knows where to connect.
    let port = freePort()
    let script = """
      $port = \(port)
      $socket = create AF_INET SOCK_STREAM 0
      bind $socket 127.0.0.1 $port
      listen $socket 3
      $client = create AF_INET SOCK_STREAM 0
      connect $client 127.0.0.1 $port
      $spawn = accept $socket
      write $client "xiongchao"
      $input = read $spawn 1024
      write $spawn strrev($input) . "\\n"
      $reply = read $client 1024
      echo "Reply from server:" . $reply
      close $spawn; close $client; close $socket
      """
    let result = try runSockshell(script)
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout.contains("\nReply from server:oahcgnoix\n"))
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines[0].hasPrefix("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3") && lines[0].hasSuffix("#1 $socket"))
    #expect(
      lines[1]
        == "bind(3, {sa_family=AF_INET, sin_port=htons(\(port)), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0")
    #expect(lines[2] == "listen(3, 3) = 0")
    #expect(lines.contains("write(4, \"xiongchao\", 9) = 9"))
    #expect(lines.contains("write(5, \"oahcgnoix\\n\", 10) = 10"))
    #expect(lines.suffix(3) == ["close(5) = 0", "close(4) = 0", "close(3) = 0"])
  }

  @Test func tutorialLinesRunAsPasted() throws {
    let port = freePort()
    // The server and the client of the tutorial, in two sockshell processes, port changed only.
    let server = try Subprocess(Paths.sockshell, [], stdin: Tutorial.server(port: port))
    #expect(server.readUntil("listen(") != nil)
    let client = try runSockshell(Tutorial.client(port: port))
    let served = server.finish()
    #expect(client.status == 0)
    #expect(client.stderr == "")
    #expect(client.stdout.hasPrefix("Message To server :xiongchao\n"))
    #expect(client.stdout.contains("\nReply from server:oahcgnoix\n"))
    #expect(served.status == 0)
    #expect(served.stderr == "")
    #expect(served.stdout.contains("read(4, \"xiongchao\", 1024) = 9"))
    #expect(served.stdout.contains("write(4, \"oahcgnoix\\n\", 10) = 10"))
  }

  @Test func badLinesThenAWorkingStatement() throws {
    let script = """
      $s = create inet stream
      write $s "stray" )
      frobnicate #1
      bind #1 127.0.0.300 80
      bind #1 127.0.0.1 70000
      read #1 99999999999999999999999
      create AF_INTE SOCK_STREAM
      close #42
      select [#1] null null -1
      ))))
      echo "still here: " . strlen("abc") . "\\n"
      close $s
      """
    let result = try runSockshell(script)
    #expect(result.status == 1)
    var errors = result.stderr.split(separator: "\n")
    #expect(errors.popLast() == "sockshell: 9 statements of this script could not run; exit status 1")
    #expect(errors.count == 9)
    #expect(errors.allSatisfy { $0.hasPrefix("sockshell: line ") })
    #expect(result.stdout.contains("still here: 3\n"))
    #expect(result.stdout.hasSuffix("close(3) = 0\n"))
  }

  @Test func aClosedHandleStaysDeadWhenItsFDIsReused() throws {
    let result = try runSockshell(
      "$a = create inet stream\nclose $a\n$b = create inet stream\nlisten $a 1\nlisten $b 1")
    #expect(
      result.stdout.split(separator: "\n").map { String($0.prefix(46)) } == [
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3  ", "close(3) = 0",
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3  ", "listen(3, 1) = 0",
      ])
    #expect(
      result.stderr.split(separator: "\n").first
        == "sockshell: line 4: listen: #1 ($a) was closed at line 2 by close; handle numbers are never reused, so create a new socket"
    )
    // `listen $b` on a socket never bound: the kernel's own bind reaches every interface.
    #expect(result.stderr.contains("bind 127.0.0.1 or ::1 first to stay local\n"))
  }

  @Test func exitStatuses() throws {
    #expect(
      try runSockshell(#"connect(create(AF_INET, SOCK_STREAM, 0), "127.0.0.1", 1) or die("no\n"); echo "x""#)
        .status == 1)
    #expect(
      try runSockshell("$s = create inet stream; connect $s 127.0.0.1 1; echo 1", arguments: ["--fail-fast"])
        .status == 1)
    #expect(try runSockshell("quit 3").status == 3)
    // A statement that cannot run is an error of the script; a failed socket call is not.
    #expect(try runSockshell("frobnicate").status == 1)
    #expect(try runSockshell("$s = create inet stream; connect $s 127.0.0.1 1").status == 0)
    let unknownFlag = try runSockshell("", arguments: ["--no-such-flag"])
    #expect(unknownFlag.status == 2)
    #expect(unknownFlag.stderr.hasPrefix("Error: Unknown option '--no-such-flag'"))
    let missing = try runSockshell("", arguments: ["/nonexistent/script.ss"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "sockshell: cannot open '/nonexistent/script.ss': No such file or directory\n")
    #expect(try runSockshell("", arguments: ["--version"]).stdout == "0.1.0\n")
    let help = try runSockshell("", arguments: ["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--fail-fast"))
  }

  @Test func dashCAndScriptFiles() throws {
    let c = try runProcess(Paths.sockshell, ["-c", "strerror 111\nstrerror EPIPE"])
    #expect(c.stdout == "ECONNREFUSED (111): Connection refused\nEPIPE (32): Broken pipe\n")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ss")
    try "$s = create inet6 stream\nbind $s ::1 0\nclose $s\n".write(
      to: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: path) }
    let file = try runProcess(Paths.sockshell, [path.path])
    #expect(
      file.stdout.split(separator: "\n").map(String.init) == [
        "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 3                   #1 $s",
        "bind(3, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
        "close(3) = 0",
      ])
  }

  @Test func theWatchdogStopsABlockedScript() throws {
    let result = try runSockshell(
      "set_time_limit(1)\n$s = create inet stream\nbind $s 127.0.0.1 0\nlisten $s 1\naccept $s\necho \"never\"",
      timeout: 10)
    #expect(!result.timedOut)
    #expect(result.status == 1)
    #expect(result.stdout.contains("= -1 EINTR (Interrupted system call)"))
    #expect(!result.stdout.contains("never"))
    #expect(result.stderr.contains("set_time_limit"))
  }

  @Test func helpAnswersForEveryCommandByEachName() throws {
    let names = [
      "create", "socket_create", "socket", "bind", "socket_bind", "listen", "accept", "connect", "read",
      "write", "close", "select", "set_nonblock", "socket_set_block", "shutdown", "strerror",
      "socket_last_error", "lasterror", "clearerror", "socket_clear_error",
    ]
    let script = names.map { "help \($0)" }.joined(separator: "\n")
    let result = try runSockshell(script)
    #expect(result.stderr == "")
    #expect(result.stdout.components(separatedBy: "\n  ").count > names.count * 2)
    #expect(result.stdout.contains("int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);"))
    #expect(result.stdout.contains("man 2 accept"))
  }
}

/// The lines of the PHP tutorial (shared/seed), as a learner pastes them; only the port changes.
enum Tutorial {
  static func server(port: Int) -> String {
    """
    $host = "127.0.0.1";$port=\(port);set_time_limit(0);//设置程序的执行时间
    $socket = socket_create(AF_INET,SOCK_STREAM,0) or die("could not create socket\\n");
    $result = socket_bind($socket, $host, $port) or die("Could not bind to socket\\n");
    $result = socket_listen($socket,3) or die("Could not set up socket listener\\n");
    $spawn = socket_accept($socket) or die("Could not accept incoming connection\\n");
    $input = socket_read($spawn,1024) or die("Could not read input\\n");
    $output = strrev($input)."\\n";
    socket_write($spawn,$output,strlen(($output))) or die("Could not write output\\n");
    socket_close($spawn);socket_close($socket);
    """
  }

  static func client(port: Int) -> String {
    """
    $host = "127.0.0.1";$port=\(port);set_time_limit(0);
    $message = "xiongchao";echo "Message To server :".$message."\\n";
    $socket = socket_create(AF_INET,SOCK_STREAM,0) or die("Could not create socket\\n");
    $result = socket_connect($socket,$host,$port) or die("Could not connect to server\\n");
    socket_write($socket,$message,strlen($message)) or die("Could not send data to server\\n");
    $result = socket_read($socket,1024) or die("Could not read server response\\n");echo "Reply from server:".$result;
    socket_close($socket);
    """
  }
}
