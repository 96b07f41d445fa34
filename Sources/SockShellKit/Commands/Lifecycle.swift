import Glibc

/// Making, naming, connecting and ending sockets.
enum Lifecycle {
  static let commands: [CommandSpec] = [
    create, bind, listen, accept, connect, shutdown, close, createListen, createPair, getsockname, getpeername,
  ]

  static let create = CommandSpec(
    name: "create", aliases: ["socket_create", "socket"], family: .lifecycle,
    synopsis: "create DOMAIN TYPE [PROTOCOL]",
    prototype: "int socket(int domain, int type, int protocol);",
    php: "socket_create(int $domain, int $type, int $protocol): Socket|false",
    manPage: "socket(2)",
    summary: "Make a new socket and give it the next handle number.",
    notes: """
      The kernel returns the lowest free file descriptor; sockshell names it with a handle
      (#1, #2, ...) that is never reused. DOMAIN is AF_INET, AF_INET6 or AF_UNIX (or inet,
      inet6, unix); TYPE is SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET or SOCK_RAW (or stream,
      dgram, seqpacket, raw); PROTOCOL 0 lets the kernel choose. SOCK_RAW needs privileges:
      a normal user gets EPERM.
      """,
    effect: "(none) → created: a new fd, not yet bound or connected",
    errors: [
      LikelyError("EAFNOSUPPORT", "the domain is not one this kernel supports"),
      LikelyError("EPROTONOSUPPORT", "the protocol does not fit the domain and type (TCP with SOCK_DGRAM)"),
      LikelyError("EPERM", "SOCK_RAW needs privileges a normal user lacks"),
      LikelyError("EMFILE", "the process has too many open files"),
    ],
    example: "$socket = create AF_INET SOCK_STREAM 0",
    createsHandles: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let domain = try call.domain(0)
    let type = try call.socketType(1)
    let proto = try call.protocolNumber(2)
    let baseType = type & ~Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
    if !SocketNames.types.contains(where: { $0.value == baseType }) {
      call.interpreter.hint(
        for: EINVAL,
        "\(baseType) is not a socket type: give SOCK_STREAM (stream, TCP), SOCK_DGRAM (dgram, UDP) "
          + "or SOCK_SEQPACKET; the protocol comes third, and 0 picks the usual one")
    }
    if proto != 0 {
      call.interpreter.hint(
        for: EPROTONOSUPPORT,
        "\(SocketNames.protocol(proto, domain: domain)) is not a protocol \(SocketNames.domain(domain)) "
          + "\(SocketNames.type(type & ~Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))) sockets speak; "
          + "give 0 and the kernel picks the usual one (TCP for SOCK_STREAM, UDP for SOCK_DGRAM)")
    }
    switch call.kernel.socket(domain: domain, type: type, protocol: proto) {
    case .success(let fd):
      let handle = call.interpreter.handles.add(
        fd: fd, domain: domain, type: type, proto: proto, state: .created)
      handle.isNonBlocking = type & Int32(SOCK_NONBLOCK.rawValue) != 0
      return .handle(handle.number)
    case .failure:
      return .bool(false)
    }
  }

