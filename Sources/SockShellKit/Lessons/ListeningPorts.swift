import Glibc

/// Whether a TCP port is in LISTEN state, read from /proc/net/tcp and tcp6: a client lesson's
/// checker waits for its server this way, without a connection that would use up its accept.
enum ListeningPorts {
  static func isListening(_ port: Int) -> Bool {
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
      guard let text = FileSystem.read(table) else { continue }
      for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ")
        guard fields.count > 3, let colon = fields[1].lastIndex(of: ":"),
          Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port
        else { continue }
        if fields[3] == "0A" { return true }
      }
    }
    return false
  }

  static func wait(for port: Int, seconds: Int) -> Bool {
    for _ in 0..<(seconds * 50) {
      if isListening(port) { return true }
      usleep(20_000)
    }
    return false
  }
}
