import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// Faults planned in the kernel seam, met by statements run through the interpreter on real
/// loopback sockets: the echo, the value, the handle's last error, and what the peer receives.
@Suite struct FaultTests {
  /// A listening TCP server `$l` on 127.0.0.1 with `$port` set to the port the kernel picked.
  func listening(_ interpreter: Interpreter, _ output: RecordingOutput) throws {
    runLines(interpreter, output, ["$l = create inet stream", "bind $l 127.0.0.1 0", "listen $l 5"])
    let listener = try #require(handle(interpreter, "l"))
    interpreter.variables["port"] = .int(boundPort(listener.fd))
    limitWaits(listener)
  }

  /// A listener with one client `$c` connected and accepted as `$s`; the echo is cleared.
  func connected(_ interpreter: Interpreter, _ output: RecordingOutput) throws {
    try listening(interpreter, output)
    runLines(
      interpreter, output, ["$c = create inet stream", "connect $c 127.0.0.1 $port", "$s = accept $l"])
    limitWaits(try #require(handle(interpreter, "s")))
    output.clear()
  }

  /// Lets an accept or read on the socket wait two seconds at most, so that a broken seam fails
  /// a test with EAGAIN instead of hanging it. Set with libc directly: nothing is echoed.
  func limitWaits(_ handle: Handle) {
    var limit = timeval(tv_sec: 2, tv_usec: 0)
    _ = setsockopt(handle.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
  }

  /// The handle a variable holds, if it holds one.
  func handle(_ interpreter: Interpreter, _ variable: String) -> Handle? {
    guard case .handle(let number)? = interpreter.variables[variable] else { return nil }
    return interpreter.handles.handle(number)
  }

  /// The echoed calls without the annotation (`$s`, `#1 $s`) the echo pads into a column after
  /// each; none of these tests writes data with two spaces in a row.
  func calls(_ output: RecordingOutput) -> [String] {
    output.echoes.map { echo in
      guard let gap = echo.range(of: "  ") else { return echo }
      return String(echo[..<gap.lowerBound])
    }
  }

  /// What `lasterror $variable` prints after the handle's description.
  func lastError(_ interpreter: Interpreter, _ output: RecordingOutput, _ variable: String) -> String {
    output.clear()
    runLines(interpreter, output, ["lasterror $\(variable)"])
    return output.text
  }

  @Test func emfileOnCreateIsEchoedMakesNoHandleAndTheSessionGoesOn() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.kernel.faults.fail("socket", with: Errno(EMFILE))
    runLines(interpreter, output, ["$s = create inet stream"], allowErrors: true)
    #expect(
      calls(output) == ["socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = -1 EMFILE (Too many open files)"])
    #expect(output.echoes.first?.hasSuffix(" $s") == true)
    #expect(output.messages == ["hint: " + (Errno(EMFILE).hint ?? "")])
    #expect(interpreter.variables["s"] == .bool(false))
    #expect(interpreter.handles.all.isEmpty)

    output.clear()
    runLines(interpreter, output, ["$t = create inet stream"])
    #expect(output.echoes.count == 1 && output.echoes[0].contains(") = ") && !output.echoes[0].contains("-1"))
    #expect(handle(interpreter, "t") != nil)
    #expect(interpreter.handles.all.count == 1)
  }

  @Test func emfileOnTheSecondAcceptLeavesTheWaitingConnectionForTheThird() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    try listening(interpreter, output)
    // Planned before the clients connect: their socket and connect calls must not count.
    interpreter.kernel.faults.fail("accept", with: Errno(EMFILE), onCall: 2)
    runLines(
      interpreter, output,
      [
        "$one = create inet stream", "connect $one 127.0.0.1 $port",
        "$two = create inet stream", "connect $two 127.0.0.1 $port",
      ])
    output.clear()
    runLines(
      interpreter, output, ["$first = accept $l", "$failed = accept $l", "$second = accept $l"],
      allowErrors: true)