  static let bind = CommandSpec(
    name: "bind", aliases: ["socket_bind"], family: .lifecycle,
    synopsis: "bind HANDLE ADDRESS [PORT]",
    prototype: "int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);",
    php: "socket_bind(Socket $socket, string $address, int $port = 0): bool",
    manPage: "bind(2)",
    summary: "Give a socket its local address.",
    notes: """
      A server binds to the address clients will connect to. Port 0 lets the kernel pick a free
      port. Binding 127.0.0.1 or ::1 keeps the port on this machine; 0.0.0.0 or :: exposes it.
      """,
    effect: "created → bound: the socket now has its local address",
    errors: [
      LikelyError("EADDRINUSE", "another socket has the port, or a closed connection keeps it in TIME_WAIT"),
      LikelyError("EACCES", "ports below 1024 need privileges"),
      LikelyError("EINVAL", "the socket is already bound"),
      LikelyError("EADDRNOTAVAIL", "the address is not one of this machine's"),
    ],
    example: "bind $socket 127.0.0.1 5353"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let handle = try call.handle(0)
    let address = try call.address(1, for: handle, defaultPort: 0)
    if case .unix(let path) = address, path.first != 0 {
      call.interpreter.hint(
        for: EADDRINUSE,
        "the socket file \(address.display) is still there (it outlives its socket); `unlink \(address.display)` first"
      )
    }
    if case .inet6(let bytes, _, _, _) = address, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff,
      bytes[11] == 0xff
    {
      call.interpreter.hint(
        for: EINVAL, "an IPv4-mapped address (::ffff:a.b.c.d) needs IPV6_V6ONLY off; this socket is IPv6 only"
      )
    }
    guard case .success = call.kernel.bind(handle.fd, address) else { return .bool(false) }
    handle.localAddress = address
    if handle.state == .created { handle.state = .bound }
    if case .unix(let path) = address, path.first != 0 {
      call.interpreter.hint(
        "the socket file \(address.display) stays after close; `unlink \(address.display)` removes it")
    }
    if address.isBeyondLoopback {
      call.interpreter.notice(
        "warning: \(address.display) is reachable from other machines; bind 127.0.0.1 or ::1 to stay local")
    }
    return .bool(true)
  }

  static let listen = CommandSpec(
    name: "listen", aliases: ["socket_listen"], family: .lifecycle,
    synopsis: "listen HANDLE [BACKLOG]",
    prototype: "int listen(int sockfd, int backlog);",
    php: "socket_listen(Socket $socket, int $backlog = 0): bool",
    manPage: "listen(2)",
    summary: "Mark a stream socket as accepting connections.",
    notes: """
      After listen the kernel completes TCP handshakes by itself and queues the connections
      (up to BACKLOG) until accept takes them. A socket that was never bound gets a random port.
      """,
    effect: "bound → listening: the kernel queues incoming connections",
    errors: [
      LikelyError("EADDRINUSE", "another socket already listens on the port"),
      LikelyError("EOPNOTSUPP", "datagram sockets do not listen"),
      LikelyError("EINVAL", "the socket is connected, or otherwise cannot listen"),
    ],
    example: "listen $socket 3"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let handle = try call.handle(0)
    let backlog = try call.int(1, "the backlog", default: 0)
    let wasBound = handle.state != .created
    guard case .success = call.kernel.listen(handle.fd, backlog: Int32(clamping: backlog)) else {
      return .bool(false)
    }
    handle.state = .listening
    if !wasBound, handle.domain == AF_INET || handle.domain == AF_INET6 {
      call.interpreter.notice(Lifecycle.implicitBindWarning("listen", handle))
    }
    return .bool(true)
  }

