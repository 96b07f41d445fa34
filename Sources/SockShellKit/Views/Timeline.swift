/// The session as a sequence diagram: a lane per handle, and the calls of the journal as what
/// they mean between the lanes — the handshake a `connect` makes with the listening socket, the
/// bytes a `write` sends to the socket at the other end, the end of the stream a `shutdown` or a
/// `close` sends. It is drawn from the journal (Journal.swift), the record the echo was made
/// from: nothing is recorded twice.
struct Timeline {
  struct Lane: Equatable {
    var handle: Int
    var title: String
  }

  enum Event: Equatable {
    /// Something that happened on one socket: `bind 127.0.0.1:5353`, `read 9 "xiongchao"`.
    case note(lane: Int, text: String)
    /// Something one socket sent to another: the handshake, data, a FIN.
    case arrow(from: Int, to: Int, text: String)
  }

  private(set) var lanes: [Lane] = []
  private(set) var events: [Event] = []
  /// Calls the journal no longer holds, the oldest: the drawing starts after them.
  private(set) var dropped = 0

  /// What the drawing knows of each socket as the calls go by.
  private struct Socket {
    var lane: Int
    var stream = true
    var port: UInt16?
    var listening = false
    /// The lane at the other end of a connection or a socket pair, or of `connect` on UDP.
    var peer: Int?
    /// Connections made to this listening socket and not yet accepted, oldest first.
    var queue: [Int] = []
    var open = true
    /// Bytes the peer wrote that this socket has not read: a close with some sends RST.
    var unread = 0
    /// SO_LINGER {l_onoff=1, l_linger=0}: a close sends RST.
    var abortsOnClose = false
  }

