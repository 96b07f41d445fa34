/// What `export` makes of the journal before any language is written: the session's calls as
/// steps, each with the names its program uses (the session's variables where it had them), the
/// addresses as literals or as the variable a call received them in, and the result the session
/// got. The C, Python and PHP writers only spell the steps out.
struct ExportPlan {
  /// A socket as the program names it: a variable, or one end of a pair (`pair[0]`).
  struct Socket: Equatable {
    var name: String
    var index: Int?
  }

  /// An address given to a call: as the session typed it, or one an earlier call received (the
  /// sender of a datagram, whose port the kernel chose and a rerun will not reproduce).
  enum Address {
    case literal(SocketAddress)
    case received(String)
  }

  enum Call {
    case socket(Socket, domain: String, type: String, proto: String)
    case socketpair(String, domain: String, type: String, proto: String)
    case bind(Socket, Address, length: Int)
    case connect(Socket, Address, length: Int)
    case listen(Socket, backlog: Int)
    /// `into` names the new socket; `peer` the variable that keeps the client's address, when a
    /// later call uses it.
    case accept(Socket, into: Socket, peer: String?)
    case read(Socket, buffer: String, count: Int)
    case write(Socket, [UInt8])
    case recv(Socket, buffer: String, count: Int, flags: String)
    case recvfrom(Socket, buffer: String, count: Int, flags: String, from: String?)
    case send(Socket, [UInt8], flags: String)
    case sendto(Socket, [UInt8], flags: String, to: Address, length: Int)
    case shutdown(Socket, how: String)
    case close(Socket)
    case getsockname(Socket, into: String?)
    case getpeername(Socket, into: String?)
    case setsockopt(Socket, level: String, option: String, value: OptionValue)
    /// `shape` is the value's type, from the length the session gave.
    case getsockopt(Socket, level: String, option: String, shape: OptionShape)
    case getFlags(Socket)
    case setFlags(Socket, String)
    case unlink([UInt8])
    /// `select(2)`: the sockets of each set, nil for a NULL set; a nil timeout waits for ever.
    case select(read: [Socket]?, write: [Socket]?, except: [Socket]?, timeout: Timeout?)
    case writev(Socket, [[UInt8]])
    /// One buffer, `lengths` cut into the iovecs in turn.
    case readv(Socket, buffer: String, lengths: [Int])
    /// `to` is nil when the message goes to the connected peer.
    case sendmsg(Socket, [[UInt8]], to: Address?, length: Int, flags: String)
    /// `from` names the variable that keeps the sender, when a later call uses it.
    case recvmsg(Socket, buffer: String, lengths: [Int], flags: String, from: String?)
    /// A call the writers cannot spell (an option whose value is raw bytes, a call sockshell
    /// adds later): the echo's text, left as a comment.
    case unsupported(String)
  }

  /// A `struct timeval`.
  struct Timeout {
    var seconds: Int
    var microseconds: Int
  }

  /// What getsockopt reads an option into: an int, a `struct linger`, a `struct timeval`, or
  /// bytes (`struct tcp_info`) of the length the session gave.
  enum OptionShape: Equatable {
    case int, linger, timeval
    case bytes(Int)
  }

  struct Step {
    var call: Call
    /// The errno the session got; nil when the call succeeded there.
    var errno: Errno?
    /// What the call returned in the session.
    var returned: Int
    /// The data a read or receive brought in the session, for the comment.
    var received: [UInt8]?
    /// The man page: `connect(2)`.
    var manPage: String
  }

  /// How a language names things: the words a variable may not be, and what makes one of them
  /// a name (`socket` is a function in C and a module in Python: `socket_fd`, `socket_`).
  struct Naming {
    var reserved: Set<String>
    var suffix: String
  }

  var steps: [Step] = []
  /// Calls of the session the journal no longer held.
  var dropped = 0
  /// Calls written as comments only.
  var unsupported = 0
  /// Each read buffer with the largest count read into it.
  var buffers: [(name: String, size: Int)] = []
  /// The variables that keep a received address, in order.
  var addresses: [String] = []
  /// The sockets (and pairs) the session left open at the end.
  var openAtEnd: [Socket] = []
  /// Every name a socket was given, in order, once each, and the pairs apart.
  var socketNames: [String] = []
  var pairNames: [String] = []
  /// Sockets the program uses but the journal never saw made (their calls were dropped), with
  /// the descriptor the session had.
  var adopted: [(name: String, fd: Int32)] = []

