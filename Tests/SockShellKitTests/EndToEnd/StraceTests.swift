import Foundation
import Testing

/// sockshell makes no system call on a socket that it does not echo: what it prints is compared,
/// call by call, with what strace saw the process do.
@Suite struct StraceTests {
  struct Call: Equatable, CustomStringConvertible {
    var name: String
    var firstArgument: String
    var result: String
    var description: String { "\(name)(\(firstArgument), ...) = \(result)" }
  }

  static let traced: Set<String> = [
    "socket", "bind", "listen", "accept", "connect", "read", "write", "close", "fcntl", "select", "shutdown",
    "socketpair", "getsockname", "getpeername", "setsockopt", "getsockopt", "sendto", "recvfrom", "readv",
    "writev", "sendmsg", "recvmsg", "unlink", "recv", "send",
  ]

  /// Runs a script under strace; returns what sockshell echoed and what strace saw on sockets.
  func trace(_ script: String) throws -> (echoed: [Call], seen: [Call]) {
    let traceFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("sockshell-strace-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt").path
    defer { try? FileManager.default.removeItem(atPath: traceFile) }
    let result = try runProcess(
      Paths.which("strace")!,
      [
        "-o", traceFile, "-e", "trace=%network,read,write,close,fcntl,select,pselect6,readv,writev,unlink",
        Paths.sockshell,
      ],
      stdin: script)
    // The scripts make a few deliberate mistakes (a closed handle, an unknown one): status 1.
    #expect(result.status <= 1 && !result.timedOut, "\(result.stderr)")
    let echoed = result.stdout.split(separator: "\n").compactMap(Self.parse)
    let traceText = try String(contentsOfFile: traceFile, encoding: .utf8)
    var seen: [Call] = []
    var socketFDs: Set<String> = []
    var started = false
    for line in traceText.split(separator: "\n") {
      guard let call = Self.parse(line) else { continue }
      if call.name == "socket" || call.name == "socketpair" { started = true }
      guard started else { continue }
      if call.name == "socket" || call.name == "accept" { socketFDs.insert(call.result) }
      if call.name == "socketpair", let open = line.lastIndex(of: "["), let close = line.lastIndex(of: "]") {
        for fd in line[line.index(after: open)..<close].split(separator: ",") {
          socketFDs.insert(fd.trimmingCharacters(in: .whitespaces))
        }
      }
      if ["socket", "socketpair", "select", "unlink"].contains(call.name)
        || socketFDs.contains(call.firstArgument)
      {
        seen.append(call)
      }
    }
    return (echoed, seen)
  }

  /// `name(first, ...) = result` from one line, with strace's padding before `=` allowed.
  static func parse(_ line: Substring) -> Call? {
    guard let open = line.firstIndex(of: "(") else { return nil }
    var name = String(line[..<open])
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
    if name == "pselect6" { name = "select" }
    if name == "accept4" { name = "accept" }
    // glibc's recv and send are recvfrom and sendto with no address.
    if name == "recvfrom" && line.contains(", NULL, NULL)") { name = "recv" }
    if name == "sendto" && line.contains(", NULL, 0)") { name = "send" }
    guard traced.contains(name) else { return nil }
    let afterOpen = line[line.index(after: open)...]
    let firstEnd = afterOpen.firstIndex { $0 == "," || $0 == ")" } ?? afterOpen.endIndex
    guard let equals = line.range(of: " = ", options: .backwards) else { return nil }
    let result = line[equals.upperBound...].split(separator: " ").first.map(String.init) ?? ""
    return Call(name: name, firstArgument: String(afterOpen[..<firstEnd]), result: result)
  }