  /// `wire`: the segments the wire saw (`--wire`); with them the diagram's arrows are the real
  /// segments between the sockets, and what each call meant becomes a note on its lane.
  init(entries: [Journal.Entry], dropped: Int = 0, wire: [Journal.WireEvent] = []) {
    self.dropped = dropped
    var sockets: [Int: Socket] = [:]
    var events: [Event] = []
    var nextWire = 0

    /// The segments read before the call of sequence `sequence` (all of them: nil).
    func drawSegments(before sequence: Int?) {
      while nextWire < wire.count, sequence.map({ wire[nextWire].afterCall <= $0 }) ?? true {
        let segment = wire[nextWire]
        nextWire += 1
        let from = segment.sender.flatMap { sockets[$0]?.lane }
        let to = segment.receiver.flatMap { sockets[$0]?.lane }
        switch (from, to) {
        case (let from?, let to?): events.append(.arrow(from: from, to: to, text: segment.text))
        case (let from?, nil): events.append(.note(lane: from, text: "sent " + segment.text))
        case (nil, let to?): events.append(.note(lane: to, text: "received " + segment.text))
        case (nil, nil): continue
        }
      }
    }

    func lane(for handle: Int, variable: String?) -> Int {
      if let known = sockets[handle] { return known.lane }
      lanes.append(Lane(handle: handle, title: "#\(handle)" + (variable.map { " $" + $0 } ?? "")))
      sockets[handle] = Socket(lane: lanes.count - 1)
      return lanes.count - 1
    }
    /// The socket bound to this port, listening or not as asked.
    func bound(to port: UInt16?, listening: Bool) -> Int? {
      guard let port else { return nil }
      return sockets.first { $0.value.open && $0.value.port == port && (!listening || $0.value.listening) }?.key
    }

    for entry in entries {
      if !wire.isEmpty { drawSegments(before: entry.sequence) }
      let record = entry.record
      let name = record.name
      let ok = record.errno == nil
      let count = record.returnValue

      // Calls that make sockets start lanes.
      if ok, name == "socket" || name == "socketpair" || name == "accept" || name == "accept4" {
        let made = Array(entry.created)
        for handle in made { _ = lane(for: handle, variable: made.count == 1 ? entry.variable : nil) }
        if name == "socket", let handle = made.first {
          let type = record.arguments.dropFirst().first.flatMap(Timeline.symbol) ?? ""
          sockets[handle]?.stream = !type.contains("DGRAM")
          events.append(.note(lane: sockets[handle]!.lane, text: "socket " + Timeline.symbols(record)))
        } else if name == "socketpair", made.count == 2 {
          let (first, second) = (sockets[made[0]]?.lane, sockets[made[1]]?.lane)
          sockets[made[0]]?.peer = second
          sockets[made[1]]?.peer = first
          events.append(.arrow(from: sockets[made[0]]!.lane, to: sockets[made[1]]!.lane, text: "socketpair"))
        } else if let handle = made.first, let listener = entry.handle, var server = sockets[listener] {
          // The oldest connection in the queue is the one accept takes.
          let client = server.queue.isEmpty ? nil : server.queue.removeFirst()
          sockets[listener] = server
          sockets[handle]?.peer = client
          if let client, let clientHandle = sockets.first(where: { $0.value.lane == client })?.key {
            let accepted = sockets[handle]?.lane
            sockets[clientHandle]?.peer = accepted
          }
          events.append(.note(lane: server.lane, text: "accept → #\(handle)"))
        }
        continue
      }
      guard let handle = entry.handle, let socket = sockets[handle] else { continue }
      let here = socket.lane
      let address = record.arguments.lazy.compactMap { argument -> SocketAddress? in
        if case .address(let address) = argument { return address }
        return nil
      }.first
      guard ok else {
        let errno = record.errno!
        let why = errno.name == "ECONNREFUSED" ? " (answered with RST)" : ""
        events.append(.note(lane: here, text: "\(name) → \(errno.name)\(why)"))
        continue
      }
      switch name {
      case "bind":
        sockets[handle]?.port = address?.port
        events.append(.note(lane: here, text: "bind " + (address?.display ?? "")))
      case "listen":
        sockets[handle]?.listening = true
        events.append(.note(lane: here, text: "listen"))
      case "connect":
        let target = bound(to: address?.port, listening: socket.stream)
        if socket.stream, let target, let server = sockets[target] {
          sockets[target]?.queue.append(here)
          events.append(.arrow(from: here, to: server.lane, text: "connect: SYN, SYN-ACK, ACK"))
        } else if !socket.stream, let target {
          let peer = sockets[target]?.lane
          sockets[handle]?.peer = peer
          events.append(.note(lane: here, text: "connect: peer " + (address?.display ?? "")))
        } else {
          events.append(.note(lane: here, text: "connect " + (address?.display ?? "")))
        }
      case "write", "send", "writev", "sendmsg":
        let text = "\(name) \(count)" + Timeline.preview(record)
        if let peer = socket.peer {
          if let receiver = sockets.first(where: { $0.value.lane == peer })?.key { sockets[receiver]?.unread += count }
          events.append(.arrow(from: here, to: peer, text: text))
        } else {
          events.append(.note(lane: here, text: text))
        }
      case "sendto":
        let text = "\(count) bytes" + Timeline.preview(record)
        if let target = bound(to: address?.port, listening: false), let lane = sockets[target]?.lane {
          events.append(.arrow(from: here, to: lane, text: "datagram " + text))
        } else if address == nil, let peer = socket.peer {
          events.append(.arrow(from: here, to: peer, text: "datagram " + text))
        } else {
          events.append(.note(lane: here, text: "sendto " + (address?.display ?? "") + " " + text))
        }
      case "read", "recv", "recvfrom", "readv", "recvmsg":
        if socket.stream { sockets[handle]?.unread = max(0, socket.unread - count) }
        events.append(
          .note(lane: here, text: count == 0 ? "\(name) 0: end of stream" : "\(name) \(count)" + Timeline.preview(record)))
      case "shutdown":
        let how = record.arguments.dropFirst().first.flatMap(Timeline.symbol) ?? ""
        if how != "SHUT_RD", socket.stream, let peer = socket.peer {
          events.append(.arrow(from: here, to: peer, text: "FIN (shutdown \(how))"))
        } else {
          events.append(.note(lane: here, text: "shutdown \(how)"))
        }
      case "setsockopt":
        let symbols = record.arguments.compactMap(Timeline.symbol)
        if symbols.contains("SO_LINGER") {
          sockets[handle]?.abortsOnClose = symbols.contains("{l_onoff=1, l_linger=0}")
        }
      case "close":
        sockets[handle]?.open = false
        if socket.stream, let peer = socket.peer, sockets.contains(where: { $0.value.lane == peer && $0.value.open }) {
          // Unread data, or SO_LINGER 0, makes close abort the connection with RST, not end it with FIN.
          let text =
            socket.abortsOnClose
            ? "RST (close with SO_LINGER 0)" : socket.unread > 0 ? "RST (close with \(socket.unread) bytes unread)" : "FIN (close)"
          events.append(.arrow(from: here, to: peer, text: text))
        } else {
          events.append(.note(lane: here, text: "close"))
        }
      default:
        continue
      }
    }
    if !wire.isEmpty {
      drawSegments(before: nil)
      // On the wire the arrows are the segments: what each call meant is a note on its lane.
      events = events.map { event in
        guard case .arrow(let from, _, let text) = event, !text.hasPrefix("["), !text.hasPrefix("UDP") else {
          return event
        }
        return .note(lane: from, text: text)
      }
    }
    self.events = events
  }

  static func symbol(_ argument: SyscallRecord.Argument) -> String? {
    if case .symbol(let name) = argument { return name }
    return nil
  }

  /// `AF_INET SOCK_STREAM`: a socket call's named arguments.
  static func symbols(_ record: SyscallRecord) -> String {
    record.arguments.compactMap(symbol).prefix(2).joined(separator: " ")
  }