  init(_ journal: Journal, naming: Naming) {
    dropped = journal.dropped
    var namer = Namer(naming: naming)
    let entries = journal.entries
    // The variable of each handle, from the call that made it.
    var variables: [Int: String] = [:]
    for entry in entries where !entry.created.isEmpty {
      if let variable = entry.variable {
        for handle in entry.created { variables[handle] = variable }
      }
    }
    let reuse = ExportPlan.receivedAddressUses(entries)

    var sockets: [Int32: Socket] = [:]
    /// Names in use by a socket still open, so that a name is reused only once its socket closed.
    var liveNames: [String: Int] = [:]
    var bufferSizes: [String: Int] = [:]
    var addressNames: [Int: String] = [:]

    func socket(_ fd: Int32) -> Socket {
      if let known = sockets[fd] { return known }
      // A descriptor the journal never saw made (its call was dropped): named by its number.
      let made = Socket(name: namer.fresh("fd\(fd)"), index: nil)
      sockets[fd] = made
      adopted.append((made.name, fd))
      return made
    }
    func newSocket(_ entry: Journal.Entry, fd: Int32?, offset: Int = 0) -> Socket {
      let handle = entry.created.isEmpty ? nil : entry.created.lowerBound + offset
      let wanted = handle.flatMap { variables[$0] } ?? handle.map { "sock\($0)" } ?? "sock"
      let name = namer.name(wanted, busy: { liveNames[$0, default: 0] > 0 })
      liveNames[name, default: 0] += 1
      if !socketNames.contains(name) { socketNames.append(name) }
      let made = Socket(name: name, index: nil)
      if let fd { sockets[fd] = made }
      return made
    }
    func buffer(_ entry: Journal.Entry, count: Int) -> String {
      let name = namer.dataName(entry.variable ?? "buf", isSocket: { socketNames.contains($0) })
      bufferSizes[name] = max(bufferSizes[name] ?? 0, max(count, 1))
      if !buffers.contains(where: { $0.name == name }) { buffers.append((name, 0)) }
      return name
    }
    func keep(_ position: Int) -> String? {
      guard reuse.kept.contains(position) else { return nil }
      let name = namer.fresh("from\(addresses.count + 1)")
      addressNames[position] = name
      addresses.append(name)
      return name
    }
    func address(_ position: Int, _ value: SocketAddress) -> Address {
      if let source = reuse.uses[position], let name = addressNames[source] { return .received(name) }
      return .literal(value)
    }

    for (position, entry) in entries.enumerated() {
      let record = entry.record
      let arguments = record.arguments
      var fd: Int32 = -1
      if case .fd(let first)? = arguments.first { fd = first }
      func int(_ index: Int) -> Int {
        if index < arguments.count, case .int(let value) = arguments[index] { return value }
        return 0
      }
      func symbol(_ index: Int) -> String {
        if index < arguments.count, case .symbol(let value) = arguments[index] { return value }
        return "0"
      }
      func data(_ index: Int) -> [UInt8] {
        if index < arguments.count, case .data(let value) = arguments[index] { return value }
        return []
      }
      /// An iovec array's buffers, alone or in a msghdr.
      func slices(_ index: Int) -> [SyscallRecord.IOSlice] {
        guard index < arguments.count else { return [] }
        switch arguments[index] {
        case .iovecs(let parts), .message(_, _, let parts, _): return parts
        default: return []
        }
      }
      func inAddress(_ index: Int) -> SocketAddress? {
        if index < arguments.count, case .address(let value) = arguments[index] { return value }
        return nil
      }
      let failed = record.errno != nil
      let received: [UInt8]? = failed ? nil : data(1)
      var call: Call?
      var page = record.name + "(2)"
      switch record.name {
      case "socket":
        call = .socket(
          newSocket(entry, fd: failed ? nil : Int32(record.returnValue)), domain: symbol(0), type: symbol(1),
          proto: symbol(2))
      case "socketpair":
        let wanted = entry.variable ?? "pair"
        let name = namer.name(wanted, busy: { liveNames[$0, default: 0] > 0 })
        pairNames.append(name)
        if !failed, case .symbol(let text) = arguments[3] {
          let fds = text.dropFirst().dropLast().split(separator: ",").compactMap {
            Int32($0.trimmingSpaces())
          }
          for (index, pairFD) in fds.enumerated() { sockets[pairFD] = Socket(name: name, index: index) }
          liveNames[name, default: 0] += fds.count
        }
        call = .socketpair(name, domain: symbol(0), type: symbol(1), proto: symbol(2))
      case "bind", "connect":
        if let value = inAddress(1) {
          let target = address(position, value)
          call =
            record.name == "bind"
            ? .bind(socket(fd), target, length: int(2)) : .connect(socket(fd), target, length: int(2))
        }
      case "listen":
        call = .listen(socket(fd), backlog: int(1))
      case "accept":
        let listener = socket(fd)
        call = .accept(
          listener, into: newSocket(entry, fd: failed ? nil : Int32(record.returnValue)), peer: keep(position)
        )
      case "read":
        call = .read(socket(fd), buffer: buffer(entry, count: int(2)), count: int(2))
      case "write":
        call = .write(socket(fd), data(1))
      case "recv":
        call = .recv(socket(fd), buffer: buffer(entry, count: int(2)), count: int(2), flags: symbol(3))
      case "recvfrom":
        call = .recvfrom(
          socket(fd), buffer: buffer(entry, count: int(2)), count: int(2), flags: symbol(3),
          from: keep(position))
      case "send":
        call = .send(socket(fd), data(1), flags: symbol(3))
      case "sendto":
        if let value = inAddress(4) {
          call = .sendto(socket(fd), data(1), flags: symbol(3), to: address(position, value), length: int(5))
        }
      case "shutdown":
        call = .shutdown(socket(fd), how: symbol(1))
      case "close":
        let closed = socket(fd)
        call = .close(closed)
        if !failed {
          sockets[fd] = nil
          liveNames[closed.name, default: 0] -= 1
        }
      case "getsockname":
        call = .getsockname(socket(fd), into: keep(position))
      case "getpeername":
        call = .getpeername(socket(fd), into: keep(position))
      case "setsockopt":
        if let value = ExportPlan.optionValue(symbol(3)) {
          call = .setsockopt(socket(fd), level: symbol(1), option: symbol(2), value: value)
        }
      case "getsockopt":
        if let shape = ExportPlan.optionShape(value: symbol(3), length: symbol(4)) {
          call = .getsockopt(socket(fd), level: symbol(1), option: symbol(2), shape: shape)
        }
      case "fcntl":
        call = symbol(1) == "F_GETFL" ? .getFlags(socket(fd)) : .setFlags(socket(fd), symbol(2))
      case "unlink":
        call = .unlink(data(0))
      case "select":
        func set(_ index: Int) -> [Socket]? {
          guard index < arguments.count, case .fdSet(let fds) = arguments[index] else { return nil }
          return fds.map { $0.map(socket) }
        }
        var timeout: Timeout?
        if arguments.count > 4, case .timeval(let seconds, let microseconds) = arguments[4] {
          timeout = Timeout(seconds: seconds, microseconds: microseconds)
        }
        call = .select(read: set(1), write: set(2), except: set(3), timeout: timeout)
      case "writev":
        call = .writev(socket(fd), slices(1).map(\.data))
      case "readv":
        let lengths = slices(1).map(\.length)
        call = .readv(socket(fd), buffer: buffer(entry, count: lengths.reduce(0, +)), lengths: lengths)
      case "sendmsg":
        if arguments.count > 1, case .message(let name, let length, let parts, _) = arguments[1] {
          call = .sendmsg(
            socket(fd), parts.map(\.data), to: name.map { address(position, $0) }, length: length,
            flags: symbol(2))
        }
      case "recvmsg":
        let lengths = slices(1).map(\.length)
        call = .recvmsg(
          socket(fd), buffer: buffer(entry, count: lengths.reduce(0, +)), lengths: lengths, flags: symbol(2),
          from: keep(position))
      default:
        break
      }
      if record.name == "setsockopt" || record.name == "getsockopt" { page = "getsockopt(2)" }
      if call == nil {
        unsupported += 1
        page = record.name + "(2)"
      }
      // What a read or a receive brought; a write's data is in the call itself.
      let keepsData = ["read", "recv", "recvfrom"].contains(record.name)
      let scattered = ["readv", "recvmsg"].contains(record.name) && !failed
      steps.append(
        Step(
          call: call ?? .unsupported(ExportPlan.echo(record)), errno: record.errno,
          returned: record.returnValue,
          received: keepsData ? received : scattered ? slices(1).flatMap(\.data) : nil,
          manPage: page))
    }
    buffers = buffers.map { ($0.name, bufferSizes[$0.name] ?? 1) }
    // What is still open, in the order it was made.
    var seen: [Socket] = []
    for step in steps {
      var made: [Socket] = []
      switch step.call {
      case .socket(let socket, _, _, _) where step.errno == nil: made = [socket]
      case .accept(_, let socket, _) where step.errno == nil: made = [socket]
      case .socketpair(let name, _, _, _) where step.errno == nil:
        made = [Socket(name: name, index: 0), Socket(name: name, index: 1)]
      default: break
      }
      seen += made
    }
    let open = Set(sockets.values.map { "\($0.name)#\($0.index ?? -1)" })
    openAtEnd = seen.filter { open.contains("\($0.name)#\($0.index ?? -1)") }
    // A name reused for a later socket is open only once.
    var listed: Set<String> = []
    openAtEnd = openAtEnd.reversed().filter { listed.insert("\($0.name)#\($0.index ?? -1)").inserted }
      .reversed()
  }

