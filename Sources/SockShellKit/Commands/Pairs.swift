import Glibc

/// PHP's shortcuts and the naming calls: create_listen, create_pair, getsockname, getpeername,
/// and unlink for the file a bound Unix socket leaves behind.
enum Pairs {
  static let commands: [CommandSpec] = [createListen, createPair, getsockname, getpeername, unlink]

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
    try Pairs.name(&call, peer: false)
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
    try Pairs.name(&call, peer: true)
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

  static let unlink = CommandSpec(
    name: "unlink", family: .shell, synopsis: "unlink PATH",
    prototype: "int unlink(const char *pathname);", php: "unlink(string $filename): bool",
    manPage: "unlink(2)",
    summary: "Remove a file: the socket file a bound AF_UNIX socket leaves behind.",
    notes: """
      Binding an AF_UNIX socket to a path creates a file that stays after close; binding the
      path again gives EADDRINUSE until it is removed. Abstract names (@name) leave no file.
      """,
    effect: "the path is gone; sockets already bound keep working",
    errors: [LikelyError("ENOENT", "there is no such file")],
    example: "unlink /tmp/reverse.sock"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let path = try call.bytes(0, "the path")
    guard !path.isEmpty else { throw call.usage("the path is empty") }
    guard case .success = call.kernel.unlink(path) else { return .bool(false) }
    return .bool(true)
  }
}
