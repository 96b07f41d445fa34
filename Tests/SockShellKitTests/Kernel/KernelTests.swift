import Glibc
import Testing
@testable import SockShellKit

/// The kernel seam against real sockets on loopback.
@Suite struct KernelTests {
  let kernel = Kernel()
  let loopback = { (port: Int) in
    try! SocketAddress.parse(host: "127.0.0.1", port: port, family: AF_INET).get()
  }
  let stream = Int32(SOCK_STREAM.rawValue)

  func tcpSocket() throws -> Int32 {
    try kernel.socket(domain: AF_INET, type: stream, protocol: 0).get()
  }

  /// A listening socket on an ephemeral loopback port.
  func listener() throws -> (fd: Int32, port: Int) {
    let fd = try tcpSocket()
    try kernel.bind(fd, loopback(0)).get()
    try kernel.listen(fd, backlog: 4).get()
    return (fd, boundPort(fd))
  }

  /// A connected pair: client and the accepted server side.
  func connectedPair() throws -> (listener: Int32, client: Int32, server: Int32) {
    let (listenFD, port) = try listener()
    let client = try tcpSocket()
    try kernel.connect(client, loopback(port)).get()
    let server = try kernel.accept(listenFD).get().fd
    return (listenFD, client, server)
  }

  func closeAll(_ fds: Int32...) { for fd in fds { _ = kernel.close(fd) } }

  @Test func connectToAClosedPortIsRefused() throws {
    let (fd, port) = try listener()
    closeAll(fd)
    let client = try tcpSocket()
    defer { closeAll(client) }
    #expect(kernel.connect(client, loopback(port)).errno == Errno(ECONNREFUSED))
  }

  @Test func bindingATakenPortGivesEADDRINUSE() throws {
    let (fd, port) = try listener()
    let second = try tcpSocket()
    defer { closeAll(fd, second) }
    #expect(kernel.bind(second, loopback(port)).errno == Errno(EADDRINUSE))
  }

  @Test func nonBlockingAcceptWithNoClientGivesEAGAIN() throws {
    let (fd, _) = try listener()
    defer { closeAll(fd) }
    let flags = try kernel.getStatusFlags(fd).get()
    try kernel.setStatusFlags(fd, flags | O_NONBLOCK).get()
    #expect(kernel.accept(fd).errno == .EAGAIN)
  }

  @Test func nonBlockingConnectGivesEINPROGRESSThenSelectSaysWritable() throws {
    let (listenFD, port) = try listener()
    let client = try tcpSocket()
    defer { closeAll(listenFD, client) }
    try kernel.setStatusFlags(client, try kernel.getStatusFlags(client).get() | O_NONBLOCK).get()
    #expect(kernel.connect(client, loopback(port)).errno == .EINPROGRESS)
    let ready = try kernel.select(read: nil, write: [client], except: nil, timeout: (5, 0)).get()
    #expect(ready.count == 1)
    #expect(ready.write == [client])
  }

  @Test func writeAfterPeerClosedGivesEPIPENotASignal() throws {
    let (listenFD, client, server) = try connectedPair()
    defer { closeAll(listenFD, client) }
    closeAll(server)
    // The first write is answered with a reset; a later one fails with EPIPE.
    var sawEPIPE = false
    for _ in 0..<20 where !sawEPIPE {
      if case .failure(let errno) = kernel.write(client, Array("ping".utf8)) {
        #expect(errno == Errno(EPIPE) || errno == Errno(ECONNRESET))
        sawEPIPE = errno == Errno(EPIPE)
      }
      usleep(5_000)
    }
    #expect(sawEPIPE)
  }

  @Test func readReturnsEmptyAtEndOfStream() throws {
    let (listenFD, client, server) = try connectedPair()
    defer { closeAll(listenFD, server) }
    _ = try kernel.write(client, Array("bye".utf8)).get()
    closeAll(client)
    #expect(try kernel.read(server, count: 100).get() == Array("bye".utf8))
    #expect(try kernel.read(server, count: 100).get() == [])
  }

