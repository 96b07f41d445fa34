import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// `handles`, `handles --all` and `vars` on real sockets, run in-process.
@Suite struct HandlesCommandTests {
  /// The rows of a `handles` table, each a dictionary from column name to cell. Cells are cut at
  /// the header's column starts, so an empty cell (a handle no variable names) stays in place.
  func table(_ text: String) -> [String: [String: String]] {
    let lines = text.split(separator: "\n").map { Array($0.utf8) }
    guard let header = lines.first(where: { $0.starts(with: Array("handle ".utf8)) }) else { return [:] }
    // A column starts after two spaces (one space is inside a name: `last error`).
    let starts = header.indices.filter {
      $0 == 0 || ($0 >= 2 && header[$0] != 32 && header[$0 - 2...$0 - 1] == [32, 32])
    }
    func cells(_ line: [UInt8]) -> [String] {
      starts.indices.map { index in
        let from = min(starts[index], line.count)
        let to = index + 1 < starts.count ? min(starts[index + 1], line.count) : line.count
        return String(decoding: line[from..<to], as: UTF8.self).trimmingCharacters(in: .whitespaces)
      }
    }
    let names = cells(header)
    var rows: [String: [String: String]] = [:]
    for line in lines where line.first == UInt8(ascii: "#") {
      let row = Dictionary(uniqueKeysWithValues: zip(names, cells(line)))
      rows[row["handle"]!] = row
    }
    return rows
  }

  @Test func tcpConnectionsShowTheSegmentsTheyExchanged() {
    let (interpreter, output) = makeInterpreter()
    runLines(
      interpreter, output,
      [
        "$s = create inet stream; bind $s 127.0.0.1 0; listen $s", "$c = create inet stream",
        "connect $c getsockname($s)", "$a = accept $s", #"write $c "hello""#, "read $a 10",
        "$u = create inet dgram", "close $s",
      ])
    output.clear()
    interpreter.run(line: "handles --all")
    let rows = table(output.text)
    func segments(_ handle: String) -> [Int] {
      (rows[handle]?["segments in/out/re"] ?? "").split(separator: "/").compactMap { Int($0) }
    }
    // The client sent the SYN, the handshake's ACK and the data; it got the SYN-ACK and an ACK.
    let client = segments("#2")
    #expect(client.count == 3 && client[1] >= 3 && client[0] >= 1 && client[2] == 0, "\(output.text)")
    let served = segments("#3")
    #expect(served.count == 3 && served[0] >= 2 && served[2] == 0, "\(output.text)")
    #expect(rows["#4"]?["segments in/out/re"] == "-", "UDP has no TCP_INFO")
    #expect(rows["#1"]?["segments in/out/re"] == "-", "a closed handle shows none")
  }

  @Test func handlesNamesEveryHandleAmongManyVariables() {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let pairs = 150
    var expected: [Int: [String]] = [:]
    for i in 1...pairs {
      interpreter.run(line: "[$a\(i), $b\(i)] = create_pair AF_UNIX SOCK_STREAM 0")
      expected[2 * i - 1] = ["$a\(i)"]
      expected[2 * i] = ["$b\(i)"]
    }
    // A second name for some handles; some variables moved to another handle; an array names
    // the handles it holds by element; numbers and a string that only look like handles name none.
    for i in stride(from: 3, through: pairs, by: 3) {
      interpreter.run(line: "$alias\(i) = $a\(i)")
      expected[2 * i - 1]!.append("$alias\(i)")
    }
    for i in stride(from: 5, through: pairs, by: 5) {
      interpreter.run(line: "$b\(i) = $a\(i)")
      expected[2 * i]!.removeAll { $0 == "$b\(i)" }
      expected[2 * i - 1]!.append("$b\(i)")
    }
    for i in 1...pairs { interpreter.run(line: "$n\(i) = \(i)") }
    interpreter.run(line: "$list = [$a1, $b1]; $text = \"#2\"")
    expected[1]!.append("$list[0]")
    expected[2]!.append("$list[1]")
    interpreter.run(line: "close $a7")
    #expect(output.messages == [])
    #expect(interpreter.variables.count == 2 * pairs + pairs / 3 + pairs + 2)

    output.clear()
    interpreter.run(line: "handles --all")
    let all = table(output.text)
    #expect(all.count == 2 * pairs)
    for number in 1...2 * pairs {
      #expect(
        all["#\(number)"]?["names"] == expected[number]!.sorted().joined(separator: " "),
        "the names of #\(number)")
    }
    #expect(all["#13"]?["state"] == "closed at an earlier input by close")