  /// Which calls give an address that a later call sends to or connects to: a received address
  /// is reused when a later bind, connect or sendto names it and the session had not named that
  /// address itself before it came in (the server's own address, typed in the lesson, stays a
  /// literal; a client's ephemeral port, learnt from recvfrom, becomes the variable).
  static func receivedAddressUses(_ entries: [Journal.Entry]) -> (kept: Set<Int>, uses: [Int: Int]) {
    var named: Set<String> = []
    var latest: [String: Int] = [:]
    var kept: Set<Int> = []
    var uses: [Int: Int] = [:]
    for (position, entry) in entries.enumerated() {
      let record = entry.record
      switch record.name {
      case "bind", "connect", "sendto", "sendmsg":
        let index = record.name == "sendto" ? 4 : 1
        guard index < record.arguments.count else { continue }
        let given: SocketAddress
        switch record.arguments[index] {
        case .address(let address), .message(let address?, _, _, _): given = address
        default: continue
        }
        let address = given
        let key = address.display
        if let source = latest[key] {
          kept.insert(source)
          uses[position] = source
        } else {
          named.insert(key)
        }
      case "accept", "recvfrom", "getsockname", "getpeername", "recvmsg":
        guard record.errno == nil else { continue }
        for argument in record.arguments {
          switch argument {
          case .addressOut(let address?, _, _), .message(let address?, _, _, _):
            if !named.contains(address.display) { latest[address.display] = position }
          default: continue
          }
        }
      default: continue
      }
    }
    return (kept, uses)
  }

  /// A call's echo without colour, for the comment that stands in for a call no writer spells.
  static func echo(_ record: SyscallRecord) -> String {
    let buffer = ByteBuffer(capacity: 256)
    _ = EchoRenderer(stringLimit: 64, colour: false).append(record, to: buffer)
    return String(decoding: UnsafeBufferPointer(start: buffer.base, count: buffer.count), as: UTF8.self)
  }

  /// Splits `AF_INET`, `SOCK_STREAM|SOCK_NONBLOCK`, `0` into names and numbers, each spelled by
  /// `spell` (a number as it is), joined with `joiner`.
  static func flags(_ symbol: String, joiner: String = " | ", spell: (String) -> String) -> String {
    // `42 /* AF_??? */`: the number.
    let bare = symbol.split(separator: " ").first.map(String.init) ?? symbol
    let parts = bare.split(separator: "|").map { part -> String in
      let text = String(part)
      return Int(text) != nil ? text : spell(text)
    }
    return parts.isEmpty ? "0" : parts.joined(separator: joiner)
  }
}