  @Test func shutdownWriteIsSeenByThePeerAsEndOfStreamWhileTheReplyStillArrives() throws {
    let (listenFD, client, server) = try connectedPair()
    defer { closeAll(listenFD, client, server) }
    try kernel.shutdown(client, how: Int32(SHUT_WR)).get()
    #expect(try kernel.read(server, count: 10).get() == [])
    _ = try kernel.write(server, Array("reply".utf8)).get()
    #expect(try kernel.read(client, count: 10).get() == Array("reply".utf8))
  }

  @Test func everyCallIsReportedToTheObserverWithItsOutcome() throws {
    final class Log { var records: [SyscallRecord] = [] }
    let log = Log()
    let observed = Kernel { log.records.append($0) }
    let fd = try observed.socket(domain: AF_INET, type: stream, protocol: 0).get()
    _ = observed.connect(fd, loopback(1))
    _ = observed.close(fd)
    #expect(log.records.map(\.name) == ["socket", "connect", "close"])
    #expect(log.records[0].returnValue == Int(fd))
    #expect(log.records[1].errno == Errno(ECONNREFUSED))
    #expect(log.records[2].returnValue == 0)
  }

  @Test func withoutReportingSuccessesOnlyFailuresReachTheObserver() throws {
    final class Log { var records: [SyscallRecord] = [] }
    let log = Log()
    let observed = Kernel { log.records.append($0) }
    observed.reportsSuccesses = false
    let fd = try observed.socket(domain: AF_INET, type: stream, protocol: 0).get()
    _ = observed.connect(fd, loopback(1))
    _ = observed.close(fd)
    #expect(log.records.map(\.name) == ["connect"])
    #expect(log.records[0].errno == Errno(ECONNREFUSED))
  }

  @Test func aShortReadKeepsOnlyItsBytes() throws {
    let (listenFD, client, server) = try connectedPair()
    defer { closeAll(listenFD, client, server) }
    _ = try kernel.write(client, Array("hello".utf8)).get()
    let got = try kernel.read(server, count: 65536).get()
    #expect(got == Array("hello".utf8))
    #expect(got.capacity < 1024, "a 5-byte read does not hold on to the 64 KiB buffer")
  }

  @Test func aPlannedFaultFailsTheNextCallWithoutReachingLibc() throws {
    kernel.trace = []
    kernel.faults.fail("socket", with: Errno(EMFILE))
    #expect(kernel.socket(domain: AF_INET, type: stream, protocol: 0).errno == Errno(EMFILE))
    let fd = try tcpSocket()
    closeAll(fd)
    #expect(kernel.faults.isEmpty, "the fault is used up by the call it was planned for")
    #expect(kernel.trace?.map(\.reachedLibc) == [false, true, true])
    #expect(kernel.trace?.first?.description == "socket = -1 EMFILE (planned)")
  }

  @Test func errnoKnowsNamesNumbersAndMessages() {
    let refused = Errno(ECONNREFUSED)
    #expect(refused.name == "ECONNREFUSED")
    #expect(refused.message == "Connection refused")
    #expect(Errno(name: "SOCKET_EADDRINUSE") == Errno(EADDRINUSE))
    #expect(Errno(name: "ENOTANERRNO") == nil)
  }

  @Test func addressesParseAndRefuseWhatTheyCannotBe() {
    #expect(SocketAddress.parse(host: "localhost", port: 80, family: AF_INET6).map(\.host) == .success("::1"))
    #expect(
      SocketAddress.parse(host: "[::1]", port: 80, family: AF_INET6).map(\.display) == .success("[::1]:80"))
    #expect(
      SocketAddress.parse(host: "127.0.0.1", port: 70000, family: AF_INET) == .failure(.portOutOfRange(70000))
    )
    #expect(
      SocketAddress.parse(host: "::1", port: 1, family: AF_INET)
        == .failure(.wrongFamily("::1", expected: "IPv4")))
    #expect(
      SocketAddress.parse(host: "example.com", port: 1, family: AF_INET)
        == .failure(.notAnAddress("example.com", "IPv4")))
    #expect(
      SocketAddress.parse(host: "@name", port: nil, family: AF_UNIX)
        == .success(.unix(path: [0] + Array("name".utf8))))
  }
}

extension Result {
  /// The errno of a failed kernel call, or nil when it succeeded.
  var errno: Errno? {
    if case .failure(let error) = self { return error as? Errno }
    return nil
  }
}