  /// The first bytes of a call's data, as the echo escapes them: ` "xiongchao"`.
  static func preview(_ record: SyscallRecord) -> String {
    for argument in record.arguments {
      switch argument {
      case .data(let bytes):
        let shown = CString.escape(bytes.prefix(12), limit: nil)
        return " \"" + shown + (bytes.count > 12 ? "\"…" : "\"")
      case .iovecs(let slices), .message(_, _, let slices, _):
        let bytes = slices.flatMap(\.data)
        return " \"" + CString.escape(bytes.prefix(12), limit: nil) + (bytes.count > 12 ? "\"…" : "\"")
      default: continue
      }
    }
    return ""
  }
}

extension Timeline {
  /// A Mermaid `sequenceDiagram` of the timeline: GitHub draws it in Markdown.
  func mermaid() -> String {
    var text = "sequenceDiagram\n"
    for (index, lane) in lanes.enumerated() {
      text += "    participant h\(index + 1) as \(Timeline.mermaidText(lane.title))\n"
    }
    if dropped > 0 { text += "    Note over h1: \(dropped) earlier calls are not in the journal\n" }
    for event in events {
      switch event {
      case .note(let lane, let note):
        text += "    Note over h\(lane + 1): \(Timeline.mermaidText(note))\n"
      case .arrow(let from, let to, let label):
        text += "    h\(from + 1)->>h\(to + 1): \(Timeline.mermaidText(label))\n"
      }
    }
    return text
  }

  /// Text Mermaid reads as text: a `;` (which would end the statement) as its entity `#59;`.
  static func mermaidText(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case ";": out += "#59;"
      case "\n": out += " "
      default: out.append(character)
      }
    }
    return out
  }

  /// The timeline drawn for a terminal `width` columns wide: a column per lane, its title at
  /// the top, a note beside its lane's line, an arrow with its label above it. `ascii` draws with
  /// `|`, `-` and `>` where a terminal cannot show box-drawing characters.
  func drawing(width requested: Int, ascii: Bool, colour: Bool = false) -> String {
    guard !lanes.isEmpty else { return "no socket calls yet: the timeline is empty\n" }
    let width = max(20, min(requested, 1000))
    let column = max(8, width / lanes.count)
    let lineWidth = column * lanes.count
    let vertical: Character = ascii ? "|" : "│"
    let horizontal: Character = ascii ? "-" : "─"
    let centre = { (lane: Int) in lane * column + column / 2 }

    func blank() -> [Character] {
      var row = [Character](repeating: " ", count: lineWidth)
      for lane in lanes.indices { row[centre(lane)] = vertical }
      return row
    }
    func put(_ text: String, at start: Int, in row: inout [Character], upTo end: Int) {
      var position = max(0, start)
      for character in text {
        guard position < min(end, row.count) else {
          if position - 1 >= 0 && position - 1 < row.count { row[position - 1] = ascii ? "~" : "…" }
          break
        }
        row[position] = character
        position += 1
      }
    }
    func line(_ row: [Character], colour code: String? = nil) -> String {
      var text = String(row)
      while text.last == " " { text.removeLast() }
      guard colour, let code else { return text + "\n" }
      return "\u{1B}[" + code + "m" + text + "\u{1B}[0m\n"
    }
    /// The colour of an event's lines: RST and failures red, FIN yellow, data green.
    func code(_ text: String) -> String? {
      if text.hasPrefix("RST") || text.contains(" → E") { return "31" }
      if text.hasPrefix("FIN") { return "33" }
      if text.hasPrefix("write") || text.hasPrefix("send") || text.hasPrefix("datagram") { return "32" }
      return nil
    }

    var out = ""
    var titles = [Character](repeating: " ", count: lineWidth)
    for (index, lane) in lanes.enumerated() {
      let title = String(lane.title.prefix(column - 1))
      put(title, at: centre(index) - title.count / 2, in: &titles, upTo: (index + 1) * column)
    }
    out += line(titles)
    if dropped > 0 { out += "(\(dropped) earlier calls are not in the journal)\n" }
    for event in events {
      switch event {
      case .note(let lane, let note):
        var row = blank()
        row[centre(lane)] = ascii ? "*" : "●"
        put(note, at: centre(lane) + 2, in: &row, upTo: lineWidth)
        out += line(row, colour: code(note))
      case .arrow(let from, let to, let label):
        let left = min(centre(from), centre(to))
        let right = max(centre(from), centre(to))
        var labelRow = blank()
        let room = max(right - left - 1, 1)
        // Centred over the arrow when it fits, else from the arrow's start as far as the line goes.
        let start = label.count <= room ? left + 1 + (room - label.count) / 2 : left + 1
        put(label, at: start, in: &labelRow, upTo: lineWidth)
        var arrowRow = blank()
        if from == to {
          put(ascii ? "<-'" : "◀─╯", at: centre(from) + 1, in: &arrowRow, upTo: lineWidth)
        } else {
          for x in (left + 1)..<right { arrowRow[x] = horizontal }
          if centre(to) > centre(from) {
            arrowRow[right - 1] = ascii ? ">" : "▶"
          } else {
            arrowRow[left + 1] = ascii ? "<" : "◀"
          }
        }
        out += line(labelRow, colour: code(label)) + line(arrowRow, colour: code(label))
      }
    }
    return out
  }
}
