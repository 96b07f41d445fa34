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
    case setsockopt(Socket, level: String, option: String, value: Int)
    case getsockopt(Socket, level: String, option: String)
    case getFlags(Socket)
    case setFlags(Socket, String)
    case unlink([UInt8])
    /// A call the writers cannot spell (select, scatter/gather, an option that is not an int):
    /// the echo's text, left as a comment.
    case unsupported(String)
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
        let value = symbol(3)
        if value.hasPrefix("["), value.hasSuffix("]"), let number = Int(value.dropFirst().dropLast()) {
          call = .setsockopt(socket(fd), level: symbol(1), option: symbol(2), value: number)
        }
      case "getsockopt":
        call = .getsockopt(socket(fd), level: symbol(1), option: symbol(2))
      case "fcntl":
        call = symbol(1) == "F_GETFL" ? .getFlags(socket(fd)) : .setFlags(socket(fd), symbol(2))
      case "unlink":
        call = .unlink(data(0))
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
      steps.append(
        Step(
          call: call ?? .unsupported(ExportPlan.echo(record)), errno: record.errno,
          returned: record.returnValue, received: keepsData ? received : nil,
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
      case "bind", "connect", "sendto":
        let index = record.name == "sendto" ? 4 : 1
        guard index < record.arguments.count, case .address(let address) = record.arguments[index] else {
          continue
        }
        let key = address.display
        if let source = latest[key] {
          kept.insert(source)
          uses[position] = source
        } else {
          named.insert(key)
        }
      case "accept", "recvfrom", "getsockname", "getpeername":
        guard record.errno == nil else { continue }
        for argument in record.arguments {
          if case .addressOut(let address?, _, _) = argument, !named.contains(address.display) {
            latest[address.display] = position
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

/// Gives out the program's names: the session's where it had one, made legal in the language
/// and distinct where two things would otherwise share a name.
struct Namer {
  let naming: ExportPlan.Naming
  private var taken: Set<String> = []
  private var dataNames: Set<String> = []

  init(naming: ExportPlan.Naming) { self.naming = naming }

  /// A name for a socket: the session's variable, reused only when `busy` says no open socket
  /// holds it now.
  mutating func name(_ wanted: String, busy: (String) -> Bool) -> String {
    var name = Namer.identifier(wanted)
    if naming.reserved.contains(name) { name += naming.suffix }
    if dataNames.contains(name) { name += "_socket" }
    if taken.contains(name) && (busy(name) || dataNames.contains(name)) {
      var number = 2
      while taken.contains("\(name)_\(number)") { number += 1 }
      name = "\(name)_\(number)"
    }
    taken.insert(name)
    return name
  }

  /// A name for data read: shared by every read into the same variable, never a socket's.
  mutating func dataName(_ wanted: String, isSocket: (String) -> Bool) -> String {
    var name = Namer.identifier(wanted)
    if naming.reserved.contains(name) { name += naming.suffix }
    if isSocket(name) || (taken.contains(name) && !dataNames.contains(name)) { name += "_data" }
    taken.insert(name)
    dataNames.insert(name)
    return name
  }

  /// A name of the program's own, not taken yet.
  mutating func fresh(_ wanted: String) -> String {
    var name = wanted
    var number = 2
    while taken.contains(name) || naming.reserved.contains(name) {
      name = "\(wanted)_\(number)"
      number += 1
    }
    taken.insert(name)
    return name
  }

  /// ASCII letters, digits and `_`, not starting with a digit.
  static func identifier(_ text: String) -> String {
    var name = String(
      text.unicodeScalars.map { scalar -> Character in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
          ? Character(scalar) : "_"
      })
    if name.isEmpty || name.first!.isNumber { name = "v" + name }
    return name
  }
}
