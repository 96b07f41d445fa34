import Glibc
import Testing
@testable import SockShellKit

/// The handle table on its own: it makes no system call, so descriptors here are just numbers.
@Suite struct HandleTableTests {
  let stream = Int32(SOCK_STREAM.rawValue)
  let datagram = Int32(SOCK_DGRAM.rawValue)

  @Test func aClosedHandleIsNotKeptAsAnObject() {
    var table = HandleTable()
    weak var closed: Handle?
    do {
      let handle = table.add(fd: 900, domain: AF_INET, type: stream, proto: 0, state: .created)
      closed = handle
      table.markClosed(handle, line: 2, by: "close")
    }
    #expect(closed == nil, "a script that opens and closes a million sockets must not keep a million objects")
    #expect(table.count == 1)
    #expect(table.handle(1)?.isOpen == false)
  }

  @Test func openHandlesAreTheObjectsTheCommandsChange() {
    var table = HandleTable()
    let first = table.add(fd: 901, domain: AF_INET, type: stream, proto: 0, state: .created)
    let second = table.add(fd: 902, domain: AF_UNIX, type: datagram, proto: 0, state: .connected)
    #expect(table.handle(1) === first)
    #expect(table.handle(2) === second)
    #expect(table.openHandle(fd: 902) === second)
    #expect(table.handle(0) == nil)
    #expect(table.handle(3) == nil)
    #expect(table.open.map(\.number) == [1, 2])
  }

  @Test func aClosedHandleKeepsWhatHandlesAllShows() {
    var table = HandleTable()
    let handle = table.add(
      fd: 903, domain: AF_INET6, type: datagram, proto: Int32(IPPROTO_UDP), state: .bound)
    handle.localAddress = .inet6(
      address: Array(repeating: 0, count: 15) + [1], port: 5353, flowInfo: 0, scopeID: 0)
    handle.peerAddress = .inet(address: [127, 0, 0, 1], port: 9)
    handle.lastError = Handle.LastError(errno: Errno(ECONNREFUSED), call: "recvfrom")
    table.markClosed(handle, line: 7, by: "socket_close")

    let closed = table.handle(1)
    #expect(closed !== handle)
    #expect(closed?.number == 1)
    #expect(closed?.fd == 903)
    #expect(closed?.domain == AF_INET6)
    #expect(closed?.type == datagram)
    #expect(closed?.proto == Int32(IPPROTO_UDP))
    #expect(closed?.state == .closed)
    #expect(closed?.closedWhere == "line 7 by socket_close")
    #expect(closed?.localAddress?.display == "[::1]:5353")
    #expect(closed?.peerAddress?.display == "127.0.0.1:9")
    #expect(closed?.lastError?.errno.name == "ECONNREFUSED")
    #expect(closed?.lastError?.call == "recvfrom")
    #expect(table.openHandle(fd: 903) == nil)
    #expect(table.open.isEmpty)
  }

  @Test func clearingTheErrorOfAClosedHandleLasts() {
    var table = HandleTable()
    let handle = table.add(fd: 904, domain: AF_INET, type: stream, proto: 0, state: .created)
    handle.lastError = Handle.LastError(errno: Errno(ECONNREFUSED), call: "connect")
    table.markClosed(handle, line: 3, by: "close")
    table.handle(1)?.lastError = nil
    #expect(table.handle(1)?.lastError == nil)
  }

  @Test func everyClosingLineIsKept() {
    var table = HandleTable()
    let lines: [Int?] = [nil, 0, 1, 4_294_967_293, 4_294_967_294, 4_294_967_295, 5_000_000_000, Int.max, -1]
    for (index, line) in lines.enumerated() {
      let handle = table.add(fd: Int32(910 + index), domain: AF_INET, type: stream, proto: 0, state: .created)
      table.markClosed(handle, line: line, by: "close")
    }
    for (index, line) in lines.enumerated() {
      let closed = table.handle(index + 1)
      #expect(closed?.closedAt?.line == line, "closed at line \(String(describing: line))")
      #expect(closed?.closedAt?.by == "close")
    }
    #expect(table.handle(1)?.closedWhere == "an earlier input by close")
    #expect(table.handle(7)?.closedWhere == "line 5000000000 by close")
  }

  @Test func manyKindsOfClosingEachKeepTheirOwn() {
    // More distinct kinds than the table scans (16) and than its one-byte codes name (254).
    var table = HandleTable()
    let kinds = 600
    for proto in 0..<kinds {
      let handle = table.add(
        fd: 1000, domain: AF_PACKET, type: datagram, proto: Int32(proto), state: .created)
      table.markClosed(handle, line: proto + 1, by: proto % 2 == 0 ? "close" : "socket_close")
    }
    // And the first kinds again, now that the dictionary and the uncommon codes are in use.
    for proto in 0..<20 {
      let handle = table.add(
        fd: 1000, domain: AF_PACKET, type: datagram, proto: Int32(proto), state: .created)
      table.markClosed(handle, line: nil, by: "close")
    }
    for number in 1...kinds {
      let closed = table.handle(number)
      #expect(closed?.proto == Int32(number - 1))
      #expect(closed?.domain == AF_PACKET)
      #expect(closed?.closedWhere == "line \(number) by \(number % 2 == 1 ? "close" : "socket_close")")
    }
    for number in kinds + 1...kinds + 20 {
      #expect(table.handle(number)?.proto == Int32(number - kinds - 1))
      #expect(table.handle(number)?.closedWhere == "an earlier input by close")
    }
    #expect(table.all.count == kinds + 20)
    #expect(table.all.map(\.number) == Array(1...kinds + 20))
  }

  @Test func aDescriptorGivenOutAgainRetiresTheHandleThatHeldIt() {
    // The kernel hands out only free descriptors: if a new socket gets an fd a handle still
    // holds, that fd was closed behind sockshell's back, and the old handle must not answer for
    // the new socket.
    var table = HandleTable()
    let stale = table.add(fd: 905, domain: AF_INET, type: stream, proto: 0, state: .connected)
    let fresh = table.add(fd: 905, domain: AF_UNIX, type: stream, proto: 0, state: .created)
    #expect(stale.isOpen == false)
    #expect(table.handle(1)?.isOpen == false)
    #expect(table.handle(1)?.closedWhere == "an earlier input by a close outside sockshell")
    #expect(table.handle(2) === fresh)
    #expect(table.openHandle(fd: 905) === fresh)
    #expect(table.open.map(\.number) == [2])
  }
}