  static let accept = CommandSpec(
    name: "accept", aliases: ["socket_accept"], family: .lifecycle,
    synopsis: "accept HANDLE",
    prototype: "int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    php: "socket_accept(Socket $socket): Socket|false",
    manPage: "accept(2)",
    summary: "Take the next connection from a listening socket, as a new handle.",
    notes: """
      Blocks until a client connects (a non-blocking socket gets EAGAIN instead). The listening
      socket stays open for further clients; the new socket talks to this one client.
      """,
    effect: "listening stays listening; the new handle starts out accepted (connected)",
    errors: [
      LikelyError("EAGAIN", "a non-blocking socket with no connection waiting"),
      LikelyError("EINVAL", "the socket is not listening"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
      LikelyError("EMFILE", "the process has too many open files"),
    ],
    example: "$spawn = accept $socket",
    mayBlock: true, createsHandles: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let listener = try call.handle(0)
    if listener.state != .listening {
      call.interpreter.hint(
        for: EINVAL, "accept takes connections from a listening socket, and this one is not listening: listen first")
    }
    let accepted = call.waiting(
      "accept(\(listener.fd)) is waiting for a connection to \(Lifecycle.describePort(listener.localAddress))"
    ) { call.kernel.accept(listener.fd) }
    guard case .success(let accepted) = accepted else { return .bool(false) }
    let handle = call.interpreter.handles.add(
      fd: accepted.fd, domain: listener.domain, type: listener.type & ~Int32(SOCK_NONBLOCK.rawValue),
      proto: listener.proto, state: .accepted)
    handle.peerAddress = accepted.peer
    handle.localAddress = listener.localAddress
    return .handle(handle.number)
  }

  /// Where a listener listens, as far as sockshell knows without a call it would have to echo.
  /// What the kernel did when a call needed a local address and the socket had none.
  static func implicitBindWarning(_ call: String, _ handle: Handle) -> String {
    let any = handle.domain == AF_INET6 ? "::" : "0.0.0.0"
    return "warning: \(call) on an unbound socket made the kernel bind it to every interface (\(any)) "
      + "on a port it picked, reachable from other machines; bind 127.0.0.1 or ::1 first to stay local"
  }

  static func describePort(_ address: SocketAddress?) -> String {
    guard let address else { return "the port the kernel picked at listen (`handles` shows it)" }
    if address.port == 0 {
      return address.host + ", on the port the kernel picked (`handles` shows it)"
    }
    return address.display
  }

  static let connect = CommandSpec(
    name: "connect", aliases: ["socket_connect"], family: .lifecycle,
    synopsis: "connect HANDLE ADDRESS [PORT]",
    prototype: "int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);",
    php: "socket_connect(Socket $socket, string $address, ?int $port = null): bool",
    manPage: "connect(2)",
    summary: "Connect a socket to a server (for datagrams: set the default peer).",
    notes: """
      A stream socket performs the TCP handshake and blocks until it completes. A non-blocking
      socket returns EINPROGRESS at once; select for writing tells when the handshake is done.
      """,
    effect: "created or bound → connected (non-blocking: connecting until select says writable)",
    errors: [
      LikelyError("ECONNREFUSED", "nothing listens on that address and port"),
      LikelyError("EISCONN", "the socket is already connected"),
      LikelyError("EINPROGRESS", "a non-blocking socket: the handshake goes on in the background"),
      LikelyError("EALREADY", "a non-blocking connect is still in progress"),
      LikelyError("ETIMEDOUT", "no answer from the other host"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
    ],
    example: "connect $client 127.0.0.1 5353",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...3)
    let handle = try call.handle(0)
    let address = try call.address(1, for: handle)
    let result = call.waiting("connect(\(handle.fd)) is waiting for \(address.display) to answer") {
      call.kernel.connect(handle.fd, address)
    }
    switch result {
    case .success:
      handle.state = .connected
      handle.peerAddress = address
      return .bool(true)
    case .failure(let errno):
      if errno == .EINPROGRESS {
        handle.state = .connecting
        handle.peerAddress = address
      }
      return .bool(false)
    }
  }

  static let shutdown = CommandSpec(
    name: "shutdown", aliases: ["socket_shutdown"], family: .lifecycle,
    synopsis: "shutdown HANDLE [HOW]",
    prototype: "int shutdown(int sockfd, int how);",
    php: "socket_shutdown(Socket $socket, int $mode = 2): bool",
    manPage: "shutdown(2)",
    summary: "Close reading (rd), writing (wr) or both (rdwr) of a connection; the socket stays open.",
    notes: """
      `shutdown wr` sends FIN: the peer's read returns empty (end of stream) while this side can
      still read the reply, the half-close. HOW is rd, wr, rdwr, 0, 1, 2 or SHUT_RD, SHUT_WR,
      SHUT_RDWR; the default is rdwr as in PHP.
      """,
    effect: "connected → read-shut, write-shut or shut; the socket stays open",
    errors: [
      LikelyError("ENOTCONN", "the socket is not connected"),
      LikelyError("EINVAL", "HOW is not one of the three"),
    ],
    example: "shutdown $client wr"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let handle = try call.handle(0)
    var how = SHUT_RDWR
    if call.has(1) {
      switch call.value(1) {
      case .int(let number) where (0...2).contains(number): how = Int(number)
      case .bytes(let bytes):
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "rd", "read", "shut_rd": how = SHUT_RD
        case "wr", "write", "shut_wr": how = SHUT_WR
        case "rdwr", "both", "shut_rdwr": how = SHUT_RDWR
        default: throw call.usage("HOW must be rd, wr or rdwr (0, 1, 2)")
        }
      default: throw call.usage("HOW must be rd, wr or rdwr (0, 1, 2)")
      }
    }
    guard case .success = call.kernel.shutdown(handle.fd, how: Int32(how)) else { return .bool(false) }
    switch (how, handle.state) {
    case (SHUT_RDWR, _), (SHUT_RD, .writeShut), (SHUT_WR, .readShut): handle.state = .shut
    case (SHUT_RD, _): handle.state = .readShut
    default: handle.state = .writeShut
    }
    return .bool(true)
  }

