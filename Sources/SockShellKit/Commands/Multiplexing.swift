import Glibc

/// Blocking mode and waiting on several sockets at once.
enum Multiplexing {
  static let commands: [CommandSpec] = [select, setNonblock, setBlock]

  static let select = CommandSpec(
    name: "select", aliases: ["socket_select"], family: .multiplexing,
    synopsis: "select READ WRITE EXCEPT [SECONDS [MICROSECONDS]]",
    prototype:
      "int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);",
    php:
      "socket_select(?array &$read, ?array &$write, ?array &$except, ?int $seconds, int $microseconds = 0): int|false",
    manPage: "select(2)",
    summary: "Wait until some of the listed sockets are ready; the value is how many.",
    notes: """
      READ, WRITE and EXCEPT are lists of handles ([#1, $client]) or null. A list given as a
      variable is replaced by the handles that are ready, as PHP does. A listening socket is
      readable when a connection waits for accept; a connecting one is writable when the
      handshake is over. No timeout (or null) waits for ever; 0 only polls. Descriptors at or
      above FD_SETSIZE (1024) cannot be watched by select.
      """,
    effect: "unchanged: select only watches",
    errors: [
      LikelyError("EBADF", "a listed fd is not open"),
      LikelyError("EINVAL", "a negative timeout"),
      LikelyError("EINTR", "Ctrl-C stopped the wait"),
    ],
    example: "$r = [$socket, $spawn]; select $r null null 5",
    mayBlock: true
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(3...5)
    var sets: [[(key: ArrayKey, handle: Handle)]?] = []
    for position in 0..<3 {
      sets.append(try handleList(&call, position))
    }
    var timeout: (seconds: Int, microseconds: Int)?
    if call.has(3) {
      var seconds = 0
      var micros = 0
      switch call.value(3) {
      case .double(let value):
        guard value >= 0, value < 1e9 else {
          throw call.usage("the timeout must be between 0 and 1e9 seconds")
        }
        seconds = Int(value)
        micros = Int(((value - Double(seconds)) * 1_000_000).rounded())
      default:
        seconds = try call.int(3, "the timeout in seconds")
      }
      let extra = try call.int(4, "the microseconds", default: 0)
      guard seconds >= 0, extra >= 0 else { throw call.usage("the timeout cannot be negative") }
      // Both parts bounded before they are added, so no sum can overflow.
      guard seconds < 1_000_000_000, extra < 1_000_000_000 * 1_000_000 else {
        throw call.usage("the timeout must be under 1e9 seconds")
      }
      micros += extra
      timeout = (seconds + micros / 1_000_000, micros % 1_000_000)
    }
    let watched = sets.reduce(0) { $0 + ($1?.count ?? 0) }
    let fds = sets.map { $0.map { $0.map(\.handle.fd) } }
    let limit = timeout.map { time in
      " (for up to \(time.1 == 0 ? "\(time.0)" : "\(Double(time.0) + Double(time.1) / 1e6)") s)"
    }
    let what = watched == 1 ? "its socket" : "any of its \(watched) sockets"
    let result = call.waiting("select is waiting for \(what) to be ready\(limit ?? "")") {
      call.kernel.select(
        read: fds[0], write: fds[1], except: fds[2], timeout: timeout)
    }
    guard case .success(let ready) = result else { return .bool(false) }
    let readyFDs = [ready.read, ready.write, ready.except]
    for position in 0..<3 {
      guard let set = sets[position] else { continue }
      // The ready ones keep their keys, in the order they were given, as socket_select leaves them.
      var subset = PHPArray()
      for (key, handle) in set where readyFDs[position].contains(handle.fd) { subset.set(key, .handle(handle.number)) }
      call.writeBack(position, .array(subset))
    }
    return .int(ready.count)
  }

  /// The open handles of one of select's sets, with their keys in the array, or nil for null.
  private static func handleList(_ call: inout Invocation, _ position: Int) throws(ShellError)
    -> [(key: ArrayKey, handle: Handle)]?
  {
    let items: [(key: ArrayKey, value: Value)]
    switch call.value(position) {
    case .null: return nil
    case .array(let values): items = Array(values)
    case .handle, .int: items = [(.int(0), call.value(position))]
    case let other:
      throw call.usage("argument \(position + 1) must be a list of handles or null, not \(other.kindName)")
    }
    var handles: [(key: ArrayKey, handle: Handle)] = []
    for (key, item) in items {
      let single = Invocation(
        interpreter: call.interpreter, spec: call.spec, typedName: call.typedName,
        arguments: [CallArgument(value: item, variable: nil)], isStatement: false)
      let handle = try single.handle(0)
      guard handle.fd < FD_SETSIZE else {
        throw ShellError(
          "\(call.typedName): \(call.interpreter.describe(handle)) has fd \(handle.fd), at or above FD_SETSIZE "
            + "(\(FD_SETSIZE)); select cannot watch it (poll can)")
      }
      handles.append((key, handle))
    }
    return handles
  }

  static let setNonblock = CommandSpec(
    name: "set_nonblock", aliases: ["socket_set_nonblock", "nonblock"], family: .multiplexing,
    synopsis: "set_nonblock HANDLE",
    prototype: "int fcntl(int fd, int cmd, ... /* arg */ );",
    php: "socket_set_nonblock(Socket $socket): bool",
    manPage: "fcntl(2)",
    summary: "Make calls on the socket return EAGAIN instead of waiting.",
    notes: """
      Reads the file status flags with F_GETFL and sets them again with O_NONBLOCK added
      (F_SETFL). From then on accept, read and write never block: they return EAGAIN when they
      would have waited, and connect returns EINPROGRESS.
      """,
    effect: "blocking → non-blocking: calls that would wait return EAGAIN or EINPROGRESS",
    errors: [
      LikelyError("EBADF", "the fd is not open")
    ],
    example: "set_nonblock $socket"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try setBlocking(&call, nonBlocking: true)
  }

  static let setBlock = CommandSpec(
    name: "set_block", aliases: ["socket_set_block", "block"], family: .multiplexing,
    synopsis: "set_block HANDLE",
    prototype: "int fcntl(int fd, int cmd, ... /* arg */ );",
    php: "socket_set_block(Socket $socket): bool",
    manPage: "fcntl(2)",
    summary: "Make calls on the socket wait again (clears O_NONBLOCK).",
    notes: "Reads the flags with F_GETFL and writes them back without O_NONBLOCK (F_SETFL).",
    effect: "non-blocking → blocking: calls wait again",
    errors: [
      LikelyError("EBADF", "the fd is not open")
    ],
    example: "set_block $socket"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try setBlocking(&call, nonBlocking: false)
  }

  private static func setBlocking(_ call: inout Invocation, nonBlocking: Bool) throws(ShellError) -> Value {
    try call.expect(1...1)
    let handle = try call.handle(0)
    guard case .success(let flags) = call.kernel.getStatusFlags(handle.fd) else { return .bool(false) }
    let wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
    guard case .success = call.kernel.setStatusFlags(handle.fd, wanted) else { return .bool(false) }
    handle.isNonBlocking = nonBlocking
    return .bool(true)
  }
}
