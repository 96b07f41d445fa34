import Glibc
import Testing
@testable import SockShellKit

/// The checker's "is the server up yet" question, asked of the kernel with sock_diag.
@Suite struct ListeningPortsTests {
  /// A TCP socket bound to port 0 of IPv4 or IPv6 loopback, listening or not.
  func boundSocket(ipv6: Bool = false, listening: Bool) -> Int32 {
    guard ipv6 else { return loopbackSocket(listening: listening) }
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr.__in6_u.__u6_addr8.15 = 1
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
      }
    }
    if listening { listen(fd, 1024) }
    return fd
  }

  @Test func aListeningPortIsFoundAndAClosedOneIsNot() {
    let listener = boundSocket(listening: true)
    let port = boundPort(listener)
    #expect(SocketDiagnostics.isListening(UInt16(port)) == true, "sock_diag did not answer")
    #expect(ListeningPorts.isListening(port))
    close(listener)
    #expect(!ListeningPorts.isListening(port))
  }

  @Test func aBoundSocketThatDoesNotListenIsNotListening() {
    let bound = boundSocket(listening: false)
    defer { close(bound) }
    #expect(!ListeningPorts.isListening(boundPort(bound)))
  }

  @Test(.enabled(if: MessagesTests.loopback6Works(), "no ::1 on this machine"))
  func anIPv6ListenerIsFound() {
    let listener = boundSocket(ipv6: true, listening: true)
    defer { close(listener) }
    #expect(ListeningPorts.isListening(boundPort(listener)))
  }

  /// The question names one port and only listening sockets, so a machine full of connections
  /// does not slow it down: the kernel answers it (sock_diag) rather than the checker reading
  /// /proc/net/tcp, which lists every connection. What it costs is measured by hand, not here
  /// (a timing in a test decides on the machine's load).
  @Test func theKernelIsAskedAboutTheOnePortAmongManyConnections() throws {
    // The connections live in a peer process: in this one they would take the low descriptors
    // that tests running beside it expect. Linger 0 resets them when it is killed: no TIME_WAIT.
    let peer = try python(
      """
      import socket, struct, sys, time
      listener = socket.socket()
      listener.bind(("127.0.0.1", 0))
      listener.listen(1024)
      reset = struct.pack("ii", 1, 0)
      held = []
      for _ in range(300):
          client = socket.create_connection(listener.getsockname())
          served, _ = listener.accept()
          for s in (client, served):
              s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
          held += [client, served]
      print(listener.getsockname()[1], flush=True)
      time.sleep(120)
      """)
    defer {
      kill(peer.pid, SIGKILL)
      _ = peer.finish(timeout: 10)
    }
    let listening = try #require(Int(peer.readLine()), "the peer did not open its connections")

    let closedPort = freePort()
    // A definite answer from sock_diag, for a port among hundreds of connections: nil would
    // mean the checker fell back to reading /proc/net/tcp whole.
    #expect(SocketDiagnostics.isListening(UInt16(closedPort)) == false)
    #expect(SocketDiagnostics.isListening(UInt16(listening)) == true)
    #expect(ProcNetTCP.isListening(listening), "the fallback agrees")
    #expect(ListeningPorts.isListening(listening))
  }
}
