import Glibc

/// The named constants a line may use: C's socket constants, PHP's, and every errno name.
public enum Constants {
  public static func value(of name: String) -> Value? {
    var name = name
    return name.withUTF8 { lookup($0)?.value }
  }

  /// The constant a word names, with the name as a String (the table's own, so a line that uses
  /// a constant makes none).
  static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> (name: String, value: Value)? {
    let index = Constants.index
    if let found = index.names.found(name) { return (found.name, index.values[found.value]) }
    // Only upper-case words can name an errno; skip the search for `inet` or `localhost`.
    guard let first = name.first, first >= 65 && first <= 90 else { return nil }
    let text = String(decoding: name, as: UTF8.self)
    if let errno = Errno(name: text) { return (text, .int(Int(errno.number))) }
    return nil
  }

  /// The table for lookups from a line: one lazily made global, so one check per lookup.
  private static let index: (names: NameIndex, values: [Value]) = (
    NameIndex(table.keys.enumerated().map { ($0.element, $0.offset) }), Array(table.values)
  )

  /// Close spellings of an unknown name, for "did you mean".
  public static func suggestions(for name: String) -> [String] {
    let candidates = Array(table.keys) + Array(Errno.numbersByName.keys)
    return EditDistance.closest(to: name, in: candidates)
  }

  public static let table: [String: Value] = {
    var table: [String: Value] = [:]
    func add(_ entries: [(name: String, value: Int32)]) {
      for entry in entries { table[entry.name] = .int(Int(entry.value)) }
    }
    add(SocketNames.domains)
    add(SocketNames.domains.map { ("PF_" + $0.name.dropFirst(3), $0.value) })
    add(SocketNames.types)
    add(SocketNames.typeFlags)
    add(SocketNames.protocols)
    add(SocketNames.shutdownHows)
    table["AF_LOCAL"] = .int(Int(Int32(AF_UNIX)))
    table["PF_LOCAL"] = .int(Int(Int32(AF_UNIX)))
    table["SOL_SOCKET"] = .int(Int(Int32(SOL_SOCKET)))
    table["SOL_TCP"] = .int(Int(Int32(IPPROTO_TCP)))
    table["SOL_UDP"] = .int(Int(Int32(IPPROTO_UDP)))
    table["SOL_IP"] = .int(Int(Int32(IPPROTO_IP)))
    table["SOL_IPV6"] = .int(Int(Int32(IPPROTO_IPV6)))
    table["SO_PROTOCOL"] = .int(Int(Int32(SO_PROTOCOL)))
    table["SO_REUSEADDR"] = .int(Int(Int32(SO_REUSEADDR)))
    table["SO_REUSEPORT"] = .int(Int(Int32(SO_REUSEPORT)))
    table["SO_KEEPALIVE"] = .int(Int(Int32(SO_KEEPALIVE)))
    table["SO_BROADCAST"] = .int(Int(Int32(SO_BROADCAST)))
    table["SO_LINGER"] = .int(Int(Int32(SO_LINGER)))
    table["SO_RCVBUF"] = .int(Int(Int32(SO_RCVBUF)))
    table["SO_SNDBUF"] = .int(Int(Int32(SO_SNDBUF)))
    table["SO_RCVLOWAT"] = .int(Int(Int32(SO_RCVLOWAT)))
    table["SO_SNDLOWAT"] = .int(Int(Int32(SO_SNDLOWAT)))
    table["SO_RCVTIMEO"] = .int(Int(Int32(SO_RCVTIMEO)))
    table["SO_SNDTIMEO"] = .int(Int(Int32(SO_SNDTIMEO)))
    table["SO_TYPE"] = .int(Int(Int32(SO_TYPE)))
    table["SO_ERROR"] = .int(Int(Int32(SO_ERROR)))
    table["SO_ACCEPTCONN"] = .int(Int(Int32(SO_ACCEPTCONN)))
    table["SO_DOMAIN"] = .int(Int(Int32(SO_DOMAIN)))
    table["TCP_NODELAY"] = .int(Int(Int32(TCP_NODELAY)))
    table["TCP_MAXSEG"] = .int(Int(Int32(TCP_MAXSEG)))
    table["TCP_KEEPIDLE"] = .int(Int(Int32(TCP_KEEPIDLE)))
    table["TCP_KEEPINTVL"] = .int(Int(Int32(TCP_KEEPINTVL)))
    table["TCP_KEEPCNT"] = .int(Int(Int32(TCP_KEEPCNT)))
    table["TCP_INFO"] = .int(Int(Int32(TCP_INFO)))
    table["IP_TTL"] = .int(Int(Int32(IP_TTL)))
    table["IP_TOS"] = .int(Int(Int32(IP_TOS)))
    table["IPV6_V6ONLY"] = .int(Int(Int32(IPV6_V6ONLY)))
    table["MSG_OOB"] = .int(Int(Int32(MSG_OOB)))
    table["MSG_PEEK"] = .int(Int(Int32(MSG_PEEK)))
    table["MSG_DONTROUTE"] = .int(Int(Int32(MSG_DONTROUTE)))
    table["MSG_TRUNC"] = .int(Int(Int32(MSG_TRUNC)))
    table["MSG_DONTWAIT"] = .int(Int(Int32(MSG_DONTWAIT)))
    table["MSG_EOR"] = .int(Int(Int32(MSG_EOR)))
    table["MSG_WAITALL"] = .int(Int(Int32(MSG_WAITALL)))
    table["MSG_NOSIGNAL"] = .int(Int(Int32(MSG_NOSIGNAL)))
    table["MSG_CTRUNC"] = .int(Int(Int32(MSG_CTRUNC)))
    table["PHP_BINARY_READ"] = .int(Int(Int32(2)))
    table["PHP_NORMAL_READ"] = .int(Int(Int32(1)))
    table["FD_SETSIZE"] = .int(Int(Int32(FD_SETSIZE)))
    table["SOMAXCONN"] = .int(Int(Int32(SOMAXCONN)))
    table["PHP_EOL"] = .string("\n")
    return table
  }()
}

/// Levenshtein distance, used only on the error path to suggest a spelling.
public enum EditDistance {
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// Up to three candidates within a distance that grows with the name's length.
  public static func closest(to name: String, in candidates: [String]) -> [String] {
    let limit = max(1, name.utf8.count / 3)
    let upper = name.uppercased()
    var scored: [(name: String, distance: Int)] = []
    for candidate in candidates {
      let d = distance(upper, candidate.uppercased())
      if d <= limit { scored.append((candidate, d)) }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
    return scored.prefix(3).map { $0.name }
  }
}