  @Test(.enabled(if: Paths.which("strace") != nil, "strace is not installed"))
  func everyEchoedCallIsWhatTheKernelSawAndNothingMore() throws {
    let port = freePort()
    let script = """
      $port = \(port)
      $socket = create AF_INET SOCK_STREAM 0
      $refused = create inet stream
      connect $refused 127.0.0.1 $port
      bind $socket 127.0.0.1 $port
      listen $socket 3
      $r = [$socket]; select $r null null 0
      $client = create inet stream
      connect $client 127.0.0.1 $port
      $r = [$socket]; select $r null null 1
      $spawn = accept $socket
      write $client "xiongchao\\n"
      $line = read $spawn 1024 PHP_NORMAL_READ
      write $spawn strrev(trim($line)) . "\\n"
      read $client 1024
      set_nonblock $client
      read $client 1024
      set_block $client
      shutdown $client wr
      read $spawn 10
      close $spawn
      write $client "late"
      write $client "late"
      close #99
      listen $spawn 1
      close $client; close $socket; close $refused
      """
    let (echoed, seen) = try trace(script)
    #expect(echoed.count >= 30)
    #expect(echoed == seen)
    // Spot checks that the comparison sees what matters.
    #expect(echoed.contains(Call(name: "connect", firstArgument: "4", result: "-1")))
    #expect(echoed.filter { $0.name == "read" && $0.firstArgument == "6" }.count >= 10)
    #expect(echoed.contains(Call(name: "write", firstArgument: "5", result: "-1")))
    #expect(echoed.contains(Call(name: "select", firstArgument: "4", result: "1")))
  }

  @Test(.enabled(if: Paths.which("strace") != nil, "strace is not installed"))
  func theRestOfTheTableEchoesWhatTheKernelSaw() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-strace-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    ).path
    defer { unlink(path) }
    let script = """
      [$a, $b] = socketpair unix stream 0
      send $a "hello" 5 MSG_NOSIGNAL
      recv $b 10 MSG_PEEK
      recv $b 10
      recv $b 10 MSG_DONTWAIT
      $v = iovec_alloc 2 3; iovec_set $v 0 "ab"; iovec_set $v 1 "cde"
      writev $a $v
      $w = iovec_alloc 4 4
      readv $b $w
      $u = create inet dgram; bind $u 127.0.0.1 0
      $me = getsockname $u
      socket_getsockname($u, $host, $port)
      $c = create inet dgram
      sendto $c "one" 127.0.0.1 $port
      recvfrom $u 100
      sendmsg $c $v 127.0.0.1 $port
      recvmsg $u $w
      getpeername $u
      connect $c 127.0.0.1 $port
      getpeername $c
      set_option $u SOL_SOCKET SO_RCVBUF 65536
      get_option $u SOL_SOCKET SO_RCVBUF
      get_option $u SOL_TCP TCP_NODELAY
      $l = create unix stream
      bind $l \(path)
      unlink \(path)
      unlink \(path)
      close $a; close $b; close $u; close $c; close $l
      """
    let (echoed, seen) = try trace(script)
    #expect(echoed.count >= 25)
    #expect(echoed == seen)
    for name in [
      "socketpair", "sendto", "recvfrom", "writev", "readv", "sendmsg", "recvmsg", "getsockname",
      "getpeername",
      "setsockopt", "getsockopt", "unlink",
    ] {
      #expect(echoed.contains { $0.name == name }, "\(name) was not exercised")
    }
    #expect(
      echoed.contains(Call(name: "recv", firstArgument: "4", result: "-1")), "EAGAIN from MSG_DONTWAIT")
    #expect(echoed.contains(Call(name: "getpeername", firstArgument: "5", result: "-1")), "ENOTCONN")
  }

  @Test func theLineParserReadsBothNotations() {
    #expect(
      Self.parse(#"socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3                    #1 $socket"#)
        == Call(name: "socket", firstArgument: "AF_INET", result: "3"))
    #expect(
      Self.parse(#"pselect6(4, [3], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 0 (Timeout)"#)
        == Call(name: "select", firstArgument: "4", result: "0"))
    #expect(
      Self.parse(#"listen(3, 3)                      = 0"#)
        == Call(name: "listen", firstArgument: "3", result: "0"))
    #expect(Self.parse("sockshell: line 3: nothing") == nil)
  }
}
