import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// Statements run in-process against real loopback sockets, output captured in order.
@Suite struct InterpreterTests {
  /// A listening server handle `$socket` with `$port` set to its ephemeral port.
  func listening(_ interpreter: Interpreter, _ output: RecordingOutput) {
    runLines(
      interpreter, output,
      ["$socket = create AF_INET SOCK_STREAM 0", "bind $socket 127.0.0.1 0", "listen $socket 3"])
    let fd = interpreter.handles.handle(1)!.fd
    interpreter.variables["port"] = .int(boundPort(fd))
  }

  /// The cells of a `handles` row, split on the table's runs of spaces.
  func row(_ text: String, _ handle: String) -> [String] {
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(handle + " ") }) else {
      return []
    }
    return line.split(separator: "  ", omittingEmptySubsequences: true).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
  }

  @Test func handlesShowsCloseWaitAndUnreadBytesAfterThePeerCloses() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$client = create inet stream", "connect $client 127.0.0.1 $port", "$spawn = accept $socket",
        "write $client \"hello\"", "close $client",
      ])
    var cells: [String] = []
    // The FIN crosses loopback at once, but give the kernel a moment all the same.
    for _ in 0..<50 {
      output.clear()
      runLines(interpreter, output, ["handles"])
      cells = row(output.text, "#3")
      if cells.count > 5 && cells[5] == "CLOSE_WAIT" { break }
      usleep(20_000)
    }
    // handle, fd, names, kind, state, tcp, local, peer, unread, unsent, mode, ready, last error,
    // segments
    #expect(cells.count == 14, "\(output.text)")
    guard cells.count == 14 else { return }
    #expect(cells[2] == "$spawn")
    #expect(cells[4] == "accepted")
    #expect(cells[5] == "CLOSE_WAIT")
    #expect(cells[8] == "5", "the five unread bytes of hello")
    #expect(cells[9] == "0")
    #expect(cells[11].hasPrefix("RW"), "readable (data and end of stream), writable")
    #expect(row(output.text, "#1")[5] == "LISTEN")
    // The table made no system call of its own that was echoed.
    #expect(output.echoes.isEmpty)
    // The closed client is listed only with --all, with where it was closed.
    #expect(row(output.text, "#2").isEmpty)
    output.clear()
    runLines(interpreter, output, ["handles --all"])
    #expect(
      row(output.text, "#2").count > 4 && row(output.text, "#2")[4].hasPrefix("closed at an earlier input"))
    output.clear()
    runLines(interpreter, output, ["="])
    #expect(row(output.text, "#3").count == 14, "`=` is short for handles")
  }

  @Test func aFailedCallGivesAHintUntilHintsAreOff() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let port = freePort()
    interpreter.run(line: "$c = create inet stream; connect $c 127.0.0.1 \(port)")
    #expect(output.messages == ["hint: " + Errno(ECONNREFUSED).hint!])
    #expect(output.messages[0].contains("nothing is listening"))
    output.clear()
    interpreter.run(line: "set hints off; $d = create inet stream; connect $d 127.0.0.1 \(port)")
    #expect(output.echoes.last?.contains("ECONNREFUSED") == true)
    #expect(output.messages == [])
    // A call that succeeds never has a hint.
    interpreter.run(line: "set hints on; strerror 111")
    #expect(output.messages == [])
  }

  @Test func withTheEchoOffAFailedCallStillGivesItsHintAndLastError() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let port = freePort()
    interpreter.run(line: "set echo off")
    #expect(!interpreter.kernel.reportsSuccesses, "nothing looks at a call that succeeded")
    interpreter.run(line: "$c = create inet stream; connect $c 127.0.0.1 \(port); $e = last_error $c")
    #expect(output.echoes == [])
    #expect(output.messages == ["hint: " + Errno(ECONNREFUSED).hint!])
    #expect(interpreter.variables["e"] == .int(Int(ECONNREFUSED)))
    output.clear()
    interpreter.run(line: "set echo on; close $c")
    #expect(interpreter.kernel.reportsSuccesses)
    #expect(output.echoes.count == 1 && output.echoes[0].hasPrefix("close("))
  }

  @Test func reverseExchangeInOneSession() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$client = create inet stream",
        "connect $client 127.0.0.1 $port",
        "$spawn = accept $socket",
        #"write $client "xiongchao""#,
        "$input = read $spawn 1024",
        #"write $spawn strrev($input)."\n""#,
        "$reply = read $client 1024",
        #"echo "Reply from server:" . $reply"#,
      ])
    #expect(output.text == "Reply from server:oahcgnoix\n")
    let echoes = output.echoes
    #expect(echoes[0].hasPrefix("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = "))
    #expect(echoes[0].hasSuffix("#1 $socket"))
    #expect(echoes[3].hasSuffix("#2 $client"))
    #expect(
      echoes[5].hasPrefix("accept(") && echoes[5].contains("[128 => 16]") && echoes[5].hasSuffix("#3 $spawn"))
    #expect(echoes[6].hasSuffix(#", "xiongchao", 9) = 9"#))
    #expect(
      echoes[7].hasPrefix("read(") && echoes[7].contains(#""xiongchao", 1024) = 9"#)
        && echoes[7].hasSuffix("$input"))
    #expect(echoes[8].hasSuffix(#", "oahcgnoix\n", 10) = 10"#))
    #expect(interpreter.variables["reply"] == .string("oahcgnoix\n"))
  }

  @Test func badLinesGetOneMessageEachAndHandlesSurvive() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    let bad = [
      #"write $socket "unterminated"#,
      "frobnicate #1",
      "bind #1",
      "bind #1 127.0.0.300 80",
      "bind #1 127.0.0.1 70000",
      "read #1 -5",
      "create AF_INTE SOCK_STREAM",
      "close #42",
      "listen $nosuch 3",
      "select [#1] null null -1",
      "connect #1 example.com 80",
      "strerror NOTANERRNO",
      "write #1",
    ]
    let before = output.echoes.count
    for line in bad { interpreter.run(line: line) }
    // An undefined variable is PHP's warning (and the value null), then the call's own refusal.
    let errors = output.messages.filter { !$0.contains("warning: Undefined variable $nosuch") }
    #expect(errors.count == bad.count)
    #expect(output.messages.count == bad.count + 1)
    #expect(output.messages.allSatisfy { $0.hasPrefix("sockshell: ") })
    #expect(output.echoes.count == before, "a bad line reached the kernel")
    #expect(interpreter.exitStatus == nil)
    // The listening socket still works.
    runLines(
      interpreter, output, ["$c = create inet stream", "connect $c 127.0.0.1 $port"], allowErrors: true)
    #expect(output.echoes.last?.hasSuffix(") = 0") == true)
  }

  @Test func messagesSayWhatWasWrong() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    for line in ["bind #1 127.0.0.1 70000", "frobnicate", "bind #1", "connect #1 example.com 80"] {
      interpreter.run(line: line)
    }
    #expect(
      output.messages == [
        "sockshell: bind: port 70000 is out of range 0..65535",
        "sockshell: column 1: unknown command 'frobnicate'; type `help` for the list",
        "sockshell: bind: expected 2 to 3 arguments, got 1; usage: bind HANDLE ADDRESS [PORT]",
        "sockshell: connect: 'example.com' is not an IPv4 address (sockshell takes IP literals and localhost, never DNS names)",
      ])
  }

  @Test func aClosedHandleIsRefusedWithWhenItWasClosedAndNoSystemCall() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "$s = create inet stream", lineNumber: 1)
    interpreter.run(line: "close $s", lineNumber: 2)
    interpreter.run(line: "$t = create inet stream", lineNumber: 3)
    let echoes = output.echoes.count
    interpreter.run(line: "listen $s 3", lineNumber: 4)
    #expect(output.echoes.count == echoes)
    #expect(
      output.messages == [
        "sockshell: line 4: listen: #1 ($s) was closed at line 2 by close; handle numbers are never reused, so create a new socket"
      ])
    // The closed handle stays dead; the new socket has a number of its own.
    #expect(interpreter.handles.handle(2)!.isOpen && !interpreter.handles.handle(1)!.isOpen)
    interpreter.closeAll()
  }

  @Test func selectRefusesAnFDAtOrAboveFDSetSizeWithoutACall() {
    let (interpreter, output) = makeInterpreter()
    // A handle whose fd is beyond what an fd_set holds; select must not touch the kernel.
    _ = interpreter.handles.add(fd: 1500, domain: AF_INET, type: 1, proto: 0, state: .created)
    interpreter.run(line: "select [#1] null null 0")
    #expect(output.echoes == [])
    #expect(output.messages.first?.contains("at or above FD_SETSIZE (1024)") == true)
  }

  @Test func selectReplacesAListVariableWithTheReadySubset() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$idle = create inet stream", "connect $idle 127.0.0.1 $port", "$a = accept $socket",
        "$busy = create inet stream", "connect $busy 127.0.0.1 $port", "$b = accept $socket",
        #"write $busy "x""#, "$r = [$a, $b]", "$n = select $r null null 2",
      ])
    #expect(interpreter.variables["n"] == .int(1))
    // The ready one keeps its key (1), as socket_select leaves it.
    var ready = PHPArray()
    ready.set(.int(1), .handle(5))
    #expect(interpreter.variables["r"] == .array(ready))
    let fdB = interpreter.handles.handle(5)!.fd
    #expect(output.echoes.last?.contains("= 1 (in [\(fdB)], left {tv_sec=") == true)
  }

  @Test func aHugeReadLengthIsCappedWithANotice() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$c = create inet stream", "connect $c 127.0.0.1 $port", "$s = accept $socket", #"write $c "abc""#,
        "read $s 99999999999",
      ], allowErrors: true)
    #expect(output.messages.count == 1)
    #expect(output.echoes.last?.contains(#""abc", 1048576) = 3"#) == true)
    #expect(output.messages == ["sockshell: read length 99999999999 capped at 1048576 bytes"])
  }

  @Test func normalReadStopsAtTheLineEndOneByteAtATime() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$c = create inet stream", "connect $c 127.0.0.1 $port", "$s = accept $socket",
        #"write $c "hi\nrest""#,
        "$line = read $s 100 PHP_NORMAL_READ", "$rest = read $s 100",
      ])
    #expect(interpreter.variables["line"] == .string("hi\n"))
    #expect(interpreter.variables["rest"] == .string("rest"))
    #expect(output.echoes.filter { $0.contains(", 1) = 1") }.count == 3)
  }

  @Test func writeToAClosedPeerEchoesEPIPE() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$c = create inet stream", "connect $c 127.0.0.1 $port", "$s = accept $socket", "shutdown $c wr",
        #"$r = write $c "late""#,
      ])
    #expect(output.echoes.last?.hasPrefix(#"write("#) == true)
    #expect(output.echoes.last?.contains(#""late", 4) = -1 EPIPE (Broken pipe)"#) == true)
    #expect(interpreter.variables["r"] == .bool(false))
    interpreter.run(line: "lasterror $c")
    #expect(output.text.hasSuffix("#2 $c: EPIPE (32) Broken pipe — from write\n"))
  }

  @Test func lastErrorIsKeptPerHandleAndGloballyUntilCleared() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      ["$c = create inet stream", "$other = create inet stream", "connect $c 127.0.0.1 1"])
    runLines(
      interpreter, output, ["lasterror $c", "lasterror", "lasterror $other", "clearerror $c", "lasterror $c"])
    #expect(
      output.text == """
        #1 $c: ECONNREFUSED (111) Connection refused — from connect
        #1 $c: ECONNREFUSED (111) Connection refused — from connect
        #2 $other: no error
        #1 $c: no error

        """)
    #expect(interpreter.lastValue == .int(0))
  }

  @Test func orDieStopsAScriptButOnlyAbandonsTheLineInTheShell() {
    let (script, scriptOutput) = makeInterpreter()
    script.run(
      line: #"$c = create inet stream; connect($c, "127.0.0.1", 1) or die("no server\n"); echo "after""#)
    #expect(script.exitStatus == 1)
    #expect(scriptOutput.text == "no server\n")
    script.closeAll()

    let (shell, shellOutput) = makeInterpreter(interactive: true)
    shell.run(
      line: #"$c = create inet stream; connect($c, "127.0.0.1", 1) or die("no server\n"); echo "after""#)
    shell.run(line: #"echo "next line\n""#)
    #expect(shell.exitStatus == nil)
    #expect(shellOutput.text == "no server\nnext line\n")
    shell.closeAll()
  }

  @Test func failFastStopsAtTheFirstFailedCall() {
    let output = RecordingOutput()
    var settings = Interpreter.Settings()
    settings.failFast = true
    let interpreter = Interpreter(table: .standard, output: output, settings: settings)
    #expect(!interpreter.run(line: "$c = create inet stream; connect $c 127.0.0.1 1; close $c"))
    #expect(interpreter.exitStatus == 1)
    #expect(output.echoes.count == 2)
    interpreter.closeAll()
  }

  @Test func coalesceAssignKeepsAValueSetBefore() {
    let (interpreter, output) = makeInterpreter()
    interpreter.variables["port"] = .int(6000)
    runLines(interpreter, output, ["$port ??= 5353", "$other ??= 5353"])
    #expect(interpreter.variables["port"] == .int(6000))
    #expect(interpreter.variables["other"] == .int(5353))
  }

  @Test func dataIsBinarySafeAndLongDataIsCutInTheEcho() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(
      interpreter, output,
      [
        "$c = create inet stream", "connect $c 127.0.0.1 $port", "$s = accept $socket",
        #"write $c "\x00\xff\x01""#, "$got = read $s 10", #"write $c str_repeat("a", 100)"#,
      ])
    #expect(interpreter.variables["got"] == .bytes([0, 255, 1]))
    #expect(output.echoes[output.echoes.count - 3].contains(#""\0\377\1", 3) = 3"#))
    #expect(
      output.echoes.last?.contains("\"" + String(repeating: "a", count: 64) + "\"..., 100) = 100") == true)
    runLines(interpreter, output, ["set strsize 4", #"write $c "abcdefgh""#])
    #expect(output.echoes.last?.contains(#""abcd"..., 8) = 8"#) == true)
  }

  @Test func setNonblockEchoesBothFcntlCallsAndAcceptGivesEAGAIN() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    listening(interpreter, output)
    runLines(interpreter, output, ["set_nonblock $socket", "$x = accept $socket"])
    let fd = interpreter.handles.handle(1)!.fd
    let tail = Array(output.echoes.suffix(3))
    #expect(tail[0] == "fcntl(\(fd), F_GETFL) = 0x2 (flags O_RDWR)")
    #expect(tail[1] == "fcntl(\(fd), F_SETFL, O_RDWR|O_NONBLOCK) = 0")
    #expect(
      tail[2].hasPrefix("accept(\(fd), 0x")
        && tail[2].hasSuffix(", [128]) = -1 EAGAIN (Resource temporarily unavailable)  $x"))
    #expect(interpreter.variables["x"] == .bool(false))
  }

  @Test func helpersBehaveAsInPHP() {
    let (interpreter, output) = makeInterpreter()
    runLines(
      interpreter, output,
      [
        #"echo strrev("abc"), strlen("héllo"), trim("  x \n"), "|", rtrim("x\n"), "|", ltrim("  x"), "\n""#,
        #"echo strtoupper("ab1"), strtolower("AB1"), substr("abcdef", 1, 3), substr("abcdef", -2), "\n""#,
        #"echo str_repeat("ab", 3), bin2hex("\x00\xff"), hex2bin("4142"), "\n""#,
      ])
    #expect(output.text == "cba6x|x|x\nAB1ab1bcdef\nababab00ffAB\n")
  }

  @Test func aBareFunctionCallShowsItsValue() {
    let (interpreter, output) = makeInterpreter()
    runLines(interpreter, output, [#"strrev("abc")"#, "strlen(\"xy\")", "strerror 111"])
    #expect(output.text == "=> \"cba\"\n=> 2\nECONNREFUSED (111): Connection refused\n")
  }

  @Test func unixStreamSocketsOnAPath() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let path = "/tmp/sockshell-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    defer { unlink(path) }
    runLines(
      interpreter, output,
      [
        "$s = create unix stream", "bind $s \(path)", "listen $s 1", "$c = create AF_UNIX SOCK_STREAM 0",
        "connect $c \(path)", "$a = accept $s", #"write $c "over a path""#, "$got = read $a 100",
      ])
    #expect(interpreter.variables["got"] == .string("over a path"))
    #expect(output.echoes[0].hasPrefix("socket(AF_UNIX, SOCK_STREAM, 0) = "))
    #expect(
      output.echoes[1].contains(#"{sa_family=AF_UNIX, sun_path="\#(path)"}, \#(path.utf8.count + 3)) = 0"#))
    interpreter.run(line: "connect $c 127.0.0.1 80")
    #expect(
      output.messages.last
        == "sockshell: connect: an AF_UNIX address is a path and takes no port; usage: connect HANDLE ADDRESS [PORT]"
    )
  }

  @Test func createTakesShortNamesAndConstants() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    runLines(
      interpreter, output,
      ["create inet6 dgram", "create inet stream", "create AF_INET6 SOCK_STREAM IPPROTO_TCP"])
    #expect(
      output.echoes.map { String($0.prefix { $0 != "=" }) } == [
        "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) ", "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) ",
        "socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) ",
      ])
    interpreter.run(line: "create inet banana")
    #expect(output.messages.last?.hasPrefix("sockshell: create: unknown socket type 'banana'") == true)
  }
}