  static let close = CommandSpec(
    name: "close", aliases: ["socket_close"], family: .lifecycle,
    synopsis: "close HANDLE",
    prototype: "int close(int fd);",
    php: "socket_close(Socket $socket): void",
    manPage: "close(2)",
    summary: "Release a socket. Its handle number stays dead.",
    notes: """
      Closing a connected TCP socket sends FIN (or RST when unread data remains). The fd is
      free for the kernel to hand out again, which is why sockshell never reuses the handle.
      """,
    effect: "any → closed: the fd is released, the handle number stays dead",
    errors: [
      LikelyError("EBADF", "the fd was already closed behind sockshell's back")
    ],
    example: "close $spawn"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let handle = try call.handle(0)
    let result = call.kernel.close(handle.fd)
    // Linux frees the descriptor even when close reports an error.
    call.interpreter.handles.markClosed(handle, line: call.interpreter.lineNumber, by: call.typedName)
    if case .failure = result { return .bool(false) }
    return .null
  }

  static let createListen = CommandSpec(
    name: "create_listen", aliases: ["socket_create_listen"], family: .lifecycle,
    synopsis: "create_listen PORT [BACKLOG]",
    prototype: "socket(2), bind(2) and listen(2) in one",
    php: "socket_create_listen(int $port, int $backlog = SOMAXCONN): Socket|false",
    manPage: "listen(2)",
    summary: "PHP's shortcut: a TCP socket bound to every interface on PORT, listening.",
    notes: """
      Three calls in one: socket(AF_INET, SOCK_STREAM), bind to 0.0.0.0 (every interface, so
      other machines can reach the port) and listen. For a server that stays on this machine,
      create, bind 127.0.0.1 and listen yourself.
      """,
    effect: "(none) → listening on 0.0.0.0:PORT",
    errors: [
      LikelyError("EADDRINUSE", "another socket has the port"),
      LikelyError("EACCES", "ports below 1024 need privileges"),
    ],
    example: "$server = create_listen 5353",
    createsHandles: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let port = try call.int(0, "the port")
    guard (0...65535).contains(port) else { throw call.usage("the port must be between 0 and 65535") }
    let backlog = try call.int(1, "the backlog", default: Int(SOMAXCONN))
    guard
      case .success(let fd) = call.kernel.socket(
        domain: AF_INET, type: Int32(SOCK_STREAM.rawValue), protocol: 0)
    else { return .bool(false) }
    let handle = call.interpreter.handles.add(
      fd: fd, domain: AF_INET, type: Int32(SOCK_STREAM.rawValue), proto: 0, state: .created)
    let address = SocketAddress.inet(address: [0, 0, 0, 0], port: UInt16(port))
    // PHP closes the socket when bind or listen fails and returns false.
    guard case .success = call.kernel.bind(fd, address),
      case .success = call.kernel.listen(fd, backlog: Int32(clamping: backlog))
    else {
      _ = call.kernel.close(fd)
      call.interpreter.handles.markClosed(handle, line: call.interpreter.lineNumber, by: call.typedName)
      return .bool(false)
    }
    handle.localAddress = address
    handle.state = .listening
    call.interpreter.notice(
      "warning: the port is open on every interface (0.0.0.0), reachable from other machines; "
        + "bind 127.0.0.1 yourself to stay local")
    return .handle(handle.number)
  }