    let echoes = output.echoes
    #expect(echoes.count == 3)
    guard echoes.count == 3 else { return }
    #expect(
      echoes[0].hasPrefix("accept(") && echoes[0].contains("[128 => 16]") && echoes[0].hasSuffix("$first"))
    #expect(
      echoes[1].hasPrefix("accept(") && calls(output)[1].hasSuffix("= -1 EMFILE (Too many open files)")
        && echoes[1].hasSuffix(" $failed"))
    #expect(
      echoes[2].hasPrefix("accept(") && echoes[2].contains("[128 => 16]") && echoes[2].hasSuffix("$second"))
    #expect(interpreter.variables["failed"] == .bool(false))
    #expect(lastError(interpreter, output, "l").contains("EMFILE (24) Too many open files — from accept"))

    // Each accepted socket is the server side of its own client, in the order they connected.
    let first = try #require(handle(interpreter, "first"))
    let second = try #require(handle(interpreter, "second"))
    let one = try #require(handle(interpreter, "one"))
    let two = try #require(handle(interpreter, "two"))
    #expect(first.peerAddress?.port.map(Int.init) == boundPort(one.fd))
    #expect(second.peerAddress?.port.map(Int.init) == boundPort(two.fd))
    #expect(interpreter.handles.open.count == 5, "the listener, two clients and two accepted sockets")
    runLines(interpreter, output, [#"write $two "to second""#, "$got = read $second 100"])
    #expect(interpreter.variables["got"] == .string("to second"))
  }

  @Test func eintrInTheMiddleOfANormalModeReadKeepsTheBytesReadAndTheRest() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    try connected(interpreter, output)
    runLines(interpreter, output, [#"write $c "abc\n""#])
    output.clear()
    // PHP_NORMAL_READ reads a byte per call: the third call, for "c", is interrupted.
    interpreter.kernel.faults.fail("read", with: .EINTR, onCall: 3)
    runLines(interpreter, output, ["$line = read $s 100 PHP_NORMAL_READ"], allowErrors: true)

    let fd = handle(interpreter, "s")?.fd ?? -1
    let echoes = output.echoes
    #expect(echoes.count == 3)
    guard echoes.count == 3 else { return }
    #expect(calls(output)[0] == #"read(\#(fd), "a", 1) = 1"#)
    #expect(calls(output)[1] == #"read(\#(fd), "b", 1) = 1"#)
    #expect(echoes[2].hasPrefix("read(\(fd), 0x"))
    #expect(calls(output)[2].hasSuffix(", 1) = -1 EINTR (Interrupted system call)"))
    #expect(echoes[2].hasSuffix(" $line"))
    // The bytes read before the interruption are the value, and the messages say where they went.
    #expect(output.messages.count == 2)
    #expect(output.messages.first?.hasPrefix("hint: ") == true)
    #expect(output.messages.last == "sockshell: read was interrupted after 2 bytes of the line; they are in the value")
    #expect(interpreter.variables["line"] == .string("ab"))
    #expect(lastError(interpreter, output, "s").contains("EINTR (4) Interrupted system call — from read"))

    // Nothing was lost: the interrupted call never reached the socket, so "c\n" is still there.
    runLines(interpreter, output, ["$rest = read $s 100"])
    #expect(interpreter.variables["rest"] == .string("c\n"))
    #expect(handle(interpreter, "s")?.bytesRead == 4)
  }

  @Test func econnresetOnReadIsEchoedAsARealFailureAndLeavesTheDataUnread() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    try connected(interpreter, output)
    runLines(interpreter, output, [#"write $c "still here""#])
    output.clear()
    interpreter.kernel.faults.fail("read", with: Errno(ECONNRESET))
    runLines(interpreter, output, ["$r = read $s 100"], allowErrors: true)

    #expect(output.echoes.count == 1)
    let echo = output.echoes.first ?? ""
    let fd = handle(interpreter, "s")?.fd ?? -1
    // The buffer shows by its address, as strace shows a buffer a failed read left empty.
    #expect(echo.hasPrefix("read(\(fd), 0x") && !echo.hasPrefix("read(\(fd), 0x0,"))
    #expect(calls(output).first?.hasSuffix(", 100) = -1 ECONNRESET (Connection reset by peer)") == true)
    #expect(echo.hasSuffix(" $r"))
    #expect(output.messages == ["hint: " + (Errno(ECONNRESET).hint ?? "")])
    #expect(interpreter.variables["r"] == .bool(false))
    #expect(
      lastError(interpreter, output, "s").contains("ECONNRESET (104) Connection reset by peer — from read"))

    runLines(interpreter, output, ["$later = read $s 100"])
    #expect(interpreter.variables["later"] == .string("still here"), "the planned failure did not reach libc")
  }

  @Test func aShortenedWriteSendsOnlyWhatItsCountSays() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    try connected(interpreter, output)
    interpreter.kernel.faults.shorten("write", to: 3)
    runLines(interpreter, output, [#"$n = write $c "abcdef""#, "$got = read $s 100"])

    // The echo shows what the learner asked to write and what the kernel took, as strace does.
    let fd = handle(interpreter, "c")?.fd ?? -1
    #expect(output.echoes.count == 2)
    #expect(calls(output).first == #"write(\#(fd), "abcdef", 6) = 3"#)
    #expect(output.echoes.first?.hasSuffix(" $n") == true)
    #expect(interpreter.variables["n"] == .int(3))
    #expect(interpreter.variables["got"] == .string("abc"))
    #expect(handle(interpreter, "c")?.bytesWritten == 3)
    // "def" was never sent: the next read sees only what is written next.
    runLines(interpreter, output, [#"write $c "!""#, "$next = read $s 100"])
    #expect(interpreter.variables["next"] == .string("!"))
  }

  @Test func shortenedSendsAndReceivesMoveOnlyTheClippedBytes() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    try connected(interpreter, output)
    let kernel = interpreter.kernel
    kernel.faults.shorten("send", to: 4)
    kernel.faults.shorten("read", to: 1)
    kernel.faults.shorten("recv", to: 2)
    runLines(
      interpreter, output,
      [#"$sent = send $c "abcdef""#, "$one = read $s 100", "$two = recv $s 100", "$rest = read $s 100"])

    let (client, server) = (handle(interpreter, "c")?.fd ?? -1, handle(interpreter, "s")?.fd ?? -1)
    #expect(
      calls(output) == [
        #"send(\#(client), "abcdef", 6, 0) = 4"#, #"read(\#(server), "a", 100) = 1"#,
        #"recv(\#(server), "bc", 100, 0) = 2"#, #"read(\#(server), "d", 100) = 1"#,
      ])
    #expect(interpreter.variables["sent"] == .int(4))
    #expect(interpreter.variables["one"] == .string("a"))
    #expect(interpreter.variables["two"] == .string("bc"))
    #expect(interpreter.variables["rest"] == .string("d"), "only the four bytes send took were sent")

    // A datagram sent short is cut: the receiver gets the bytes the count says, and no more.
    runLines(
      interpreter, output,
      ["$server = create inet dgram", "bind $server 127.0.0.1 0", "$client = create inet dgram"])
    let datagrams = try #require(handle(interpreter, "server"))
    interpreter.variables["port"] = .int(boundPort(datagrams.fd))
    kernel.faults.shorten("sendto", to: 3)
    runLines(
      interpreter, output,
      [#"$n = sendto $client "datagram" 127.0.0.1 $port"#, "$got = recvfrom $server 100"])
    #expect(interpreter.variables["n"] == .int(3))
    #expect(interpreter.variables["got"] == .string("dat"))

    // A receive made short with MSG_TRUNC returns the datagram's length but shows only what came.
    kernel.faults.shorten("recvfrom", to: 4)
    output.clear()
    runLines(
      interpreter, output,
      [#"sendto $client "datagram" 127.0.0.1 $port"#, "$cut = recvfrom $server 100 MSG_TRUNC"],
      allowErrors: true)
    #expect(
      output.messages == ["sockshell: the datagram had 8 bytes; 4 fit in the buffer and the rest is lost"])
    #expect(calls(output).last?.hasPrefix(#"recvfrom(\#(datagrams.fd), "data", 100, MSG_TRUNC, "#) == true)
    #expect(calls(output).last?.hasSuffix(") = 8") == true)
  }

  @Test func enobufsOnSendtoIsEchoedAndTheDatagramIsNotSent() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      ["$server = create inet dgram", "bind $server 127.0.0.1 0", "$client = create inet dgram"])
    let server = try #require(handle(interpreter, "server"))
    interpreter.variables["port"] = .int(boundPort(server.fd))
    output.clear()
    interpreter.kernel.faults.fail("sendto", with: Errno(ENOBUFS))
    runLines(interpreter, output, [#"$n = sendto $client "lost" 127.0.0.1 $port"#], allowErrors: true)

    #expect(output.echoes.count == 1)
    let echo = output.echoes.first ?? ""
    #expect(echo.hasPrefix("sendto(") && echo.contains(#", "lost", 4, 0, {sa_family=AF_INET"#))
    #expect(calls(output).first?.hasSuffix(", 16) = -1 ENOBUFS (No buffer space available)") == true)
    #expect(echo.hasSuffix(" $n"))
    #expect(output.messages.isEmpty, "ENOBUFS has no hint")
    #expect(interpreter.variables["n"] == .bool(false))
    #expect(
      lastError(interpreter, output, "client").contains(
        "ENOBUFS (105) No buffer space available — from sendto"))

    runLines(interpreter, output, [#"sendto $client "kept" 127.0.0.1 $port"#, "$got = recvfrom $server 100"])
    #expect(interpreter.variables["got"] == .string("kept"), "the failed datagram never left")
  }

  @Test func theTraceListsRealAndFaultedCallsInOrder() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    #expect(interpreter.kernel.trace == nil, "off unless a test asks for it")
    try listening(interpreter, output)
    output.clear()
    let kernel = interpreter.kernel
    kernel.trace = []
    kernel.faults.fail("connect", with: Errno(ETIMEDOUT))
    kernel.faults.shorten("write", to: 2)
    runLines(
      interpreter, output,
      [
        "$c = create inet stream", "connect $c 127.0.0.1 $port", "connect $c 127.0.0.1 $port",
        "$s = accept $l", #"write $c "hello""#, "$got = read $s 10", "close $c",
      ], allowErrors: true)

    let trace = kernel.trace ?? []
    #expect(trace.map(\.name) == ["socket", "connect", "connect", "accept", "write", "read", "close"])
    #expect(trace.map(\.fault) == [nil, .fail(Errno(ETIMEDOUT)), nil, nil, .shorten(to: 2), nil, nil])
    #expect(trace.map(\.reachedLibc) == [true, false, true, true, true, true, true])
    #expect(
      trace.dropFirst().filter { $0.name != "accept" }.map(\.description) == [
        "connect = -1 ETIMEDOUT (planned)", "connect = 0", "write = 2 (shortened to 2)", "read = 2",
        "close = 0",
      ])
    #expect(interpreter.variables["got"] == .string("he"))
    // Every traced call was echoed, in the same order.
    #expect(output.echoes.map { $0.prefix { $0 != "(" } } == trace.map { Substring($0.name) })
    #expect(kernel.faults.isEmpty)
  }

  @Test func faultsCountCallsOfTheirOwnNameFromWhenTheyArePlanned() {
    var plan = FaultPlan()
    plan.fail("read", with: Errno(ECONNRESET), onCall: 2)
    plan.shorten("read", to: 1)
    #expect(plan.take("write") == nil)
    #expect(plan.take("read") == .shorten(to: 1))
    #expect(plan.take("accept") == nil)
    #expect(plan.take("read") == .fail(Errno(ECONNRESET)))
    #expect(plan.take("read") == nil)
    #expect(plan.isEmpty)
  }
}
