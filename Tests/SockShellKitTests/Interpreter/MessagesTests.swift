import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// The rest of the function table against real sockets: datagrams, IPv6, Unix paths, pairs,
/// options, flags and scatter/gather.
@Suite struct MessagesTests {
  func value(_ interpreter: Interpreter, _ name: String) -> Value { interpreter.variables[name] ?? .null }

  func temporaryPath(_ stem: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-\(stem)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    ).path
  }

  @Test func udpKeepsMessageBoundariesAndNamesTheSender() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$server = create inet dgram; bind $server 127.0.0.1 0; socket_getsockname($server, $host, $port)",
        "$client = create inet dgram; bind $client 127.0.0.1 0; $me = getsockname $client",
        "sendto $client \"one\" 127.0.0.1 $port",
        "socket_sendto($client, \"two!\", 4, 0, \"127.0.0.1\", $port)",
        "$first = recvfrom $server 1024", "$firstFrom = $_from",
        "socket_recvfrom($server, $second, 1024, 0, $fromHost, $fromPort)",
      ])
    #expect(value(interpreter, "first") == .string("one"))
    #expect(value(interpreter, "second") == .string("two!"), "two sends, two receives: boundaries kept")
    #expect(value(interpreter, "firstFrom") == value(interpreter, "me"))
    #expect(value(interpreter, "fromHost") == .string("127.0.0.1"))
    guard case .bytes(let me) = value(interpreter, "me"),
      case .int(let fromPort) = value(interpreter, "fromPort")
    else {
      Issue.record("no address")
      return
    }
    #expect(String(decoding: me, as: UTF8.self).hasSuffix(":\(fromPort)"))
    #expect(output.echoes.contains { $0.contains(", \"one\", 1024, 0, {sa_family=AF_INET, sin_port=htons(") })
  }

  @Test func anAddressMayCarryItsPortAsFromHoldsIt() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$server = create inet dgram; bind $server 127.0.0.1:0; $here = getsockname $server",
        "$client = create inet dgram; sendto $client \"ping\" $here MSG_DONTWAIT",
        "$got = recvfrom $server 100", "sendto $server strrev($got) $_from", "$reply = recv $client 100",
      ])
    #expect(value(interpreter, "reply") == .string("gnip"))
    #expect(output.echoes.contains { $0.contains("\"ping\", 4, MSG_DONTWAIT, {sa_family=AF_INET") })
    interpreter.run(line: "connect $client 127.0.0.1 1:2")
    #expect(output.messages.last?.contains("the port must be a number") == true)
  }

  @Test func aDatagramTooLongIsCutAndMSGTRUNCTellsItsLength() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$s = create inet dgram; bind $s 127.0.0.1 0; socket_getsockname($s, $h, $port)",
        "$c = create inet dgram; connect $c 127.0.0.1 $port",
        "send $c \"abcdefgh\"", "socket_recvfrom($s, $cut, 3, MSG_TRUNC, $from, $p)", "$n = $_",
        "send $c \"xyz\"", "$next = recv $s 100",
      ])
    #expect(value(interpreter, "cut") == .string("abc"))
    #expect(value(interpreter, "n") == .int(8), "MSG_TRUNC: the real length")
    #expect(value(interpreter, "next") == .string("xyz"), "the rest of the cut datagram is gone")
  }

  @Test(.enabled(if: MessagesTests.loopback6Works(), "no ::1 on this machine"))
  func theReverseExchangeOverIPv6() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$server = create inet6 stream; bind $server ::1 0; listen $server",
        "socket_getsockname($server, $host, $port)",
        "$client = create AF_INET6 SOCK_STREAM 0; connect $client [::1] $port; $spawn = accept $server",
        "write $client \"xiongchao\"", "$in = read $spawn 1024", "write $spawn strrev($in)",
        "$reply = read $client 1024", "$peer = getpeername $client",
        "$fresh = create inet6 dgram", "set_option $fresh IPPROTO_IPV6 IPV6_V6ONLY 1",
        "$only = get_option $fresh IPPROTO_IPV6 IPV6_V6ONLY", "set_option $fresh IPPROTO_IPV6 IPV6_V6ONLY 0",
        "$both = get_option $fresh IPPROTO_IPV6 IPV6_V6ONLY",
      ])
    #expect(value(interpreter, "host") == .string("::1"))
    #expect(value(interpreter, "reply") == .string("oahcgnoix"))
    guard case .int(let port) = value(interpreter, "port") else { return }
    #expect(value(interpreter, "peer") == .string("[::1]:\(port)"))
    #expect(value(interpreter, "only") == .int(1))
    #expect(value(interpreter, "both") == .int(0))
    #expect(output.echoes.contains { $0.contains("inet_pton(AF_INET6, \"::1\", &sin6_addr)") })
  }

  static func loopback6Works() -> Bool {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr.__in6_u.__u6_addr8.15 = 1
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
      }
    }
  }

  @Test func unixStreamAndDatagramPathsAndAbstractNames() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let streamPath = temporaryPath("stream")
    let datagramPath = temporaryPath("dgram")
    defer {
      unlink(streamPath)
      unlink(datagramPath)
    }
    let abstract = "@sockshell-test-\(getpid())"
    runLines(
      interpreter, output,
      [
        "$server = create unix stream; bind $server \(streamPath); listen $server",
        "$client = create unix stream; connect $client \(streamPath); $spawn = accept $server",
        "write $client \"over a path\"", "$got = read $spawn 100",
        "$d = create unix dgram; bind $d \(datagramPath)",
        "$e = create unix dgram; bind $e \(abstract)", "sendto $e \"datagram\" \(datagramPath)",
        "$msg = recvfrom $d 100", "$from = $_from",
        "close $server", "$again = create unix stream", "bind $again \(streamPath)", "unlink \(streamPath)",
        "bind $again \(streamPath)",
      ])
    #expect(value(interpreter, "got") == .string("over a path"))
    #expect(value(interpreter, "msg") == .string("datagram"))
    #expect(value(interpreter, "from") == .string(abstract), "the sender's abstract name")
    #expect(
      output.messages.contains { $0.hasPrefix("hint: the socket file \(streamPath) stays after close") })
    let binds = output.echoes.filter { $0.hasPrefix("bind(") && $0.contains(streamPath) }
    #expect(binds.count == 3)
    #expect(binds[1].contains("EADDRINUSE"), "the file outlives the socket")
    #expect(binds[2].hasSuffix("= 0"), "after unlink the path binds again")
    #expect(output.echoes.contains { $0.contains("sun_path=@\"sockshell-test-") })
  }

  @Test func socketpairGivesTwoConnectedHandlesInEveryForm() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "[$a, $b] = socketpair unix stream 0", "write $a \"ping\"", "$x = read $b 10",
        "write $b \"pong\"", "$y = read $a 10",
        "$pair = create_pair AF_UNIX SOCK_DGRAM 0", "write $pair[0] \"d\"", "$z = read $pair[1] 10",
        "socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $named)", "$count = count($named)",
      ])
    #expect(value(interpreter, "x") == .string("ping"))
    #expect(value(interpreter, "y") == .string("pong"))
    #expect(value(interpreter, "z") == .string("d"))
    #expect(value(interpreter, "count") == .int(2))
    // Other tests run beside this one, so the fds may be any two.
    #expect(output.echoes.first?.hasPrefix("socketpair(AF_UNIX, SOCK_STREAM, 0, [") == true)
    #expect(
      output.echoes.first?.hasSuffix("]) = 0  #1 #2") == true
        || output.echoes.first?.hasSuffix(" #1 #2") == true)
    interpreter.run(line: "$bad = socketpair inet stream 0")
    #expect(output.echoes.last?.contains("= -1 EOPNOTSUPP") == true)
  }

  @Test func optionsRoundTripThroughTheKernel() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$s = create inet stream",
        "set_option $s SOL_SOCKET SO_REUSEADDR 1", "$reuse = get_option $s SOL_SOCKET SO_REUSEADDR",
        "setopt $s SOL_SOCKET SO_KEEPALIVE 1", "$alive = getopt $s SOL_SOCKET SO_KEEPALIVE",
        "set_option $s SOL_SOCKET SO_RCVBUF 32768", "$buffer = get_option $s SOL_SOCKET SO_RCVBUF",
        "set_option $s SOL_SOCKET SO_LINGER [1, 3]", "$linger = get_option $s SOL_SOCKET SO_LINGER",
        "set_option $s SOL_SOCKET SO_RCVTIMEO 1.5", "$timeout = get_option $s SOL_SOCKET SO_RCVTIMEO",
        "socket_set_option($s, SOL_TCP, TCP_NODELAY, 1)",
        "$nodelay = socket_get_option($s, SOL_TCP, TCP_NODELAY)",
        "set_option $s IPPROTO_IP IP_TTL 7", "$ttl = get_option $s IPPROTO_IP IP_TTL",
        "$type = get_option $s SOL_SOCKET SO_TYPE", "$domain = get_option $s SOL_SOCKET SO_DOMAIN",
        "$info = get_option $s SOL_TCP TCP_INFO",
      ])
    #expect(value(interpreter, "reuse") == .int(1))
    #expect(value(interpreter, "alive") == .int(1))
    #expect(value(interpreter, "buffer") == .int(65536), "Linux doubles the size it is given")
    #expect(value(interpreter, "linger") == .list([.int(1), .int(3)]))
    #expect(value(interpreter, "timeout") == .double(1.5))
    #expect(value(interpreter, "nodelay") == .int(1))
    #expect(value(interpreter, "ttl") == .int(7))
    #expect(value(interpreter, "type") == .int(Int(SOCK_STREAM.rawValue)))
    #expect(value(interpreter, "domain") == .int(Int(AF_INET)))
    #expect(value(interpreter, "info").textBytes.starts(with: Array("CLOSE ".utf8)))
    #expect(
      output.echoes.contains { $0.hasSuffix(", SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=3}, 8) = 0") })
    #expect(output.echoes.contains { $0.contains(", SOL_SOCKET, SO_TYPE, [SOCK_STREAM], [4]) = 0") })
  }

  @Test func badOptionsGetOneClearMessage() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "$s = create inet stream")
    interpreter.run(line: "get_option $s SOL_SOCKET \"SO_REUSEADR\"")
    #expect(output.messages.last?.contains("unknown option SO_REUSEADR") == true)
    #expect(output.messages.last?.contains("did you mean SO_REUSEADDR") == true)
    interpreter.run(line: "get_option $s SOL_TCP SO_REUSEADDR")
    #expect(output.messages.last?.contains("SO_REUSEADDR belongs to level SOL_SOCKET, not SOL_TCP") == true)
    interpreter.run(line: "set_option $s SOL_SOCKET SO_TYPE 1")
    #expect(output.messages.last?.contains("SO_TYPE can only be read") == true)
    interpreter.run(line: "set_option $s SOL_SOCKET SO_LINGER 1")
    #expect(output.messages.last?.contains("SO_LINGER takes [onoff, seconds]") == true)
    // The handle is intact after all that.
    interpreter.run(line: "$ok = get_option $s SOL_SOCKET SO_TYPE")
    #expect(interpreter.variables["ok"] == .int(Int(SOCK_STREAM.rawValue)))
  }

  @Test func peekLeavesTheDataAndDontwaitGivesEAGAIN() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "[$a, $b] = socketpair unix stream 0", "send $a \"hello\"",
        "$peek = recv $b 100 MSG_PEEK", "$read = recv $b 100", "$empty = recv $b 100 MSG_DONTWAIT",
        "socket_recv($b, $buf, 100, MSG_DONTWAIT)",
      ])
    #expect(value(interpreter, "peek") == .string("hello"))
    #expect(value(interpreter, "read") == .string("hello"), "MSG_PEEK left the data queued")
    #expect(value(interpreter, "empty") == .bool(false))
    #expect(
      output.echoes.filter {
        $0.contains(", 100, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)")
      }
      .count == 2)
  }

  @Test func iovecsScatterAndGather() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "[$a, $b] = socketpair unix stream 0",
        "$out = iovec_alloc 3 1 1 1", "iovec_set $out 0 \"xio\"", "iovec_set $out 1 \"ng\"",
        "iovec_set $out 2 \"chao\"", "writev $a $out",
        "$in = iovec_alloc 4 4", "$n = readv $b $in",
        "$first = iovec_fetch $in 0", "$second = iovec_fetch($in, 1)",
        "[$c, $d] = socketpair unix dgram 0", "sendmsg $c $out", "$m = iovec_alloc 100", "recvmsg $d $m",
        "$whole = iovec_fetch $m 0", "iovec_add $m 7", "iovec_delete $m 0", "$now = iovec_fetch $m 0",
        "iovec_free $m",
      ])
    #expect(value(interpreter, "n") == .int(8), "two buffers of 4 take 8 of the 9 bytes")
    #expect(value(interpreter, "first") == .string("xion"), "the first buffer fills first")
    #expect(value(interpreter, "second") == .string("gcha"))
    #expect(value(interpreter, "whole") == .string("xiongchao"), "one datagram, gathered from three buffers")
    #expect(value(interpreter, "now") == .string(""), "after delete the new buffer 0 is the empty one")
    #expect(
      output.echoes.contains {
        $0.hasSuffix(
          ", [{iov_base=\"xio\", iov_len=3}, {iov_base=\"ng\", iov_len=2}, {iov_base=\"chao\", iov_len=4}], 3) = 9"
        )
      })
    #expect(
      output.echoes.contains {
        $0.contains(", [{iov_base=\"xion\", iov_len=4}, {iov_base=\"gcha\", iov_len=4}], 2) = 8")
      })
    interpreter.run(line: "iovec_fetch $m 0")
    #expect(output.messages.last?.contains("iovec %3 was freed") == true)
  }

  @Test func lingerZeroTurnsCloseIntoAResetThePeerSees() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      [
        "$server = create inet stream; bind $server 127.0.0.1 0; listen $server",
        "socket_getsockname($server, $h, $port)",
        "$client = create inet stream; connect $client 127.0.0.1 $port; $spawn = accept $server",
        "set_option $spawn SOL_SOCKET SO_LINGER [1, 0]", "close $spawn", "$r = read $client 100",
      ])
    #expect(value(interpreter, "r") == .bool(false))
    #expect(output.echoes.last?.contains("= -1 ECONNRESET (Connection reset by peer)") == true)
    #expect(output.messages.contains { $0.hasPrefix("hint: the peer reset the connection") })
  }

  @Test func createListenEchoesItsThreeCallsAndWarns() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "$l = create_listen 0 5; $name = getsockname $l")
    #expect(output.echoes.count == 4)
    #expect(output.echoes[0].hasPrefix("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = "))
    #expect(
      output.echoes[1].contains(", {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"0.0.0.0\")}"))
    #expect(output.echoes[2].contains(", 5) = 0") && output.echoes[2].hasSuffix("#1 $l"))
    #expect(output.messages.contains { $0.contains("reachable from other machines") })
    #expect(interpreter.handles.handle(1)?.state == .listening)
  }

  @Test func rawSocketsNeedPrivileges() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "$raw = create inet raw icmp")
    if geteuid() == 0 {
      // root (as in many containers) has CAP_NET_RAW.
      #expect(output.echoes.first?.hasPrefix("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = ") == true)
      #expect(output.echoes.first?.contains("= -1") == false)
    } else {
      #expect(output.echoes.first?.hasSuffix("= -1 EPERM (Operation not permitted)") == true)
      #expect(output.messages.contains { $0.hasPrefix("hint: this needs privileges") })
    }
  }
}

@Suite struct SourceTests {
  @Test func sourceRunsAFileInThisSession() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-source-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ss"
    ).path
    defer { unlink(path) }
    try "$s = create inet stream\nbogus here\n$after = 1\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "source \"\(path)\"; $back = 2", lineNumber: 7)
    #expect(interpreter.variables["s"] == .handle(1), "the file's handle stays in the session")
    #expect(interpreter.variables["after"] == .int(1), "a bad line in the file does not stop it")
    #expect(interpreter.variables["back"] == .int(2))
    #expect(
      output.messages == [
        "sockshell: \(path) line 2: column 1: unknown command 'bogus'; type `help` for the list"
      ])
    #expect(interpreter.location == "line 7", "the outer line number is back")
    interpreter.run(line: "source /nonexistent/file")
    #expect(
      output.messages.last == "sockshell: source: cannot read /nonexistent/file: No such file or directory")
  }
}