  static let createPair = CommandSpec(
    name: "create_pair", aliases: ["socket_create_pair", "socketpair"], family: .lifecycle,
    synopsis: "create_pair DOMAIN TYPE [PROTOCOL]",
    prototype: "int socketpair(int domain, int type, int protocol, int sv[2]);",
    php: "socket_create_pair(int $domain, int $type, int $protocol, array &$pair): bool",
    manPage: "socketpair(2)",
    summary: "Two sockets already connected to each other; the value is a list of both handles.",
    notes: """
      Linux makes pairs only in AF_UNIX. What one end writes, the other reads: a pipe that
      goes both ways. Name both at once with `[$a, $b] = socketpair unix stream 0`, or pass a
      variable as PHP does: `socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $pair)`.
      """,
    effect: "(none) → two connected handles",
    errors: [
      LikelyError("EOPNOTSUPP", "AF_INET and AF_INET6 make no pairs; use AF_UNIX"),
      LikelyError("EAFNOSUPPORT", "the domain makes no pairs"),
    ],
    example: "[$left, $right] = socketpair unix stream 0",
    createsHandles: true, outArguments: [3]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...4)
    let domain = try call.domain(0)
    let type = try call.socketType(1)
    let proto = try call.protocolNumber(2)
    guard case .success(let fds) = call.kernel.socketpair(domain: domain, type: type, protocol: proto) else {
      return .bool(false)
    }
    var pair: [Value] = []
    for fd in [fds.0, fds.1] {
      let handle = call.interpreter.handles.add(
        fd: fd, domain: domain, type: type, proto: proto, state: .connected)
      handle.isNonBlocking = type & Int32(SOCK_NONBLOCK.rawValue) != 0
      pair.append(.handle(handle.number))
    }
    // PHP's form fills its fourth argument; the value stays the list (PHP returns true), so the
    // echo can name both new handles either way.
    if call.count == 4 { call.writeBack(3, .list(pair)) }
    return .list(pair)
  }

  static let getsockname = CommandSpec(
    name: "getsockname", aliases: ["socket_getsockname"], family: .lifecycle,
    synopsis: "getsockname HANDLE",
    prototype: "int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    php: "socket_getsockname(Socket $socket, string &$address, int &$port = null): bool",
    manPage: "getsockname(2)",
    summary: "The socket's own address: \"127.0.0.1:5353\", \"[::1]:80\" or a path.",
    notes: """
      After bind to port 0, or a connect that bound implicitly, this is how to learn the port
      the kernel picked. PHP's form fills variables: `socket_getsockname($s, $addr, $port)`.
      """,
    effect: "unchanged",
    errors: [LikelyError("EBADF", "the fd is not open")],
    example: "$me = getsockname $server",
    outArguments: [1, 2]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try Lifecycle.name(&call, peer: false)
  }

  static let getpeername = CommandSpec(
    name: "getpeername", aliases: ["socket_getpeername"], family: .lifecycle,
    synopsis: "getpeername HANDLE",
    prototype: "int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);",
    php: "socket_getpeername(Socket $socket, string &$address, int &$port = null): bool",
    manPage: "getpeername(2)",
    summary: "The address of the other end of a connected socket.",
    notes: "A socket that is not connected gets ENOTCONN. PHP's form fills variables, as getsockname.",
    effect: "unchanged",
    errors: [LikelyError("ENOTCONN", "the socket is not connected")],
    example: "$client = getpeername $spawn",
    outArguments: [1, 2]
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try Lifecycle.name(&call, peer: true)
  }

  private static func name(_ call: inout Invocation, peer: Bool) throws(ShellError) -> Value {
    try call.expect(1...3)
    let handle = try call.handle(0)
    let result = peer ? call.kernel.peerAddress(handle.fd) : call.kernel.localAddress(handle.fd)
    guard case .success(let address) = result else { return .bool(false) }
    if peer { handle.peerAddress = address } else { handle.localAddress = address }
    if call.count >= 2 {
      // PHP: the host (or path) and the port go into the variables given.
      call.writeBack(1, .string(address.host))
      if let port = address.port { call.writeBack(2, .int(Int(port))) }
      return .bool(true)
    }
    return .string(address.display)
  }
}