    output.clear()
    interpreter.run(line: "handles")
    let open = table(output.text)
    #expect(open.count == 2 * pairs - 1)
    #expect(open["#13"] == nil)
    #expect(open["#10"]?["names"] == "", "$b5 moved to #9, and nothing else names #10")
    #expect(open["#9"]?["names"] == "$a5 $b5")
    #expect(open["#11"]?["names"] == "$a6 $alias6")
  }

  @Test func closedRowsShowWhatTheHandleWasAndWhereItClosed() throws {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    let refused = freePort()
    let lines = [
      "$server = create AF_INET SOCK_STREAM 0",
      "bind $server 127.0.0.1 0",
      "listen $server 5",
      "socket_getsockname($server, $addr, $port)",
      "$client = create inet stream",
      "connect $client 127.0.0.1 $port",
      "$spawn = accept $server",
      "socket_getpeername($spawn, $peerHost, $peerPort)",
      "$alias = $spawn",
      "write $client \"hello\"",
      "close $spawn",
      "socket_close($client)",
      "$refused = create inet stream",
      "connect $refused 127.0.0.1 \(refused)",
      "close $refused",
      "[$left, $right] = socketpair unix stream 0",
      "close $left",
      "$nonblocking = create AF_INET SOCK_STREAM|SOCK_NONBLOCK 0",
      "close $nonblocking",
      "$taken = create_listen $port",
      "$udp = create AF_INET SOCK_DGRAM 0",
      "bind $udp 127.0.0.1 0",
      "socket_getsockname($udp, $udpHost, $udpPort)",
      "close $udp",
      "close $server",
    ]
    func line(_ text: String) -> Int { lines.firstIndex(of: text)! + 1 }
    // Each handle's fd, read while it is open; create_listen's closes within its line, and its
    // socket(...) echo says which it had.
    var fds: [Int: Int32] = [:]
    for (index, text) in lines.enumerated() {
      let echoed = output.echoes.count
      interpreter.run(line: text, lineNumber: index + 1)
      for handle in interpreter.handles.open { fds[handle.number] = handle.fd }
      if text.contains("create_listen"), let socket = output.echoes.dropFirst(echoed).first {
        fds[interpreter.handles.count] = Int32(socket.split(separator: " ")[4])
      }
    }
    #expect(output.messages.filter { !$0.hasPrefix("hint: ") } == [])
    let port = interpreter.variables["port"]!.literal
    let peerPort = interpreter.variables["peerPort"]!.literal
    let udpPort = interpreter.variables["udpPort"]!.literal
    #expect(interpreter.variables["taken"] == .bool(false), "create_listen on a port in use fails")

    output.clear()
    interpreter.run(line: "close $alias", lineNumber: 26)
    #expect(
      output.messages == [
        "sockshell: line 26: close: #3 ($alias, $spawn) was closed at line \(line("close $spawn")) by close; "
          + "handle numbers are never reused, so create a new socket"
      ])
    output.clear()
    interpreter.run(line: "lasterror #4", lineNumber: 27)
    #expect(output.text == "#4 $refused: ECONNREFUSED (111) Connection refused — from connect\n")

    output.clear()
    interpreter.run(line: "handles --all", lineNumber: 28)
    let rows = table(output.text)
    func expectRow(
      _ number: Int, _ names: String, _ kind: String, closedAt: String, local: String = "-",
      peer: String = "-",
      lastError: String = "-"
    ) {
      let expected = [
        "handle": "#\(number)", "fd": "\(fds[number] ?? -1)", "names": names, "kind": kind,
        "state": "closed at \(closedAt)", "tcp": "-", "local": local, "peer": peer, "unread": "-",
        "unsent": "-",
        "mode": "-", "ready": "-", "last error": lastError, "segments in/out/re": "-",
      ]
      #expect(rows["#\(number)"] == expected)
    }
    expectRow(
      1, "$server", "AF_INET SOCK_STREAM", closedAt: "line \(line("close $server")) by close",
      local: "127.0.0.1:\(port)")
    expectRow(
      2, "$client", "AF_INET SOCK_STREAM", closedAt: "line \(line("socket_close($client)")) by socket_close",
      peer: "127.0.0.1:\(port)")
    expectRow(
      3, "$alias $spawn", "AF_INET SOCK_STREAM", closedAt: "line \(line("close $spawn")) by close",
      local: "127.0.0.1:\(port)", peer: "127.0.0.1:\(peerPort)")
    expectRow(
      4, "$refused", "AF_INET SOCK_STREAM", closedAt: "line \(line("close $refused")) by close",
      lastError: "ECONNREFUSED from connect")
    expectRow(5, "$left", "AF_UNIX SOCK_STREAM", closedAt: "line \(line("close $left")) by close")
    #expect(rows["#6"]?["state"] == "connected")
    expectRow(
      7, "$nonblocking", "AF_INET SOCK_STREAM|SOCK_NONBLOCK",
      closedAt: "line \(line("close $nonblocking")) by close")
    expectRow(
      8, "", "AF_INET SOCK_STREAM", closedAt: "line \(line("$taken = create_listen $port")) by create_listen",
      lastError: "EADDRINUSE from bind")
    expectRow(
      9, "$udp", "AF_INET SOCK_DGRAM", closedAt: "line \(line("close $udp")) by close",
      local: "127.0.0.1:\(udpPort)")
    #expect(rows.count == 9)

    // A closed handle's error can still be cleared, and stays cleared.
    output.clear()
    interpreter.run(line: "clearerror #4; lasterror #4", lineNumber: 29)
    #expect(output.text == "#4 $refused: no error\n")
    output.clear()
    interpreter.run(line: "handles --all", lineNumber: 30)
    #expect(table(output.text)["#4"]?["last error"] == "-")

    output.clear()
    interpreter.run(line: "vars", lineNumber: 31)
    let vars = output.text.split(separator: "\n").map(String.init)
    #expect(vars.contains("$alias = #3  (fd \(fds[3] ?? -1), AF_INET SOCK_STREAM, closed)"))
    #expect(
      vars.contains("$nonblocking = #7  (fd \(fds[7] ?? -1), AF_INET SOCK_STREAM|SOCK_NONBLOCK, closed)"))
    #expect(vars.contains("$right = #6  (fd \(fds[6] ?? -1), AF_UNIX SOCK_STREAM, connected)"))
  }
}
